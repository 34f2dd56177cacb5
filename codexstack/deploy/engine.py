"""How codexstack runs the Pulumi CLI: which binary, which environment, which process tree.

The CLI layer finds the pinned, locally built ``pulumi`` and hands it over as an
:class:`Engine` (this layer does not know where binaries are cached). Every run gets the
engine's environment (codexstack's ``PULUMI_HOME``, no plugin downloads, no update check)
and starts in its own session, registered in :data:`~codexstack.deploy.interrupt.CHILDREN`,
so that signals reach it only through codexstack's interrupt handling. Where ``setpriv`` is
available the engine also gets SIGKILL when codexstack dies: a ``kill -9`` of codexstack never
leaves an orphaned engine holding the stack's lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pulumi.automation import PulumiCommand
from pulumi.automation._cmd import CommandResult, OnOutput
from pulumi.automation.errors import create_command_error
from semver import VersionInfo

from codexstack.deploy.interrupt import CHILDREN
from codexstack.deploy.reaper import reap_orphan_plugins

DRAIN_SECONDS = 3.0
"""How long output may trail the engine's exit before stray pipe holders are dealt with."""

QUIET_ENV: Mapping[str, str] = {
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    "PULUMI_SKIP_UPDATE_CHECK": "true",
}


@dataclass(frozen=True)
class Engine:
    """The Pulumi CLI to use: ``<root>/bin/pulumi`` (or ``pulumi`` on PATH) and its env."""

    root: Path | None = None
    env: Mapping[str, str] = field(default_factory=lambda: dict(QUIET_ENV))
    version: str | None = None
    """The binary's known version (pinned builds): saves a ``pulumi version`` run per stack."""

    def command(self) -> TrackedPulumiCommand:
        return TrackedPulumiCommand(str(self.root) if self.root else None, self.version)

    @property
    def pulumi_home(self) -> str | None:
        return self.env.get("PULUMI_HOME")


def _pdeathsig() -> list[str]:
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL"] if setpriv else []


class TrackedPulumiCommand(PulumiCommand):
    """``PulumiCommand`` whose runs are tracked children in their own session."""

    def __init__(self, root: str | None = None, version: str | None = None) -> None:
        if version is None:
            super().__init__(root=root)
            return
        self.command = os.path.join(root, "bin", "pulumi") if root else "pulumi"
        self.version = VersionInfo.parse(version.removeprefix("v"))

    def run(
        self,
        args: list[str],
        cwd: str,
        additional_env: Mapping[str, str],
        on_output: OnOutput | None = None,
        on_error: OnOutput | None = None,
    ) -> CommandResult:
        # Same contract as the SDK's run(): non-interactive, automation env, bin dir on PATH.
        if "--non-interactive" not in args[: args.index("--") if "--" in args else len(args)]:
            args.insert(0, "--non-interactive")
        env = {**os.environ, **additional_env, "PULUMI_AUTOMATION_API": "true"}
        if os.path.isabs(self.command):
            env["PATH"] = os.pathsep.join([os.path.dirname(self.command), env.get("PATH", "")])
        out: list[str] = []
        err: list[str] = []
        proc = subprocess.Popen(
            [*_pdeathsig(), self.command, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
        CHILDREN.add(proc)
        try:
            readers = [
                threading.Thread(target=_pump, args=(proc.stdout, on_output, out), daemon=True),
                threading.Thread(target=_pump, args=(proc.stderr, on_error, err), daemon=True),
            ]
            for reader in readers:
                reader.start()
            code = proc.wait()
            _drain(readers, env.get("PULUMI_HOME"))
        finally:
            if proc.poll() is None:  # an error above: never leave the engine running unseen
                proc.wait()
            CHILDREN.discard(proc)
        result = CommandResult(stdout="\n".join(out), stderr="\n".join(err), code=code)
        if code != 0:
            raise create_command_error(result)
        return result


def _drain(readers: list[threading.Thread], pulumi_home: str | None) -> None:
    """Let the readers finish after the engine exited, without hanging on stray children.

    The pipes close when every holder is gone: normally the engine itself, but a plugin the
    engine did not stop inherits them and would keep this run waiting until it exits by
    itself (minutes). After a short grace such orphans are stopped; readers still blocked
    after that (some other stray child) are left behind as daemon threads, and their streams
    are not closed under them.
    """
    for attempt in range(2):
        deadline = time.monotonic() + DRAIN_SECONDS
        for reader in readers:
            reader.join(timeout=max(0.0, deadline - time.monotonic()))
        if not any(reader.is_alive() for reader in readers):
            return
        if attempt == 0:
            reap_orphan_plugins(pulumi_home)


def _pump(stream: object, callback: OnOutput | None, sink: list[str]) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        text = line.rstrip()
        if callback:
            callback(text)
        sink.append(text)
    stream.close()  # type: ignore[attr-defined]

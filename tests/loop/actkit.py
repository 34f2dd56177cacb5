"""Run GitHub Actions workflow files on this machine with nektos/act in host mode.

act (built by ``scripts/engine``, pinned in ``codexstack/cluster/versions.env``) evaluates the
workflow files with GitHub's own semantics: job order and ``needs``, ``if:`` expressions, step
and job outputs, ``env`` at every level, secrets with masking, reusable workflows and their
``workflow_call`` inputs. ``-P ubuntu-latest=-self-hosted`` runs every step directly on this
machine (no Docker). ``actions/checkout@v4`` is served by ``tests/loop/actions/checkout`` through
``--local-repository``; it clones ``$ACTKIT_GIT_BASE/<owner>/<name>.git``, which
:class:`Act` points at a directory of bare repositories. Secrets, variables and extra
environment go in through files (never argv). ``--json`` logs are parsed into
:class:`ActResult`, so tests assert on job and step results rather than on log text.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from codexstack.cluster import tools
from codexstack.cluster.versions import ENV_FILE, parse_env

HERE = Path(__file__).resolve().parent
CHECKOUT_ACTION = HERE / "actions" / "checkout"
LABEL = "ubuntu-latest"
INSTALL_HINT = "run `scripts/engine --only act` in the codexstack checkout (builds and caches act)"


class ActMissing(RuntimeError):
    """act is not built; the message says how to build it."""


def binary(name: str = "act") -> Path:
    """Path of the pinned act (or actionlint) build, or ActMissing with the build command."""
    version = parse_env(ENV_FILE.read_text(encoding="utf-8"))[f"{name.upper()}_VERSION"]
    path = tools.cache_dir() / name / f"v{version}" / name
    if not os.access(path, os.X_OK):
        hint = INSTALL_HINT.replace("--only act", f"--only {name}")
        raise ActMissing(f"{name} {version} is not built (expected {path}); {hint}")
    return path


@dataclass
class ActResult:
    """One act run: exit code, the parsed JSON log lines and stderr."""

    returncode: int
    events: list[dict[str, Any]]
    stderr: str
    argv: list[str] = field(default_factory=list)

    def job_result(self, job: str) -> str | None:
        """``success``/``failure`` of the job whose name (``wf/job`` or a suffix) matches; None
        when the job never ran (skipped by ``if:`` or by a failed need)."""
        results = [e["jobResult"] for e in self.events if "jobResult" in e and _of_job(e, job)]
        return results[-1] if results else None

    def ran(self, job: str) -> bool:
        """True when the job started at all."""
        return self.job_result(job) is not None

    def output(self, job: str | None = None) -> str:
        """The steps' own stdout/stderr (``raw_output`` lines), optionally of one job."""
        return "".join(
            str(e.get("msg", ""))
            for e in self.events
            if e.get("raw_output") and (job is None or _of_job(e, job))
        )

    def step_results(self, job: str) -> dict[str, str]:
        """Step name -> result for the main stage of one job."""
        return {
            str(e["step"]): str(e["stepResult"])
            for e in self.events
            if "stepResult" in e and e.get("stage", "Main") == "Main" and _of_job(e, job)
        }

    def log(self) -> str:
        """Human-readable log for assertion messages (last 200 lines)."""
        lines = [str(e.get("msg", "")).rstrip("\n") for e in self.events]
        return "\n".join([*lines[-200:], self.stderr[-3000:]])


@dataclass
class Act:
    """An act runner for one repository checkout.

    ``workdir`` is a git checkout holding ``.github/workflows`` (reusable workflows are
    resolved from it); ``git_base`` is the directory whose ``<owner>/<name>.git`` bare
    repositories the checkout stand-in clones; ``scratch`` holds act's caches and the
    secret/var/env files of each run.
    """

    workdir: Path
    git_base: Path
    scratch: Path
    repository: str = "acme/demo"
    env: dict[str, str] = field(default_factory=dict)

    def run(
        self,
        event: str,
        payload: Mapping[str, Any],
        *,
        workflow: str | None = None,
        actor: str = "alice",
        secrets: Mapping[str, str] | None = None,
        variables: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 600,
    ) -> ActResult:
        """Run the workflows ``event`` triggers (or only ``workflow``, a path relative to the
        workdir) with this event payload; returns the parsed result of all of them.

        act runs every workflow that names the event, whatever its ``types:`` or
        ``branches:``; GitHub does not, so the triggered files are chosen here
        (:func:`triggered`) and run one act invocation each, as GitHub runs them.
        """
        files = [workflow] if workflow else triggered(self.workdir, event, payload)
        results = [
            self._run_one(event, payload, f, actor, secrets, variables, env, timeout) for f in files
        ]
        return ActResult(
            max((r.returncode for r in results), default=0),
            [e for r in results for e in r.events],
            "".join(r.stderr for r in results),
            [a for r in results for a in r.argv],
        )

    def _run_one(
        self,
        event: str,
        payload: Mapping[str, Any],
        workflow: str,
        actor: str,
        secrets: Mapping[str, str] | None,
        variables: Mapping[str, str] | None,
        env: Mapping[str, str] | None,
        timeout: float,
    ) -> ActResult:
        self.scratch.mkdir(parents=True, exist_ok=True)
        runs = sorted(self.scratch.glob("run-*"))
        run_dir = self.scratch / f"run-{len(runs) + 1:03d}"
        run_dir.mkdir()
        event_file = run_dir / "event.json"
        event_file.write_text(json.dumps(dict(payload)), encoding="utf-8")
        merged_env = {
            "GITHUB_REPOSITORY": self.repository,
            "GITHUB_REPOSITORY_OWNER": self.repository.split("/")[0],
            "ACTKIT_GIT_BASE": self.git_base.as_uri(),
            **self.env,
            **(env or {}),
        }
        argv = [
            str(binary()),
            event,
            "-C",
            str(self.workdir),
            "-e",
            str(event_file),
            "-P",
            f"{LABEL}=-self-hosted",
            "-P",
            "self-hosted=-self-hosted",
            "--actor",
            actor,
            "--json",
            "--no-cache-server",
            "--action-offline-mode",
            "--no-skip-checkout",
            "--local-repository",
            f"actions/checkout@v4={CHECKOUT_ACTION}",
            "--action-cache-path",
            str(self.scratch / "act-cache"),
            "--secret-file",
            str(_write_env_file(run_dir / "secrets", secrets or {})),
            "--var-file",
            str(_write_env_file(run_dir / "vars", variables or {})),
            "--env-file",
            str(_write_env_file(run_dir / "env", merged_env)),
        ]
        argv += ["-W", str(self.workdir / workflow)]
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
            cwd=self.workdir,
            # Host-mode steps inherit act's own environment (the runner's, on GitHub).
            env={**os.environ, **merged_env},
        )
        (run_dir / "act.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        events = [_parse(line) for line in done.stdout.splitlines() if line.startswith("{")]
        return ActResult(done.returncode, events, done.stderr, argv)


def triggered(workdir: Path, event: str, payload: Mapping[str, Any]) -> list[str]:
    """Workflow files (relative to ``workdir``) that GitHub would start for this event: ``on``
    names it, the payload's ``action`` is among its ``types:`` and, for a push, the branch is
    among its ``branches:`` (exact names)."""
    found = []
    for path in sorted((workdir / ".github" / "workflows").glob("*.y*ml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on:` key as True
        if isinstance(on, str):
            on = {on: None}
        elif isinstance(on, list):
            on = dict.fromkeys(on)
        if not isinstance(on, dict) or event not in on:
            continue
        filters = on[event] or {}
        types = filters.get("types")
        if types and payload.get("action") not in types:
            continue
        branches = filters.get("branches")
        ref = str(payload.get("ref", ""))
        if branches and ref.removeprefix("refs/heads/") not in branches:
            continue
        found.append(str(path.relative_to(workdir)))
    return found


def _write_env_file(path: Path, values: Mapping[str, str]) -> Path:
    """A dotenv file act reads: double-quoted values (newlines and quotes survive), ``$``
    escaped so godotenv does not expand it."""

    def quote(value: str) -> str:
        return json.dumps(value, ensure_ascii=False).replace("$", "\\$")

    lines = [f"{key}={quote(value)}\n" for key, value in values.items()]
    path.write_text("".join(lines), encoding="utf-8")
    path.chmod(0o600)
    return path


def _of_job(event: Mapping[str, Any], job: str) -> bool:
    """act pads job names (``wf/job   ``); a job is named by its id, ``wf/job`` or a suffix
    such as ``reusable/job`` for a called workflow's job."""
    name = str(event.get("job", "")).strip()
    return event.get("jobID") == job or name == job or name.endswith("/" + job)


def _parse(line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return {"msg": line, "raw_output": True}
    return value if isinstance(value, dict) else {"msg": line}


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "loop-test",
    "GIT_AUTHOR_EMAIL": "loop-test@example.invalid",
    "GIT_COMMITTER_NAME": "loop-test",
    "GIT_COMMITTER_EMAIL": "loop-test@example.invalid",
}


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` and return its stdout (raises with stderr on failure)."""
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **GIT_IDENTITY},
    )
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {cwd}: {done.stderr.strip()}")
    return done.stdout.strip()


def seed_repository(git_base: Path, repository: str, source: Path, workdir: Path) -> Path:
    """Create the bare ``<git_base>/<repository>.git`` holding ``source``'s files as one commit
    on ``main``, and clone it into ``workdir`` (act's working copy). Returns the bare path."""
    bare = git_base / f"{repository}.git"
    bare.parent.mkdir(parents=True, exist_ok=True)
    git(bare.parent, "init", "--quiet", "--bare", "--initial-branch=main", bare.name)
    seed = workdir.with_name(workdir.name + "-seed")
    shutil.copytree(source, seed)
    git(seed, "init", "--quiet", "--initial-branch=main")
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "initial commit")
    git(seed, "push", "--quiet", bare.as_uri(), "main")
    git(workdir.parent, "clone", "--quiet", bare.as_uri(), workdir.name)
    return bare

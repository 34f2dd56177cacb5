"""Opening a stack: project settings, work dir, backend, secrets and tags in one place.

One Pulumi project per codexstack project (its ``project:`` name, so stacks of different
projects never share a namespace in a shared backend) and one stack per environment or slot,
each with its own persistent work dir (parallel create/select in one work dir races). Tags
record env, slot, issue, PR, owner and creation time; they are written only when they
change, because each tag write is a separate engine call.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from codexstack.deploy.engine import Engine
from codexstack.deploy.scratch import engine_tmpdir
from codexstack.deploy.state import ProjectState, file_backend_dir
from codexstack.plan import Plan

TAG_PREFIX = "codexstack:"
_NOT_PROJECT = re.compile(r"[^A-Za-z0-9_.-]+")


def pulumi_project(plan: Plan) -> str:
    """The Pulumi project name of a codexstack project (``A-Za-z0-9_.-``)."""
    return _NOT_PROJECT.sub("-", plan.project).strip("-.") or "codexstack"


SECRET_SIG = "4dabf18193072939515e22adb298388d"  # noqa: S105  (a type marker, not a secret)
"""The engine's marker of a secret value in serialized state."""


def read_checkpoint(backend: str, project: str, stack: str) -> dict[str, Any] | None:
    """The latest deployment from a file backend's checkpoint; None if it cannot be read here.

    ``{}`` means the stack has no state yet; None (another backend, a compressed checkpoint)
    tells the caller to ask the engine instead.
    """
    backend_dir = file_backend_dir(backend)
    if backend_dir is None:
        return None
    path = backend_dir / ".pulumi" / "stacks" / project / f"{stack}.json"
    if not path.is_file():
        return None if any(path.parent.glob(f"{stack}.json.*")) else {}
    data = json.loads(path.read_text())
    return dict((data.get("checkpoint") or {}).get("latest") or {})


class QuietStack(auto.Stack):
    """A Stack whose ``up`` and ``refresh`` skip the SDK's follow-up engine calls.

    After each run the SDK starts the engine three more times (``stack output`` twice and
    ``stack history``), about a second on a no-op apply. codexstack counts changes from the
    engine's events and reads outputs from the state the run just wrote, so those calls are
    replaced here; anything not readable locally falls back to the engine.
    """

    backend: str = ""
    project: str = ""

    def outputs(self) -> auto.OutputMap:
        latest = read_checkpoint(self.backend, self.project, self.name)
        resources = (latest or {}).get("resources") or []
        root = next((r for r in resources if r.get("type") == "pulumi:pulumi:Stack"), None)
        values = (root or {}).get("outputs") or {}
        if latest is None or any(isinstance(v, dict) and SECRET_SIG in v for v in values.values()):
            return super().outputs()
        return {k: auto.OutputValue(v, False) for k, v in values.items()}

    def info(self, show_secrets: bool = True) -> auto.UpdateSummary | None:
        """Not asked of the engine: the caller has the run's result from its events."""
        now = datetime.now(UTC)
        return auto.UpdateSummary(
            kind="update",
            start_time=now,
            message="",
            environment={},
            config={},
            result="succeeded",
            end_time=now,
        )

    @classmethod
    def wrap(cls, stack: auto.Stack, backend: str, project: str) -> QuietStack:
        quiet = cls.__new__(cls)
        quiet.__dict__.update(stack.__dict__)
        quiet.backend, quiet.project = backend, project
        return quiet


@dataclass(frozen=True)
class StackHandle:
    """An opened stack and what was needed to open it."""

    stack: auto.Stack
    project: str
    backend: str
    state: ProjectState


def open_stack(
    plan: Plan,
    state: ProjectState,
    engine: Engine,
    program: Callable[[], None] | None,
    *,
    backend: str | None = None,
    secrets: Mapping[str, str] | None = None,
    create: bool = True,
) -> StackHandle:
    """Create or select ``plan.stack`` with its own work dir and the right environment.

    ``secrets`` replaces the project's passphrase story (used for throwaway stacks);
    ``create=False`` raises the engine's StackNotFoundError instead of creating the stack.
    """
    backend = backend or state.backend_url()
    env = {**engine.env, **(state.secrets_env(backend) if secrets is None else secrets)}
    project = pulumi_project(plan)
    settings = auto.ProjectSettings(
        name=project, runtime="python", backend=auto.ProjectBackend(url=backend)
    )
    opts = auto.LocalWorkspaceOptions(
        work_dir=str(state.stack_dir(plan.stack)),
        pulumi_home=engine.pulumi_home,
        # TMPDIR: the provider leaves a kubeconfig copy in it on every start (scratch.py).
        env_vars={**env, "PULUMI_BACKEND_URL": backend, "TMPDIR": str(engine_tmpdir(state.root))},
        project_settings=settings,
        pulumi_command=engine.command(),
    )
    logging.getLogger("grpc._server").addFilter(ENGINE_GONE)  # once: addFilter dedupes
    opener = auto.create_or_select_stack if create else auto.select_stack
    stack = opener(plan.stack, project_name=project, program=program or _no_program, opts=opts)
    return StackHandle(QuietStack.wrap(stack, backend, project), project, backend, state)


class _EngineGone(logging.Filter):
    """Drops the inline program's late report of an engine that has already exited.

    When an engine run fails, the engine exits while the Automation API's in-process
    program is still winding down on a gRPC server thread. The SDK then tries to log
    "Event loop stopped before Future completed" *to the engine*, gets UNAVAILABLE, and gRPC
    logs that as "Exception calling application" with two tracebacks, at any moment, often
    after codexstack has printed its own error (under ``--debug``, where library logs are
    shown). It says nothing about the failure; the engine's own text stays on the error.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        # gRPC puts the exception's text in the message; the exception itself may already be
        # text too (codexstack.redact masks tracebacks before any filter runs).
        message = record.getMessage()
        return not (
            message.startswith("Exception calling application:")
            and "StatusCode.UNAVAILABLE" in message
        )


ENGINE_GONE = _EngineGone()


def _no_program() -> None:
    """Stands in where the engine needs no program (refresh, destroy, status)."""


def desired_tags(plan: Plan) -> dict[str, str]:
    """Tags a stack should carry (values as strings; empty ones left out)."""
    tags = {"env": plan.env, "slot": str(plan.slot) if plan.slot else "", **plan.tags}
    # "created" is the stack's birth, set once by sync_tags; the Plan's is the load time.
    return {TAG_PREFIX + k: str(v) for k, v in tags.items() if str(v) and k != "created"}


def _cached_tags(cache: Path, identity: str) -> dict[str, str] | None:
    """The cached tags of stack ``identity``; None when absent, unreadable or another's."""
    try:
        saved = json.loads(cache.read_text())
        if saved.get("stack") != identity:
            return None
        return {str(k): str(v) for k, v in saved["tags"].items()}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None


def sync_tags(handle: StackHandle, plan: Plan) -> dict[str, str]:
    """Write changed tags (and ``created`` once); cached in the work dir to save calls.

    The cache names the stack it describes (backend, project, stack): a work dir copied with
    its project, or a project renamed or moved to another backend, reads the real tags again
    instead of trusting tags its new stack never got.
    """
    cache = handle.state.stack_dir(plan.stack) / "tags.json"
    wanted = desired_tags(plan)
    identity = f"{handle.backend}|{handle.project}|{plan.stack}"
    known = _cached_tags(cache, identity)
    if known is None:
        known = dict(handle.stack.list_tags())
    for key, value in wanted.items():
        if known.get(key) != value:
            handle.stack.set_tag(key, value)
            known[key] = value
    created = TAG_PREFIX + "created"
    if created not in known:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        handle.stack.set_tag(created, stamp)
        known[created] = stamp
    cache.write_text(json.dumps({"stack": identity, "tags": known}, sort_keys=True))
    return known


def _settings_file(state: ProjectState, stack: str) -> Path:
    return state.stack_dir(stack) / "codexstack.json"


def last_wait(state: ProjectState, stack: str) -> bool:
    """The ``--wait`` mode of the stack's last successful apply (False if never applied).

    Awaiting is recorded on each workload (its ``pulumi.com/skipAwait`` annotation), so a
    preview must use the same mode as the apply it compares with, or every workload would
    show as changed.
    """
    try:
        return bool(json.loads(_settings_file(state, stack).read_text()).get("wait", False))
    except (OSError, ValueError, AttributeError):
        return False


def record_wait(state: ProjectState, stack: str, wait: bool) -> None:
    _settings_file(state, stack).write_text(json.dumps({"wait": wait}))

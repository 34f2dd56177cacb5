"""Opening a stack: project settings, work dir, backend, secrets and tags in one place.

One Pulumi project per codexstack project (its ``project:`` name, so stacks of different
projects never share a namespace in a shared backend) and one stack per environment or slot,
each with its own persistent work dir (parallel create/select in one work dir races). Tags
record env, slot, issue, PR, owner and creation time; they are written only when they
change, because each tag write is a separate engine call.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pulumi import automation as auto

from codexstack.deploy.engine import Engine
from codexstack.deploy.state import ProjectState
from codexstack.plan.model import Plan

TAG_PREFIX = "codexstack:"
_NOT_PROJECT = re.compile(r"[^A-Za-z0-9_.-]+")


def pulumi_project(plan: Plan) -> str:
    """The Pulumi project name of a codexstack project (``A-Za-z0-9_.-``)."""
    return _NOT_PROJECT.sub("-", plan.project).strip("-.") or "codexstack"


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
        env_vars={**env, "PULUMI_BACKEND_URL": backend},
        project_settings=settings,
        pulumi_command=engine.command(),
    )
    opener = auto.create_or_select_stack if create else auto.select_stack
    stack = opener(plan.stack, project_name=project, program=program or _no_program, opts=opts)
    return StackHandle(stack, project, backend, state)


def _no_program() -> None:
    """Stands in where the engine needs no program (refresh, destroy, status)."""


def desired_tags(plan: Plan) -> dict[str, str]:
    """Tags a stack should carry (values as strings; empty ones left out)."""
    tags = {"env": plan.env, "slot": str(plan.slot) if plan.slot else "", **plan.tags}
    return {TAG_PREFIX + k: str(v) for k, v in tags.items() if str(v)}


def sync_tags(handle: StackHandle, plan: Plan) -> dict[str, str]:
    """Write changed tags (and ``created`` once); cached in the work dir to save calls."""
    cache = handle.state.stack_dir(plan.stack) / "tags.json"
    wanted = desired_tags(plan)
    known: dict[str, str]
    try:
        known = {str(k): str(v) for k, v in json.loads(cache.read_text()).items()}
    except (OSError, ValueError, AttributeError):
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
    cache.write_text(json.dumps(known, sort_keys=True))
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

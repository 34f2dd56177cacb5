"""apply, preview, destroy and refresh of one stack through the Automation API.

Every operation runs in a :func:`session`: the stack's local lock (a second run is "busy",
exit 75, at once), signal handling (Ctrl-C or a CI cancel stops the engine within seconds,
state saved), the stack opened with its own work dir, stale engine locks of this host
removed, and interrupted operations of a crashed run resolved before anything else. Filters
become Pulumi excludes, so a filtered apply never touches, let alone deletes, an unselected
or removed unit. Hooks run around the engine in codexctl's order. Engine failures become one
:class:`~codexstack.errors.DeployError` carrying the engine's own error lines.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pulumi.automation import errors as auto_errors

from codexstack.deploy import recovery
from codexstack.deploy.engine import Engine
from codexstack.deploy.hooks import HookRunner
from codexstack.deploy.interrupt import CHILDREN, InterruptState, arm_deadline, interruptible
from codexstack.deploy.locks import busy, clear_stale, local_lock
from codexstack.deploy.preflight import SlotBeingDeleted
from codexstack.deploy.progress import EventTranslator, Reporter
from codexstack.deploy.state import ProjectState, file_backend_dir
from codexstack.deploy.summary import Summary
from codexstack.deploy.workspace import (
    StackHandle,
    open_stack,
    pulumi_project,
    record_wait,
    sync_tags,
)
from codexstack.errors import DeployError, Interrupted
from codexstack.plan.model import Plan
from codexstack.program.model import describe
from codexstack.program.options import ProgramOptions
from codexstack.program.stack import make_program
from codexstack.program.targets import plan_excludes, units_in

ERROR_LINES = 12
TERMINATING = "because it is being terminated"
"""The API server's words for a write into a namespace being deleted."""


@dataclass(frozen=True)
class Request:
    """One operation on one stack: what to deploy, where, and how to report."""

    plan: Plan
    project_dir: Path
    engine: Engine
    options: ProgramOptions = field(default_factory=ProgramOptions)
    reporter: Reporter | None = None
    hooks: HookRunner | None = None
    lock_wait_s: float = 0.0
    deadline_s: float | None = None
    """Give up (non-zero) when the engine runs longer than this (battery C2)."""
    parallel: int | None = None
    filtered: bool = False
    """The run has --only/--skip filters: change the selection only, never prune the rest."""


@dataclass
class Session:
    """An opened, recovered stack ready for one engine call."""

    request: Request
    handle: StackHandle
    interrupt: InterruptState
    summary: Summary
    events: EventTranslator


@contextlib.contextmanager
def session(request: Request, operation: str, *, program: bool = True) -> Iterator[Session]:
    """Lock, open and recover the stack; translate engine failures on the way out."""
    plan = request.plan
    state = ProjectState(request.project_dir)
    began = time.monotonic()
    summary = Summary(plan.stack, operation)
    with (
        local_lock(state.stack_dir(plan.stack), plan.stack, request.lock_wait_s),
        interruptible() as interrupt,
    ):
        prog = make_program(plan, request.options) if program else None
        if program:
            summary.notes.extend(describe(plan, request.options).warnings)
        summary.notes.extend(
            recovery.repair_sidecars(state.backend_url(), pulumi_project(plan), plan.stack)
        )
        handle = open_stack(plan, state, request.engine, prog)
        summary.notes.extend(recovery.recover_locks(handle))
        current = Session(request, handle, interrupt, summary, EventTranslator(request.reporter))
        try:
            yield current
        except (auto_errors.CommandError, DeployError) as exc:
            raise _failure(current, exc) from None
        finally:
            summary.duration_s = time.monotonic() - began
            summary.engine_changes = current.events.engine_changes


def _failure(current: Session, exc: auto_errors.CommandError | DeployError) -> Exception:
    """The CodexstackError for a failed engine call or hook."""
    stack = current.handle.stack.name
    if current.interrupt.requested or current.interrupt.deadline_hit:
        backend_dir = file_backend_dir(current.handle.backend)
        if backend_dir is not None:
            clear_stale(backend_dir, current.handle.project, stack)
        if current.interrupt.deadline_hit:
            return DeployError(
                f"{stack}: gave up after the deadline of "
                f"{current.request.deadline_s:g}s (state saved)"
            )
        return Interrupted(f"{stack}: interrupted; state saved, lock released")
    if isinstance(exc, DeployError):
        return exc
    if isinstance(exc, auto_errors.ConcurrentUpdateError):
        return busy(stack, "another engine holds the state lock")
    lines = current.events.errors or _tail(str(exc))
    if any(TERMINATING in line for line in lines):
        return SlotBeingDeleted(
            f"{stack}: slot being deleted: namespace "
            f"{current.request.plan.namespace} is terminating",
            hint="wait until the namespace is gone, then retry",
        )
    return DeployError(
        f"{current.summary.operation} of stack {stack} failed:\n  "
        + "\n  ".join(lines[-ERROR_LINES:])
    )


def _tail(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()][-ERROR_LINES:]


def resolve_pending(current: Session) -> None:
    """Refresh away a crashed run's interrupted operations (see :mod:`recovery`)."""
    ops = recovery.pending_operations(current.handle)
    if not ops:
        return
    current.handle.stack.refresh(
        clear_pending_creates=True, on_event=current.events, parallel=current.request.parallel
    )
    current.summary.notes.append(f"resolved {recovery.describe_pending(ops)} left by a crash")
    current.events = EventTranslator(current.request.reporter)


def _excludes(current: Session) -> list[str] | None:
    """What a filtered run must leave alone: unselected units and units no longer planned."""
    request = current.request
    if not request.filtered:
        return None
    deployed = units_in(recovery.resource_urns(current.handle))
    return plan_excludes(
        request.plan, current.handle.project, deployed, request.options.agent.service, filtered=True
    )


def _finish(current: Session, outputs: dict[str, Any] | None = None) -> Summary:
    summary = current.summary
    summary.changes = current.events.counts()
    summary.outputs = outputs or {}
    if current.request.hooks is not None:
        summary.hooks = [r.as_dict() for r in current.request.hooks.results]
    return summary


def _deadline(current: Session) -> contextlib.AbstractContextManager[Any]:
    seconds = current.request.deadline_s
    return arm_deadline(current.interrupt, seconds) if seconds else contextlib.nullcontext()


def apply(request: Request, *, before_hooks: bool = True) -> Summary:
    """Hooks, then ``up`` of the selected units, then hooks; returns the change summary.

    ``before_hooks=False`` resumes a retried apply at the engine phase: the hooks before it
    already ran (codexctl runs every hook again on each ``ci apply`` retry, D-HOOK-FILTER).
    """
    if request.options.render_to is not None:
        return render(request)
    hooks = request.hooks
    with session(request, "apply") as current:
        resolve_pending(current)
        if hooks and before_hooks:
            for stage in ("beforeAll", "beforeApply"):
                hooks.stage(stage)
        sync_tags(current.handle, request.plan)
        with _deadline(current):
            result = current.handle.stack.up(
                exclude=_excludes(current), on_event=current.events, parallel=request.parallel
            )
        record_wait(current.handle.state, request.plan.stack, request.options.wait)
        if hooks:
            for stage in ("afterApply", "afterAll"):
                hooks.stage(stage)
        return _finish(current, {k: v.value for k, v in result.outputs.items()})


def preview(request: Request) -> Summary:
    """What ``apply`` would change (no hooks, no state change)."""
    with session(request, "preview") as current:
        with _deadline(current):
            current.handle.stack.preview(
                exclude=_excludes(current), on_event=current.events, parallel=request.parallel
            )
        summary = _finish(current)
        if not any(summary.changes.values()):
            # Some engines report planned steps only in the summary event.
            summary.changes = _from_engine(current.events.engine_changes)
        return summary


def _from_engine(changes: dict[str, int]) -> dict[str, int]:
    fold = {
        "create": "create",
        "update": "update",
        "replace": "update",
        "delete": "delete",
        "same": "same",
    }
    out = dict.fromkeys(("create", "update", "delete", "same"), 0)
    for op, count in changes.items():
        if op in fold:
            out[fold[op]] += count
    return out


def destroy(request: Request, *, remove: bool = False) -> Summary:
    """Delete every object of the stack (whole stack: filters do not apply), with hooks.

    Protected resources (the infrastructure a stack shares with its namespace's owner, such as
    ``ai-repair`` in staging's namespace) are left in place and forgotten with the stack.
    """
    hooks = request.hooks
    shared = not request.options.namespace_owned(request.plan) and bool(request.plan.namespace)
    with session(request, "destroy", program=False) as current:
        resolve_pending(current)
        if hooks:
            for stage in ("beforeAll", "beforeDestroy"):
                hooks.stage(stage)
        with _deadline(current):
            current.handle.stack.destroy(
                on_event=current.events, parallel=request.parallel, exclude_protected=True
            )
        if remove:
            current.handle.stack.workspace.remove_stack(current.handle.stack.name, force=shared)
            # The tag cache describes the removed stack; a new one starts untagged.
            (current.handle.state.stack_dir(request.plan.stack) / "tags.json").unlink(
                missing_ok=True
            )
        if hooks:
            for stage in ("afterDestroy", "afterAll"):
                hooks.stage(stage)
        return _finish(current)


def refresh(request: Request, *, clear_pending_creates: bool = True) -> Summary:
    """Read every object back from the cluster into the state."""
    with session(request, "refresh", program=False) as current:
        with _deadline(current):
            current.handle.stack.refresh(
                clear_pending_creates=clear_pending_creates,
                on_event=current.events,
                parallel=request.parallel,
            )
        summary = _finish(current)
        summary.changes = _from_engine(current.events.engine_changes)
        return summary


def render(request: Request) -> Summary:
    """``apply --render-to DIR``: write manifests with the provider, no cluster, no state.

    A throwaway file backend keeps the real stack's state untouched; every object is written
    (``always_render``) under ``DIR/1-manifest`` (CRDs under ``DIR/0-crd``).
    """
    assert request.options.render_to is not None
    target = request.options.render_to.resolve()
    target.mkdir(parents=True, exist_ok=True)
    options = replace(request.options, render_to=target)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="codexstack-render-") as tmp, interruptible():
        scratch = ProjectState(Path(tmp))
        handle = open_stack(
            request.plan,
            scratch,
            request.engine,
            make_program(request.plan, options),
            backend=Path(tmp).as_uri(),
            secrets={"PULUMI_CONFIG_PASSPHRASE": ""},
        )
        events = EventTranslator(request.reporter)
        try:
            handle.stack.up(on_event=events, parallel=request.parallel)
        except auto_errors.CommandError as exc:
            raise DeployError(
                "render failed:\n  "
                + "\n  ".join((events.errors or _tail(str(exc)))[-ERROR_LINES:])
            ) from None
    summary = Summary(
        request.plan.stack,
        "render",
        changes=events.counts(),
        duration_s=time.monotonic() - began,
        outputs={
            "directory": str(target),
            "files": sorted(str(p.relative_to(target)) for p in target.rglob("*.yaml")),
        },
    )
    return summary


def children_running() -> int:
    """How many engine or hook processes are running now (for diagnostics and tests)."""
    return len(CHILDREN.alive())

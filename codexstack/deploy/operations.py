"""apply, preview, destroy and refresh of one stack through the Automation API.

Each runs in a :func:`~codexstack.deploy.session.session` (lock, signals, crash recovery,
failure translation) and first resolves the operations a crashed run left in flight. Filters
become Pulumi excludes, so a filtered apply never touches, let alone deletes, an unselected
or removed unit. Hooks run around the engine in codexctl's order; a retried apply can resume
at the engine phase. ``apply`` with ``render_to`` is the offline render
(:mod:`codexstack.deploy.render`).
"""

from __future__ import annotations

import contextlib
from typing import Any

from codexstack.deploy import recovery, takeover
from codexstack.deploy.consent import Consent, confirm, needs_question
from codexstack.deploy.interrupt import arm_deadline
from codexstack.deploy.progress import EventTranslator
from codexstack.deploy.render import render
from codexstack.deploy.session import Request, Session, session
from codexstack.deploy.summary import Summary
from codexstack.deploy.workspace import record_wait, sync_tags
from codexstack.program import plan_excludes, units_in

__all__ = ["Request", "apply", "destroy", "preview", "refresh", "render"]


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
    takeover.check_prune(request.plan.stack, request.prune)
    with session(request, "apply") as current, _deadline(current):
        # The deadline covers the hooks too: a hanging beforeApply step must not outlive it.
        resolve_pending(current)
        if hooks and before_hooks:
            for stage in ("beforeAll", "beforeApply"):
                hooks.stage(stage)
        sync_tags(current.handle, request.plan)
        live, objects = takeover.connect(current), takeover.objects_of(current)
        takeover.adopt(current, "apply", live, objects)
        result = current.handle.stack.up(
            exclude=_excludes(current), on_event=current.events, parallel=request.parallel
        )
        takeover.leftovers(current, live, objects)
        record_wait(current.handle.state, request.plan.stack, request.options.wait)
        if hooks:
            for stage in ("afterApply", "afterAll"):
                hooks.stage(stage)
        return _finish(current, {k: v.value for k, v in result.outputs.items()})


def preview(request: Request) -> Summary:
    """What ``apply`` would change (no hooks, no state change)."""
    with session(request, "preview") as current:
        live, objects = takeover.connect(current), takeover.objects_of(current)
        takeover.adopt(current, "preview", live, objects)
        with _deadline(current):
            current.handle.stack.preview(
                exclude=_excludes(current), on_event=current.events, parallel=request.parallel
            )
        summary = _finish(current)
        if not any(summary.changes.values()) and not current.events.changes["adopt"]:
            # Some engines report planned steps only in the summary event.
            summary.changes = _from_engine(current.events.engine_changes)
            summary.changes["create"] = max(0, summary.changes["create"] - len(summary.adopted))
        takeover.leftovers(current, live, objects)
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


def destroy(request: Request, *, remove: bool = False, consent: Consent | None = None) -> Summary:
    """Delete every object of the stack (whole stack: filters do not apply), with hooks.

    Protected resources (the infrastructure a stack shares with its namespace's owner, such as
    ``ai-repair`` in staging's namespace) are left in place and forgotten with the stack.
    With ``consent`` a non-slot stack is destroyed only after a yes (or ``--yes``), asked under
    the lock with the objects from the state (:mod:`codexstack.deploy.consent`); without it
    (library callers: slot cleanup) no question is asked.
    """
    shared = not request.options.namespace_owned(request.plan) and bool(request.plan.namespace)
    if consent is not None:
        needs_question(request.plan.stack, consent)  # refuse before anything is locked
    with session(request, "destroy", program=False) as current:
        if consent is not None:
            state = recovery.latest_state(current.handle)
            confirm(request.plan.stack, state.get("resources") or [], consent)
        with _deadline(current):  # armed after the question, before the first hook
            _destroy_stack(current, remove=remove, shared=shared)
        return _finish(current)


def _destroy_stack(current: Session, *, remove: bool, shared: bool) -> None:
    request, hooks = current.request, current.request.hooks
    resolve_pending(current)
    if hooks:
        for stage in ("beforeAll", "beforeDestroy"):
            hooks.stage(stage, "destroy")
    current.handle.stack.destroy(
        on_event=current.events, parallel=request.parallel, exclude_protected=True
    )
    if remove:
        current.handle.stack.workspace.remove_stack(current.handle.stack.name, force=shared)
        # The tag cache describes the removed stack; a new one starts untagged.
        (current.handle.state.stack_dir(request.plan.stack) / "tags.json").unlink(missing_ok=True)
    if hooks:
        for stage in ("afterDestroy", "afterAll"):
            hooks.stage(stage, "destroy")


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

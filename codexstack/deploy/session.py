"""One operation's session on a stack: locked, interruptible, recovered, failures translated.

:func:`session` wraps every engine call: the stack's local lock (a second run is "busy", exit
75, at once), signal handling (Ctrl-C or a CI cancel stops the engine within seconds, state
saved), repair of state metadata a crash truncated, the stack opened with its own work dir,
and stale engine locks of this host removed. On the way out engine failures become one
CodexstackError: busy (75), interrupted (130, after removing the killed engine's lock), "slot
being deleted" (75) or a DeployError with one line per failing object
(:mod:`codexstack.deploy.failures`); the raw engine text is chained for ``--debug``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pulumi.automation import errors as auto_errors

from codexstack.deploy import failures, reach, recovery
from codexstack.deploy.consent import Consent
from codexstack.deploy.engine import Engine
from codexstack.deploy.hooks import HookRunner
from codexstack.deploy.interrupt import InterruptState, interruptible
from codexstack.deploy.live import Live
from codexstack.deploy.locks import busy, clear_stale, local_lock
from codexstack.deploy.preflight import SlotBeingDeleted
from codexstack.deploy.progress import EventTranslator, Reporter
from codexstack.deploy.reaper import reap_orphan_plugins
from codexstack.deploy.state import ProjectState, file_backend_dir
from codexstack.deploy.summary import Summary
from codexstack.deploy.workspace import StackHandle, open_stack, pulumi_project
from codexstack.errors import DeployError, Interrupted
from codexstack.naming import check_namespace
from codexstack.plan import Plan
from codexstack.program import ProgramOptions, describe, make_program

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
    adopt: bool = True
    """Take over objects ``kubectl apply`` made (codexctl); off: existing objects are refused."""
    prune: Consent | None = None
    """``--prune-adopted``: delete what codexctl left behind, with this consent; None: list."""
    connect: Callable[[], Live] | None = None
    """How to reach the cluster for adoption (default: a client for ``plan.cluster``)."""


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
    check_namespace(plan.namespace)  # before any hook or API call sees it
    reach.check_reachable(plan.cluster)  # before the engine: 65 unconfigured, 75 unreachable
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
        summary.notes.extend(reap_orphan_plugins(request.engine.pulumi_home))
        current = Session(request, handle, interrupt, summary, EventTranslator(request.reporter))
        try:
            yield current
        except (auto_errors.CommandError, DeployError) as exc:
            # Chained, so that --debug (which prints the traceback) shows the raw engine text.
            raise _failure(current, exc) from exc
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
    lines = current.events.errors or tail(str(exc))
    if any(TERMINATING in line for line in lines):
        return SlotBeingDeleted(
            f"{stack}: slot being deleted: namespace "
            f"{current.request.plan.namespace} is terminating",
            hint="wait until the namespace is gone, then retry",
        )
    events = current.events
    error = failures.NotReadyFailure if events.not_ready else failures.EngineFailure
    found = failures.translate(events.diagnostics, events.objects, stack)
    if found:
        message = failures.report(current.summary.operation, stack, found)
    else:
        kept = [line for line in lines if not failures.is_noise(line)] or lines
        message = f"{current.summary.operation} of stack {stack} failed:\n  " + "\n  ".join(
            kept[-ERROR_LINES:]
        )
    return error(
        message,
        hint="re-run with --debug for the engine's full text",
        diagnostics=events.diagnostics,
        objects=events.objects,
    )


def tail(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()][-ERROR_LINES:]

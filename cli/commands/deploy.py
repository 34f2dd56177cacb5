"""Deploy commands: ``apply``, ``preview``, ``destroy``, ``refresh``, ``status`` (and ``ci apply``).

Each is a thin adapter: resolve options (flag > ``CODEXSTACK_*`` > ``CODEXCTL_*`` > default),
load the plan, make one call into :mod:`codexstack.deploy`, print the result on stdout
(``--output json`` gives ``{"stack", "changes": {...}, "duration_s", "outputs"}``), stream
progress on stderr, append a summary to ``$GITHUB_STEP_SUMMARY`` when it is set, and leave
with the library's exit code. ``preview --detailed-exitcode`` exits 2 when there are changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cli import output as out
from cli.commands import deploy_io as io
from cli.commands.core import OnlyInfra, OnlyServices, SkipInfra, SkipServices
from cli.options import GlobalOptions, with_globals
from codexstack.errors import ExitCode

NO_FILTERS = (None, None, None, None)
Wait = Annotated[
    bool,
    typer.Option("--wait/--no-wait", help="Await readiness of every object; off: skip-await."),
]
PreviewWait = Annotated[
    bool | None,
    typer.Option(
        "--wait/--no-wait",
        help="Compare with an apply with/without --wait (default: as the last apply).",
    ),
]
Preflight = Annotated[
    bool, typer.Option("--preflight", help="Check tools, cluster, permissions, namespace, lock.")
]
WaitTimeout = Annotated[
    str | None, typer.Option("--wait-timeout", help="Readiness budget per object (Go duration).")
]
RenderTo = Annotated[
    Path | None, typer.Option("--render-to", help="Write manifests here (no cluster needed).")
]
Kubeconfig = Annotated[str | None, typer.Option("--kubeconfig", help="Kubeconfig file.")]
Context = Annotated[str | None, typer.Option("--context", help="Kubeconfig context.")]
LockWait = Annotated[
    float, typer.Option("--lock-wait", help="Seconds to wait for a busy stack (then exit 75).")
]
Deadline = Annotated[
    str | None, typer.Option("--deadline", help="Give up after this long (Go duration).")
]
DetailedExitcode = Annotated[
    bool, typer.Option("--detailed-exitcode", help="Exit 0 without changes, 2 with changes.")
]
Parallel = Annotated[
    int | None, typer.Option("--parallel", min=1, help="Engine steps at once (default: many).")
]
Remove = Annotated[
    bool, typer.Option("--remove", help="Also delete the stack and its history once empty.")
]


@with_globals
def apply(
    opts: GlobalOptions,
    *,
    wait: Wait = False,
    preflight: Preflight = False,
    wait_timeout: WaitTimeout = None,
    only_services: OnlyServices = None,
    skip_services: SkipServices = None,
    only_infra: OnlyInfra = None,
    skip_infra: SkipInfra = None,
    render_to: RenderTo = None,
    kubeconfig: Kubeconfig = None,
    context: Context = None,
    lock_wait: LockWait = 0.0,
    deadline: Deadline = None,
    parallel: Parallel = None,
) -> int:
    """Deploy an environment or slot: hooks, then the stack's changes, then hooks."""
    budget = io.duration(wait_timeout, "--wait-timeout")  # inputs first, cluster later
    limit = io.duration(deadline, "--deadline")
    job = io.Job.create(
        opts,
        (only_services, skip_services, only_infra, skip_infra),
        kubeconfig,
        context,
        render=render_to is not None,
    )
    request = job.request(
        wait=wait,
        wait_timeout=budget,
        render_to=render_to,
        lock_wait_s=lock_wait,
        deadline_s=limit,
        hooks=True,
        parallel=parallel,
    )
    if preflight and render_to is None:
        job.preflight()
    from codexstack.deploy.operations import apply as run_apply  # noqa: PLC0415 (lazy import)

    return job.finish(run_apply(request))


@with_globals
def preview(
    opts: GlobalOptions,
    *,
    only_services: OnlyServices = None,
    skip_services: SkipServices = None,
    only_infra: OnlyInfra = None,
    skip_infra: SkipInfra = None,
    kubeconfig: Kubeconfig = None,
    context: Context = None,
    detailed_exitcode: DetailedExitcode = False,
    lock_wait: LockWait = 0.0,
    wait: PreviewWait = None,
) -> int:
    """Show what apply would change (no hooks, nothing changed)."""
    job = io.Job.create(
        opts, (only_services, skip_services, only_infra, skip_infra), kubeconfig, context
    )
    from codexstack.deploy.operations import preview as run_preview  # noqa: PLC0415
    from codexstack.deploy.state import ProjectState  # noqa: PLC0415
    from codexstack.deploy.workspace import last_wait  # noqa: PLC0415

    if wait is None:
        wait = last_wait(ProjectState(job.loaded.project_dir), job.loaded.plan.stack)
    summary = run_preview(job.request(lock_wait_s=lock_wait, wait=wait))
    code = job.finish(summary)
    return int(ExitCode.CHANGES) if detailed_exitcode and summary.changed else code


@with_globals
def destroy(
    opts: GlobalOptions,
    *,
    kubeconfig: Kubeconfig = None,
    context: Context = None,
    remove: Remove = False,
    lock_wait: LockWait = 0.0,
    deadline: Deadline = None,
) -> int:
    """Delete everything the stack created (the whole stack; filters do not apply)."""
    limit = io.duration(deadline, "--deadline")
    job = io.Job.create(opts, NO_FILTERS, kubeconfig, context)
    from codexstack.deploy.operations import destroy as run_destroy  # noqa: PLC0415

    request = job.request(lock_wait_s=lock_wait, hooks=True, deadline_s=limit)
    return job.finish(run_destroy(request, remove=remove))


@with_globals
def refresh(
    opts: GlobalOptions,
    *,
    kubeconfig: Kubeconfig = None,
    context: Context = None,
    lock_wait: LockWait = 0.0,
) -> int:
    """Read the live objects back into the stack's state (clears interrupted operations)."""
    job = io.Job.create(opts, NO_FILTERS, kubeconfig, context)
    from codexstack.deploy.operations import refresh as run_refresh  # noqa: PLC0415

    return job.finish(run_refresh(job.request(lock_wait_s=lock_wait)))


@with_globals
def status(opts: GlobalOptions, *, kubeconfig: Kubeconfig = None, context: Context = None) -> int:
    """Show a stack: last operation, objects, outputs, tags, locks, interrupted operations."""
    job = io.Job.create(opts, NO_FILTERS, kubeconfig, context)
    from codexstack.deploy.status import status as stack_status  # noqa: PLC0415

    report: dict[str, Any] = stack_status(job.loaded.plan, job.loaded.project_dir, job.engine)
    out.emit(report, opts.fmt, text=io.status_text(report))
    return int(ExitCode.OK)

"""``apply``, ``preview``, ``destroy``, ``refresh``, ``status``: adapters over the deploy flows.

Each result goes to stdout (``--output json`` gives ``{"stack", "operation", "changes": {...},
"duration_s", "outputs", ...}``), progress streams on stderr, the Markdown summary is
appended to ``$GITHUB_STEP_SUMMARY`` when it is set. ``preview --detailed-exitcode`` exits 2
when there are changes; a busy stack exits 75.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import output as out
from cli.commands.core import OnlyInfra, OnlyServices, SkipInfra, SkipServices
from cli.options import current, duration
from codexstack import flows

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
    float | None,
    duration("--wait-timeout", default="the provider's", help="Readiness budget per object."),
]
RenderTo = Annotated[
    Path | None, typer.Option("--render-to", help="Write manifests here (no cluster needed).")
]
Kubeconfig = Annotated[str | None, typer.Option("--kubeconfig", help="Kubeconfig file.")]
Context = Annotated[str | None, typer.Option("--context", help="Kubeconfig context.")]
LockWait = Annotated[
    float,
    duration("--lock-wait", default="0s", help="How long to wait for a busy stack (then 75)."),
]
Deadline = Annotated[
    float | None,
    duration("--deadline", default="none", help="Give up after this long."),
]
DetailedExitcode = Annotated[
    bool, typer.Option("--detailed-exitcode", help="Exit 0 without changes, 2 with changes.")
]
Parallel = Annotated[
    int | None, typer.Option("--parallel", min=1, help="Engine steps at once (default: many).")
]
NoAdopt = Annotated[
    bool,
    typer.Option(
        "--no-adopt",
        help="Refuse objects that already exist (default: take over what kubectl/codexctl"
        " applied, forcing only kubectl's own field managers).",
    ),
]
PruneAdopted = Annotated[
    bool,
    typer.Option(
        "--prune-adopted",
        help="Delete objects codexctl applied in the namespace that no manifest holds any more"
        " (asks on a terminal; --yes in scripts).",
    ),
]
Remove = Annotated[
    bool, typer.Option("--remove", help="Also delete the stack and its history once empty.")
]
Yes = Annotated[
    bool,
    typer.Option(
        "--yes",
        "-y",
        help="Do not ask. Without a terminal, destroying a non-slot stack (and apply"
        " --prune-adopted) needs it; slot stacks (ai-<N>) are never asked about on destroy.",
    ),
]


def apply(
    ctx: typer.Context,
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
    no_adopt: NoAdopt = False,
    prune_adopted: PruneAdopted = False,
    yes: Yes = False,
) -> int:
    """Deploy an environment or slot: hooks, then the stack's changes, then hooks."""
    opts = current(ctx)
    request = flows.apply.Request(
        opts.target,
        filters=(only_services, skip_services, only_infra, skip_infra),
        cluster=flows.Cluster(kubeconfig, context),
        wait=wait,
        wait_timeout=wait_timeout,
        preflight=preflight,
        render_to=render_to,
        lock_wait=lock_wait,
        deadline=deadline,
        parallel=parallel,
        ci=flows.CiOutputs.from_environ(),
        adopt=not no_adopt,
        prune_adopted=prune_adopted,
        yes=yes,
        ask=out.terminal_question("prune"),
    )
    return out.finish(flows.apply.run(request, flows.StderrReporter()), opts.fmt)


def preview(
    ctx: typer.Context,
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
    no_adopt: NoAdopt = False,
) -> int:
    """Show what apply would change (no hooks, nothing changed); adoptions count as "adopt"."""
    opts = current(ctx)
    request = flows.preview.Request(
        opts.target,
        filters=(only_services, skip_services, only_infra, skip_infra),
        cluster=flows.Cluster(kubeconfig, context),
        wait=wait,
        lock_wait=lock_wait,
        detailed_exitcode=detailed_exitcode,
        ci=flows.CiOutputs.from_environ(),
        adopt=not no_adopt,
    )
    return out.finish(flows.preview.run(request, flows.StderrReporter()), opts.fmt)


def destroy(
    ctx: typer.Context,
    *,
    kubeconfig: Kubeconfig = None,
    context: Context = None,
    remove: Remove = False,
    lock_wait: LockWait = 0.0,
    deadline: Deadline = None,
    yes: Yes = False,
) -> int:
    """Delete everything the stack created (the whole stack; filters do not apply).

    On a terminal, a shared environment's objects are listed and you are asked first.
    """
    opts = current(ctx)
    request = flows.destroy.Request(
        opts.target,
        cluster=flows.Cluster(kubeconfig, context),
        remove=remove,
        lock_wait=lock_wait,
        deadline=deadline,
        ci=flows.CiOutputs.from_environ(),
        yes=yes,
        ask=out.terminal_question(),
    )
    return out.finish(flows.destroy.run(request, flows.StderrReporter()), opts.fmt)


def refresh(
    ctx: typer.Context,
    *,
    kubeconfig: Kubeconfig = None,
    context: Context = None,
    lock_wait: LockWait = 0.0,
) -> int:
    """Read the live objects back into the stack's state (clears interrupted operations)."""
    opts = current(ctx)
    request = flows.refresh.Request(
        opts.target,
        cluster=flows.Cluster(kubeconfig, context),
        lock_wait=lock_wait,
        ci=flows.CiOutputs.from_environ(),
    )
    return out.finish(flows.refresh.run(request, flows.StderrReporter()), opts.fmt)


def status(ctx: typer.Context, *, kubeconfig: Kubeconfig = None, context: Context = None) -> int:
    """Show a stack: last operation, objects, outputs, tags, locks, interrupted operations."""
    opts = current(ctx)
    request = flows.status.Request(opts.target, flows.Cluster(kubeconfig, context))
    return out.finish(flows.status.run(request, flows.StderrReporter()), opts.fmt)

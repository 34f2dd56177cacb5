"""``slots list|orphans|renew|keep``: adapters over the slot registry's own flows.

Resolve options with codexctl's names and ``CODEXCTL_*`` fallbacks (env defaults to ``ai``),
call one flow, print the result on stdout (``--output text|json|yaml|kv``) and leave with its
exit code (full registry or busy slot: 75; explicit slot conflict: 1).
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli import output as out
from cli.options import RegistryNsOpt, RegistryOpt, current, duration, registry
from codexstack import flows

Fix = Annotated[
    bool, typer.Option(help="Delete unclaimed namespaces, release namespace-less claims.")
]
MinAge = Annotated[
    float, duration("--min-age", default="10m", help="Ignore claims younger than this")
]
Off = Annotated[bool, typer.Option("--off", help="Remove the keep label.")]


def list_(
    ctx: typer.Context,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> int:
    """Every claim: slot, env, issue, PR, namespace, state, age, last heartbeat, source."""
    opts = current(ctx)
    request = flows.slots_list.Request(opts.target, registry(registry_, registry_namespace))
    return out.finish(flows.slots_list.run(request, flows.StderrReporter()), opts.fmt)


def orphans(
    ctx: typer.Context,
    *,
    fix: Fix = False,
    min_age: MinAge = 600.0,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> int:
    """Slot namespaces without claims and claims without namespaces (--fix resolves them)."""
    opts = current(ctx)
    request = flows.orphans.Request(
        opts.target, fix, min_age, registry(registry_, registry_namespace)
    )
    return out.finish(flows.orphans.run(request, flows.StderrReporter()), opts.fmt)


def renew(
    ctx: typer.Context,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> int:
    """Heartbeat: mark the slot as in use now (GC goes by the last heartbeat)."""
    opts = current(ctx)
    request = flows.renew.Request(opts.target, None, registry(registry_, registry_namespace))
    return out.finish(flows.renew.run(request, flows.StderrReporter()), opts.fmt)


def keep(
    ctx: typer.Context,
    off: Off = False,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> int:
    """Label a slot keep (GC never collects it), or --off to remove the label."""
    opts = current(ctx)
    request = flows.renew.Request(opts.target, not off, registry(registry_, registry_namespace))
    return out.finish(flows.renew.run(request, flows.StderrReporter()), opts.fmt)

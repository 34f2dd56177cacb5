"""Slot commands: registers ``ci ensure-slot|ensure-ready`` (:mod:`cli.commands.slots_ci`) and
``manage-env cleanup|set|comment|gc`` (:mod:`cli.commands.slots_manage`), and holds the
registry's own group, ``slots list|orphans|renew|keep``.

All are thin adapters over :mod:`codexstack.slots`: resolve options with codexctl's names and
``CODEXCTL_*`` fallbacks (env defaults to ``ai``), make one library call, print the result on
stdout (``--output text|json|yaml|kv``) and leave with its exit code (full registry or busy
slot: 75; explicit slot conflict: 1).
"""

from __future__ import annotations

import time
from dataclasses import asdict
from functools import partial
from typing import Annotated, Any

import typer

from cli import output as out
from cli.commands.slots_glue import (
    context,
    destroy,
    fail_if,
    required_slot,
    seconds,
)
from cli.options import OutputOpt, RegistryNsOpt, RegistryOpt, SlotOpt
from codexstack.errors import UsageError


def list_(
    ctx: typer.Context,
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
    output: OutputOpt = None,
) -> None:
    """Every claim: slot, env, issue, PR, namespace, state, age, last heartbeat, source."""
    slot_ctx = context(ctx, registry, registry_namespace, output=output)
    now = time.time()
    rows = [
        {
            "slot": c.slot,
            "env": c.env,
            "issue": c.issue,
            "pr": c.pr,
            "namespace": c.namespace,
            "state": str(c.state),
            "age_s": round(now - c.created),
            "heartbeat_s": round(now - c.renewed),
            "owner": c.owner,
            "source": c.source,
            "keep": c.keep,
        }
        for c in slot_ctx.slots.claims()
    ]
    out.emit(rows, slot_ctx.opts.fmt, text=_table(rows))


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no slots claimed\n"
    heads = ["slot", "env", "issue", "pr", "namespace", "state", "age", "heartbeat", "source"]
    cells = [
        [
            str(r["slot"]),
            r["env"],
            str(r["issue"] or "-"),
            str(r["pr"] or "-"),
            r["namespace"],
            r["state"] + (" (keep)" if r["keep"] else ""),
            _age(r["age_s"]),
            _age(r["heartbeat_s"]) + " ago",
            r["source"],
        ]
        for r in rows
    ]
    widths = [max(len(x) for x in col) for col in zip(heads, *cells, strict=False)]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False)).rstrip() + "\n"
        for line in [heads, *cells]
    )


def _age(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def orphans(
    ctx: typer.Context,
    *,
    fix: Annotated[
        bool, typer.Option(help="Delete unclaimed namespaces, release namespace-less claims.")
    ] = False,
    min_age: Annotated[
        str, typer.Option(help="Ignore claims younger than this (Go duration).")
    ] = "10m",
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
    output: OutputOpt = None,
) -> None:
    """Slot namespaces without claims and claims without namespaces (--fix resolves them)."""
    from codexstack.naming import LABEL_PROJECT, LABEL_SLOT  # noqa: PLC0415
    from codexstack.slots import namespaces  # noqa: PLC0415
    from codexstack.slots.orphans import find_orphans, fix_orphans  # noqa: PLC0415

    slot_ctx = context(ctx, registry, registry_namespace, output=output)
    api = slot_ctx.api
    if api is None:
        raise UsageError("no cluster configured (env kubeconfig, KUBECONFIG or ~/.kube/config)")
    live = namespaces.slot_namespaces(api, f"{LABEL_SLOT},{LABEL_PROJECT}={slot_ctx.project}")
    report = find_orphans(slot_ctx.slots, live, seconds(min_age, "--min-age"))
    data: dict[str, Any] = {
        "namespaces_without_claims": report.namespaces_without_claims,
        "claims_without_namespaces": [c.slot for c in report.claims_without_namespaces],
    }
    if fix:
        fixed = fix_orphans(
            slot_ctx.slots,
            report,
            partial(namespaces.delete_namespace, api),
            partial(destroy, slot_ctx, 0.0),
        )
        data["fixed"] = asdict(fixed)
        fail_if([f"{what}: {error}" for what, error in fixed.failed.items()])
    text = (
        f"namespaces without claims: {', '.join(report.namespaces_without_claims) or '-'}\n"
        f"claims without namespaces: {data['claims_without_namespaces'] or '-'}\n"
    )
    out.emit(data, slot_ctx.opts.fmt, text=text)


def renew(
    ctx: typer.Context,
    slot: SlotOpt = None,
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> None:
    """Heartbeat: mark the slot as in use now (GC goes by the last heartbeat)."""
    slot_ctx = context(ctx, registry, registry_namespace, slot=slot)
    slot_ctx.slots.renew(required_slot(slot_ctx.opts))


def keep(
    ctx: typer.Context,
    slot: SlotOpt = None,
    off: Annotated[bool, typer.Option("--off", help="Remove the keep label.")] = False,
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> None:
    """Label a slot keep (GC never collects it), or --off to remove the label."""
    slot_ctx = context(ctx, registry, registry_namespace, slot=slot)
    slot_ctx.slots.label(required_slot(slot_ctx.opts), {"keep": None if off else "true"})

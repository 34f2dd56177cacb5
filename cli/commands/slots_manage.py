"""``manage-env cleanup|set|comment|gc``: the slot's life after ensure-ready.

cleanup destroys each selected slot's stack and releases its claim, going on past failures
(exit 1 listing them, 75 when a slot was busy); ``--all`` needs ``--yes``. gc releases claims
whose heartbeat is older than ``--ttl`` and skips keep-labelled and locked slots.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import partial
from typing import Annotated

import typer

from cli import output as out
from cli.commands.slots_glue import (
    context,
    destroy,
    emit_lines,
    fail_if,
    make_selector,
    required_slot,
    seconds,
)
from cli.options import (
    IssueOpt,
    LockWaitOpt,
    OutputOpt,
    PrOpt,
    RegistryNsOpt,
    RegistryOpt,
    SlotOpt,
    VarFileOpt,
    VarsOpt,
    merged,
    opt,
)
from codexstack.errors import StackBusyError, UsageError


def cleanup(
    ctx: typer.Context,
    *,
    slot: SlotOpt = None,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    all_: Annotated[
        bool,
        opt("--all", env="ALL", help="Every slot of the env (needs --yes)."),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm --all.")] = False,
    with_configmap: Annotated[
        bool,
        opt(env="WITH_CONFIGMAP", help="Accepted for codexctl; releasing is the default."),
    ] = True,
    keep_claim: Annotated[
        bool,
        typer.Option(
            help="Destroy the stack but keep the claim (codexctl without --with-configmap)."
        ),
    ] = False,
    namespace_wait: Annotated[
        str,
        typer.Option(help="How long to wait for the namespace to go before reporting 'releasing'."),
    ] = "120s",
    lock_wait: LockWaitOpt = "15m",
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
    output: OutputOpt = None,
) -> None:
    """Destroy the selected slots' stacks and release their claims; go on past failures."""
    from codexstack.slots.cleanup import CleanupOptions, select  # noqa: PLC0415
    from codexstack.slots.cleanup import cleanup as run  # noqa: PLC0415

    if all_ and not yes:
        raise UsageError("--all cleans up every slot of the env: add --yes to confirm")
    slot_ctx = context(ctx, registry, registry_namespace, slot=slot, output=output)
    selector = make_selector(slot_ctx, slot_ctx.opts.slot, issue, pr)
    waits = seconds(lock_wait, "--lock-wait")
    items = run(
        slot_ctx.slots,
        select(slot_ctx.slots, selector, everything=all_),
        CleanupOptions(
            destroy=partial(destroy, slot_ctx, waits),
            keep_claim=keep_claim or not with_configmap,
            lock_wait=waits,
            namespace_wait=seconds(namespace_wait, "--namespace-wait"),
        ),
    )
    rows = [
        {"slot": i.slot, "namespace": i.namespace, "outcome": i.outcome, "error": i.error}
        for i in items
    ]
    text = (
        "".join(f"slot {i.slot} ({i.namespace}): {i.outcome}\n" for i in items)
        or "nothing to clean up\n"
    )
    out.emit(rows, slot_ctx.opts.fmt, text=text)
    busy = [i for i in items if i.outcome == "busy"]
    fail_if([f"slot {i.slot}: {i.error}" for i in items if i.outcome == "failed"])
    if busy:
        raise StackBusyError("; ".join(f"slot {i.slot}: {i.error}" for i in busy))


def set_(
    ctx: typer.Context,
    *,
    slot: SlotOpt = None,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
    output: OutputOpt = None,
) -> None:
    """Bind an issue and/or PR to a claimed slot (never clears a value)."""
    slot_ctx = context(ctx, registry, registry_namespace, slot=slot, output=output)
    claim = slot_ctx.slots.set(required_slot(slot_ctx.opts), issue=issue or 0, pr=pr or 0)
    emit_lines({"slot": claim.slot, "issue": claim.issue, "pr": claim.pr}, slot_ctx.opts.fmt)


def comment(
    ctx: typer.Context,
    *,
    slot: SlotOpt = None,
    lang: Annotated[str, opt(env="LANG", help="en or ru.")] = "en",
    vars: VarsOpt = None,
    var_file: VarFileOpt = None,
) -> None:
    """Print the environment comment (slot, host, codex.links) for a PR or issue."""
    from codexstack.config.load import load_config  # noqa: PLC0415
    from codexstack.slots.comment import comment_host, env_comment  # noqa: PLC0415

    opts = merged(ctx, slot=slot, vars=vars, var_file=var_file)
    number = required_slot(opts)
    env = opts.env or "ai"
    loaded = load_config(
        opts.config_path,
        env=env,
        slot=number,
        vars=opts.vars,
        var_file=str(opts.var_file) if opts.var_file else None,
    )
    model = loaded.model
    host = comment_host(env, number, model.base_domain)
    body = env_comment(number, host, [(link.title, link.path) for link in model.codex.links], lang)
    typer.echo(body)


def gc(
    ctx: typer.Context,
    *,
    ttl: Annotated[
        str | None,
        opt(
            env="SLOTS_TTL",
            help="Heartbeat age after which a slot goes (Go duration; default slots.ttl).",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Only list what would go.")] = False,
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
    output: OutputOpt = None,
) -> None:
    """Release slots without a heartbeat for --ttl (skips keep-labelled and locked slots)."""
    slot_ctx = context(ctx, registry, registry_namespace, output=output)
    limit = ttl or slot_ctx.loaded.model.slots.ttl
    if not limit:
        raise UsageError("--ttl is required (or slots.ttl in services.yaml)")
    report = slot_ctx.slots.gc(
        seconds(limit, "--ttl"), destroy=partial(destroy, slot_ctx, 0.0), dry_run=dry_run
    )
    data = asdict(report)
    text = (
        f"released: {report.released or '-'}; releasing: {report.releasing or '-'};"
        f" would release: {report.expired or '-'}; kept: {report.kept or '-'};"
        f" locked: {report.locked or '-'}; failed: {report.failed or '-'}\n"
    )
    out.emit(data, slot_ctx.opts.fmt, text=text)
    fail_if([f"slot {slot}: {error}" for slot, error in report.failed.items()])

"""``ci ensure-slot`` and ``ci ensure-ready``: codexctl's CI steps for slots.

Both resolve the selector from ``--slot/--issue/--pr`` or ``CODEXCTL_SLOT``,
``CODEXCTL_ISSUE_NUMBER`` and ``CODEXCTL_PR_NUMBER`` (env defaults to ``ai``), print codexctl's
``key: value`` lines (or ``--output json|yaml|kv``) and append codexctl's keys to
``$GITHUB_OUTPUT``. No free slot: exit 75 (``--wait-for-slot`` queues fairly instead).
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from cli import output as out
from cli.commands.slots_glue import (
    IssueOpt,
    LockWaitOpt,
    MaxOpt,
    PrOpt,
    RegistryNsOpt,
    RegistryOpt,
    WaitSlotOpt,
    capacity,
    context,
    emit_lines,
    github_output,
    make_selector,
    ready_steps,
    seconds,
)
from cli.options import OutputOpt, SlotOpt, VarFileOpt, VarsOpt, envvars
from cli.output import OutputFormat


def ensure_slot(
    ctx: typer.Context,
    *,
    slot: SlotOpt = None,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    max_: MaxOpt = None,
    wait_for_slot: WaitSlotOpt = None,
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
    vars: VarsOpt = None,
    var_file: VarFileOpt = None,
    output: OutputOpt = None,
) -> None:
    """Claim a slot for an issue/PR (or reuse its slot); print slot, namespace and env."""
    from codexstack.slots import Request  # noqa: PLC0415
    from codexstack.slots.model import default_owner  # noqa: PLC0415
    from codexstack.slots.outputs import slot_result  # noqa: PLC0415

    slot_ctx = context(
        ctx, registry, registry_namespace, slot=slot, vars=vars, var_file=var_file, output=output
    )
    selector = make_selector(slot_ctx, slot_ctx.opts.slot, issue, pr)
    allocation = slot_ctx.slots.ensure(
        Request(
            selector,
            slot_ctx.namespace_for,
            capacity(max_, slot_ctx.loaded),
            owner=default_owner(),
            wait=seconds(wait_for_slot, "--wait-for-slot"),
        )
    )
    claim = allocation.claim
    out.info(
        f"slot {claim.slot}: {'claimed' if allocation.created else 'reused'} for"
        f" {selector.describe()} (namespace {claim.namespace})"
    )
    values = slot_result(claim.slot, claim.namespace, claim.env)
    github_output(values)
    emit_lines(values, slot_ctx.opts.fmt)


def ensure_ready(
    ctx: typer.Context,
    *,
    slot: SlotOpt = None,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    max_: MaxOpt = None,
    wait_for_slot: WaitSlotOpt = None,
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
    vars: VarsOpt = None,
    var_file: VarFileOpt = None,
    output: OutputOpt = None,
    code_root_base: Annotated[
        str | None,
        typer.Option(
            "--code-root-base",
            envvar=envvars("CODE_ROOT_BASE", "CODE_ROOT_BASE"),
            help="Workspace base folder; sources sync to <base>/<slot>/src.",
        ),
    ] = None,
    source: Annotated[
        str, typer.Option("--source", envvar=envvars("SOURCE"), help="Sources to sync.")
    ] = ".",
    prepare_images: Annotated[
        bool, typer.Option(envvar=envvars("PREPARE_IMAGES"), help="Mirror and build images.")
    ] = False,
    apply: Annotated[
        bool, typer.Option(envvar=envvars("APPLY"), help="Apply the slot's stack when new.")
    ] = False,
    force_apply: Annotated[
        bool, typer.Option(envvar=envvars("FORCE_APPLY"), help="Apply even a reused slot.")
    ] = False,
    wait_timeout: Annotated[
        str, typer.Option(envvar=envvars("WAIT_TIMEOUT"), help="Deployment wait (Go duration).")
    ] = "600s",
    wait_soft_fail: Annotated[
        bool,
        typer.Option(
            envvar=envvars("WAIT_SOFT_FAIL"), help="A wait failure sets infra_ready=false."
        ),
    ] = False,
    lock_wait: LockWaitOpt = "15m",
) -> None:
    """Claim or reuse the slot, sync sources, apply stack ai-<slot>, wait, check the agent."""
    from codexstack.slots import Request  # noqa: PLC0415
    from codexstack.slots.model import default_owner  # noqa: PLC0415
    from codexstack.slots.outputs import STDOUT_HIDDEN, legacy_ready  # noqa: PLC0415
    from codexstack.slots.ready import ReadyOptions  # noqa: PLC0415
    from codexstack.slots.ready import ensure_ready as run  # noqa: PLC0415

    slot_ctx = context(
        ctx, registry, registry_namespace, slot=slot, vars=vars, var_file=var_file, output=output
    )
    if prepare_images:
        out.warn("--prepare-images: images are built by `ci images`; skipping here")
    waits = seconds(lock_wait, "--lock-wait")
    steps = ready_steps(
        slot_ctx,
        wait_timeout=seconds(wait_timeout, "--wait-timeout"),
        lock_wait=waits,
        code_root_base=code_root_base,
        source=source,
    )
    request = Request(
        make_selector(slot_ctx, slot_ctx.opts.slot, issue, pr),
        slot_ctx.namespace_for,
        capacity(max_, slot_ctx.loaded),
        owner=default_owner(),
        wait=seconds(wait_for_slot, "--wait-for-slot"),
    )
    result = run(
        slot_ctx.slots,
        request,
        steps,
        ReadyOptions(
            apply=apply, force_apply=force_apply, soft_fail=wait_soft_fail, lock_wait=waits
        ),
    )
    if result.wait_error:
        out.warn(f"infra not ready (soft fail): {result.wait_error}")
    values = result.outputs()
    github_output(values)
    _step_summary(values)
    fmt = slot_ctx.opts.fmt
    if fmt is OutputFormat.kv:
        out.emit(legacy_ready(values), fmt)
    elif fmt in (OutputFormat.json, OutputFormat.yaml):
        out.emit({**values, **legacy_ready(values)}, fmt)
    else:
        emit_lines(values, fmt, STDOUT_HIDDEN)


def _step_summary(values: dict[str, Any]) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    if not target:
        return
    from codexstack.slots.outputs import text  # noqa: PLC0415

    rows = "".join(f"| {k} | `{text(v)}` |\n" for k, v in values.items())
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(
            f"### Slot {values['slot']} ({values['namespace']})\n\n| key | value |\n"
            f"|---|---|\n{rows}\n"
        )

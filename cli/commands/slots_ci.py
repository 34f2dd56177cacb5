"""``ci ensure-slot`` and ``ci ensure-ready``: codexctl's CI steps for slots.

Both resolve the selector from ``--slot/--issue/--pr`` or ``CODEXCTL_SLOT``,
``CODEXCTL_ISSUE_NUMBER`` and ``CODEXCTL_PR_NUMBER`` (env defaults to ``ai``), print codexctl's
``key: value`` lines (or ``--output json|yaml|kv``) and append codexctl's keys to
``$GITHUB_OUTPUT``. No free slot: exit 75 (``--wait-for-slot`` queues fairly instead).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli import output as out
from cli.commands.slots_glue import (
    SlotContext,
    capacity,
    context,
    emit_lines,
    github_output,
    make_selector,
    ready_steps,
    seconds,
)
from cli.options import (
    IssueOpt,
    LockWaitOpt,
    MaxOpt,
    PrOpt,
    RegistryNsOpt,
    RegistryOpt,
    WaitSlotOpt,
    claim_options,
    current,
    opt,
    with_options,
)
from cli.output import OutputFormat
from codexstack import flows

if TYPE_CHECKING:
    from codexstack.slots import Request


@dataclass(frozen=True)
class Claiming:
    """A step's slot context and the claim its options ask for."""

    slot_ctx: SlotContext
    issue: int | None
    pr: int | None
    max_: int | None
    wait_for_slot: float

    def request(self) -> Request:
        """The claim request; its options are checked here, after the step's own."""
        from codexstack.slots import Request  # noqa: PLC0415
        from codexstack.slots.model import default_owner  # noqa: PLC0415

        slot_ctx = self.slot_ctx
        return Request(
            make_selector(slot_ctx, slot_ctx.opts.slot, self.issue, self.pr),
            slot_ctx.namespace_for,
            capacity(self.max_, slot_ctx.loaded),
            owner=default_owner(),
            wait=self.wait_for_slot,
        )


def _claiming_step(fn: Callable[..., None]) -> Callable[..., None]:
    """A step ``fn(claiming, **own)``: Typer sees the claim options, then ``fn``'s own."""

    def run(ctx: typer.Context, given: dict[str, Any], **own: Any) -> None:
        registry, registry_ns = given.pop("registry"), given.pop("registry_namespace")
        claim = {name: given.pop(name) for name in ("issue", "pr", "max_", "wait_for_slot")}
        fn(Claiming(context(ctx, registry, registry_ns, **given), **claim), **own)

    return with_options(claim_options, fn, run)


def ensure_slot(
    ctx: typer.Context,
    *,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    max_: MaxOpt = None,
    wait_for_slot: WaitSlotOpt = 0.0,
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> int:
    """Claim a slot for an issue/PR (or reuse its slot); print slot, namespace and env."""
    opts = current(ctx)
    request = flows.ensure_slot.Request(
        opts.target,
        issue=issue or 0,
        pr=pr or 0,
        max_slots=max_ or 0,
        wait_for_slot=wait_for_slot,
        registry=flows.Registry(registry, registry_namespace),
        ci=flows.CiOutputs.from_environ(),
    )
    return out.finish(flows.ensure_slot.run(request, flows.StderrReporter()), opts.fmt)


@_claiming_step
def ensure_ready(
    claiming: Claiming,
    *,
    code_root_base: Annotated[
        str | None,
        opt(
            "--code-root-base",
            env="CODE_ROOT_BASE",
            legacy="CODE_ROOT_BASE",
            help="Workspace base folder; sources sync to <base>/<slot>/src.",
        ),
    ] = None,
    source: Annotated[str, opt("--source", env="SOURCE", help="Sources to sync.")] = ".",
    prepare_images: Annotated[
        bool, opt(env="PREPARE_IMAGES", help="Mirror and build images.")
    ] = False,
    apply: Annotated[bool, opt(env="APPLY", help="Apply the slot's stack when new.")] = False,
    force_apply: Annotated[bool, opt(env="FORCE_APPLY", help="Apply even a reused slot.")] = False,
    wait_timeout: Annotated[
        str, opt(env="WAIT_TIMEOUT", help="Deployment wait (Go duration).")
    ] = "600s",
    wait_soft_fail: Annotated[
        bool, opt(env="WAIT_SOFT_FAIL", help="A wait failure sets infra_ready=false.")
    ] = False,
    lock_wait: LockWaitOpt = "15m",
) -> None:
    """Claim or reuse the slot, sync sources, apply stack ai-<slot>, wait, check the agent."""
    from codexstack.slots.outputs import STDOUT_HIDDEN, legacy_ready  # noqa: PLC0415
    from codexstack.slots.ready import ReadyOptions  # noqa: PLC0415
    from codexstack.slots.ready import ensure_ready as run  # noqa: PLC0415

    slot_ctx = claiming.slot_ctx
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
    result = run(
        slot_ctx.slots,
        claiming.request(),
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

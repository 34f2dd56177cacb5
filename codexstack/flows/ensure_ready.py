"""``ci ensure-ready``: claim or reuse the slot, sync sources, apply ``ai-<slot>``, wait, check.

The slot is claimed as ``ci ensure-slot`` does. Under the slot's lock: sources are copied to
``<code_root_base>/<slot>/src`` when a base is given; with ``prepare_images`` a new or
recreated slot's images are mirrored and built (``ci images``); a new or recreated slot's stack is
applied when ``apply`` is set (a reused one only with ``force_apply``), then its deployments
are awaited (``soft_fail``: a timeout sets ``infra_ready=false`` instead of failing); last,
whether the agent deployment exists (``codexctl_env_ready``). The result is codexctl's §9.6
keys; ``$GITHUB_OUTPUT`` gets them all and the job summary a table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from codexstack import slots
from codexstack.flows import ensure_slot, images
from codexstack.flows._registry import open_registry
from codexstack.flows._slot_stack import SlotStacks, ready_steps
from codexstack.flows.ci import Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import lines


@dataclass(frozen=True)
class Request(ensure_slot.Request):
    """The claim (as ensure-slot) and what to do with the slot."""

    code_root_base: str | None = None
    source: str = "."
    prepare_images: bool = False
    apply: bool = False
    force_apply: bool = False
    wait_timeout: float = 600.0
    wait_soft_fail: bool = False
    lock_wait: float = 900.0


@dataclass(frozen=True)
class Result:
    """codexctl's ensure-ready keys, in its stdout order."""

    values: dict[str, Value]
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        legacy = slots.legacy_ready(self.values)
        return legacy if fmt == "kv" else {**self.values, **legacy}

    def text(self) -> str:
        return lines({k: v for k, v in self.values.items() if k not in slots.STDOUT_HIDDEN})


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Claim or reuse the slot and bring it up as the request says."""
    opened = open_registry(request.target, request.registry, progress)
    stacks = SlotStacks(opened, request.lock_wait)
    steps = ready_steps(
        stacks,
        wait_timeout=request.wait_timeout,
        code_root_base=request.code_root_base,
        source=request.source,
    )
    if request.prepare_images:
        steps = dataclasses.replace(steps, images=_prepare_images(request, progress))
    claim = opened.claim_request(
        issue=request.issue, pr=request.pr, max_slots=request.max_slots, wait=request.wait_for_slot
    )
    options = slots.ReadyOptions(
        apply=request.apply,
        force_apply=request.force_apply,
        soft_fail=request.wait_soft_fail,
        lock_wait=request.lock_wait,
    )
    outcome = slots.ensure_ready(opened.slots, claim, steps, options)
    if outcome.wait_error:
        progress.warn(f"infra not ready (soft fail): {outcome.wait_error}")
    values = outcome.outputs()
    request.ci.write(values)
    request.ci.summary_table(f"Slot {values['slot']} ({values['namespace']})", values)
    return Result(values)


def _prepare_images(request: Request, progress: Reporter) -> Callable[[slots.Claim], None]:
    """The ``--prepare-images`` step: ``ci images`` (mirror, then build) for the claimed slot."""

    def prepare(claim: slots.Claim) -> None:
        target = dataclasses.replace(
            request.target, env=claim.env, slot=claim.slot, namespace=claim.namespace or None
        )
        result = images.run(images.Request(target), progress)
        progress.info(f"images: {len(result.images)} prepared for slot {claim.slot}")

    return prepare

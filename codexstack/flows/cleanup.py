"""``manage-env cleanup``: destroy the selected slots' stacks and release their claims.

It goes on past failures: every selected slot is tried, then the result's exit code is 1 when
any failed (all failures named on the reporter), else 75 when any was busy. ``everything``
selects every slot of the env (the CLI asks for ``--yes`` first); ``keep_claim`` destroys the
stack but keeps the claim (codexctl without ``--with-configmap``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codexstack import slots
from codexstack.errors import ExitCode
from codexstack.flows._registry import Registry, open_registry
from codexstack.flows._slot_stack import SlotStacks
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """Which slots (the target's slot, an issue, a PR, or everything) and how to wait."""

    target: Target
    issue: int = 0
    pr: int = 0
    everything: bool = False
    keep_claim: bool = False
    namespace_wait: float = 120.0
    lock_wait: float = 900.0
    registry: Registry = field(default_factory=Registry)


@dataclass(frozen=True)
class Result:
    """One row per selected slot: slot, namespace, outcome, error."""

    items: list[slots.CleanupItem]
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return [
            {"slot": i.slot, "namespace": i.namespace, "outcome": i.outcome, "error": i.error}
            for i in self.items
        ]

    def text(self) -> str:
        rows = "".join(f"slot {i.slot} ({i.namespace}): {i.outcome}\n" for i in self.items)
        return rows or "nothing to clean up\n"


def verdict(problems: dict[str, list[str]], progress: Reporter) -> int:
    """Exit code for per-slot ``failed`` and ``busy`` lists, each reported as one error line."""
    for outcome, code in (("failed", ExitCode.FAILURE), ("busy", ExitCode.TEMPORARY)):
        if problems.get(outcome):
            progress.error("; ".join(problems[outcome]))
            return int(code)
    return int(ExitCode.OK)


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Clean up each selected slot in turn."""
    opened = open_registry(request.target, request.registry, progress)
    selector = slots.Selector(opened.env, request.issue, request.pr, request.target.slot)
    options = slots.CleanupOptions(
        destroy=SlotStacks(opened, request.lock_wait).destroy,
        keep_claim=request.keep_claim,
        lock_wait=request.lock_wait,
        namespace_wait=request.namespace_wait,
    )
    claims = slots.select(opened.slots, selector, everything=request.everything)
    items = slots.clean_up(opened.slots, claims, options)
    problems: dict[str, list[str]] = {}
    for item in items:
        problems.setdefault(item.outcome, []).append(f"slot {item.slot}: {item.error}")
    return Result(items, verdict(problems, progress))

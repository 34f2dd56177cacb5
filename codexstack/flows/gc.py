"""``manage-env gc``: release slots whose heartbeat is older than the TTL.

Keep-labelled and locked slots are skipped; a released slot's stack is destroyed first. The
TTL defaults to services.yaml ``slots.ttl``; ``dry_run`` only lists what would go. With
``closed`` the GitHub layer says which issues and PRs are closed (or gone), and their slots go
whatever their heartbeat (battery E2). Any failure makes the exit code 1 (after every slot was
tried).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from codexstack import github, golang, slots
from codexstack.errors import UsageError
from codexstack.flows._registry import Registry, open_registry
from codexstack.flows._slot_stack import SlotStacks
from codexstack.flows.cleanup import verdict
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """The env's registry and the TTL."""

    target: Target
    ttl: float | None = None
    """Seconds (None: services.yaml ``slots.ttl``)."""
    dry_run: bool = False
    registry: Registry = field(default_factory=Registry)
    closed: bool = False
    """Also release slots whose issue or PR is closed on GitHub (needs a token)."""


@dataclass(frozen=True)
class Result:
    """What the pass did, by slot number."""

    report: slots.GcReport
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return asdict(self.report)

    def text(self) -> str:
        r = self.report
        return (
            f"released: {r.released or '-'}; releasing: {r.releasing or '-'};"
            f" would release: {r.expired or '-'}; kept: {r.kept or '-'};"
            f" locked: {r.locked or '-'}; failed: {r.failed or '-'}\n"
        )


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Collect expired slots."""
    opened = open_registry(request.target, request.registry, progress)
    ttl = request.ttl
    if ttl is None:
        configured = opened.loaded.model.slots.ttl
        if not configured:
            raise UsageError("--ttl is required (or slots.ttl in services.yaml)")
        ttl = golang.parse_duration(configured)
    closed = _closed_on_github(opened.slots) if request.closed else None
    report = opened.slots.gc(
        ttl, destroy=SlotStacks(opened).destroy, dry_run=request.dry_run, closed=closed
    )
    failed = [f"slot {slot}: {error}" for slot, error in report.failed.items()]
    return Result(report, verdict({"failed": failed}, progress))


def _closed_on_github(registry: slots.Slots) -> Callable[[slots.Claim], bool]:
    """Whether a claim's issue or PR is closed, asked once per number before the pass."""
    claims = registry.claims(include_foreign=False)
    gone = github.closed_numbers(github.connect(), {n for c in claims for n in (c.issue, c.pr)})
    return lambda claim: claim.issue in gone or claim.pr in gone

"""``manage-env set``: bind an issue and/or PR to a claimed slot (never clears a value)."""

from __future__ import annotations

from dataclasses import dataclass, field

from codexstack.flows._registry import Registry, open_registry
from codexstack.flows.ci import Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Lines
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """The slot (the target's) and the numbers to bind (0: leave as is)."""

    target: Target
    issue: int = 0
    pr: int = 0
    registry: Registry = field(default_factory=Registry)


@dataclass(frozen=True)
class Result(Lines):
    """The slot's binding after the change."""

    slot: int
    issue: int
    pr: int

    def values(self) -> dict[str, Value]:
        return {"slot": self.slot, "issue": self.issue, "pr": self.pr}


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Bind the numbers to the target's slot."""
    opened = open_registry(request.target, request.registry, progress)
    slot = request.target.required_slot()
    claim = opened.slots.set(slot, issue=request.issue, pr=request.pr)
    return Result(claim.slot, claim.issue, claim.pr)

"""``slots renew`` and ``slots keep``: a slot's heartbeat and its keep label."""

from __future__ import annotations

from dataclasses import dataclass, field

from codexstack.flows._registry import Registry, open_registry
from codexstack.flows.ci import Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Lines
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """The slot (the target's); ``keep`` None renews, True/False sets or removes the label."""

    target: Target
    keep: bool | None = None
    registry: Registry = field(default_factory=Registry)


@dataclass(frozen=True)
class Result(Lines):
    """Nothing to print: the exit code says it worked."""

    slot: int
    keep: bool

    def values(self) -> dict[str, Value]:
        return {"slot": self.slot, "keep": self.keep}

    def text(self) -> str:
        return ""


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Heartbeat the slot, or change its keep label."""
    opened = open_registry(request.target, request.registry, progress)
    slot = request.target.required_slot()
    if request.keep is None:
        claim = opened.slots.renew(slot)
    else:
        claim = opened.slots.label(slot, {"keep": "true" if request.keep else None})
    return Result(claim.slot, claim.keep)

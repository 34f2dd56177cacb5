"""``slots orphans``: slot namespaces without claims and claims without namespaces.

``fix`` deletes the unclaimed namespaces and releases (after destroying their stacks) the
claims whose namespace is gone; claims younger than ``min_age`` are left alone. Needs the
env's cluster.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from codexstack import naming, slots
from codexstack.errors import UsageError
from codexstack.flows._registry import Registry, open_registry
from codexstack.flows._slot_stack import SlotStacks
from codexstack.flows.cleanup import verdict
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """The env's registry and cluster, and whether to fix what is found."""

    target: Target
    fix: bool = False
    min_age: float = 600.0
    registry: Registry = field(default_factory=Registry)


@dataclass(frozen=True)
class Result:
    """What was found (and fixed)."""

    found: dict[str, Any]
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return self.found

    def text(self) -> str:
        return (
            f"namespaces without claims: "
            f"{', '.join(self.found['namespaces_without_claims']) or '-'}\n"
            f"claims without namespaces: {self.found['claims_without_namespaces'] or '-'}\n"
        )


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Find (and fix) orphans of the target env's project."""
    opened = open_registry(request.target, request.registry, progress)
    api = opened.api
    if api is None:
        raise UsageError("no cluster configured (env kubeconfig, KUBECONFIG or ~/.kube/config)")
    selector = f"{naming.LABEL_SLOT},{naming.LABEL_PROJECT}={opened.project}"
    live = slots.namespaces.slot_namespaces(api, selector)
    report = slots.find_orphans(opened.slots, live, request.min_age)
    found: dict[str, Any] = {
        "namespaces_without_claims": report.namespaces_without_claims,
        "claims_without_namespaces": [c.slot for c in report.claims_without_namespaces],
    }
    code = 0
    if request.fix:
        fixed = slots.fix_orphans(
            opened.slots,
            report,
            partial(slots.namespaces.delete_namespace, api),
            SlotStacks(opened).destroy,
        )
        found["fixed"] = asdict(fixed)
        code = verdict(
            {"failed": [f"{what}: {error}" for what, error in fixed.failed.items()]}, progress
        )
    return Result(found, code)

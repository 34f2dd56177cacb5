"""The plan layer: what one environment or slot contains, computed without Pulumi.

Entry points: :func:`build_plan` (a loaded config -> :class:`Plan`), :func:`load_plan` (path
and options -> Plan, what ``render`` uses) and :func:`validate_project` (every environment of
a file, what ``validate`` uses). Imports are lazy so that importing the package (the model
dataclasses, for the engine side) does not pull in the config loader and template engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack.lazy import exports

if TYPE_CHECKING:
    from codexstack.plan.build import build_plan
    from codexstack.plan.digests import (
        digests_path,
        load_digests,
        pod_annotations,
        record_digests,
    )
    from codexstack.plan.model import AgentAccess, ClusterTarget, Manifest, Plan, Unit, UnitKind
    from codexstack.plan.project import (
        PlanRequest,
        ValidationReport,
        load_plan,
        load_request,
        validate_project,
    )

_EXPORTS = {
    "build_plan": "build",
    "digests_path": "digests",
    "load_digests": "digests",
    "pod_annotations": "digests",
    "record_digests": "digests",
    "AgentAccess": "model",
    "ClusterTarget": "model",
    "Manifest": "model",
    "Plan": "model",
    "Unit": "model",
    "UnitKind": "model",
    "PlanRequest": "project",
    "ValidationReport": "project",
    "load_plan": "project",
    "load_request": "project",
    "validate_project": "project",
}
__all__ = [
    "AgentAccess",
    "ClusterTarget",
    "Manifest",
    "Plan",
    "PlanRequest",
    "Unit",
    "UnitKind",
    "ValidationReport",
    "build_plan",
    "digests_path",
    "load_digests",
    "load_plan",
    "load_request",
    "pod_annotations",
    "record_digests",
    "validate_project",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)

"""The plan layer: what one environment or slot contains, computed without Pulumi.

Entry points: :func:`build_plan` (a loaded config -> :class:`Plan`), :func:`load_plan` (path
and options -> Plan, what ``render`` uses) and :func:`validate_project` (every environment of
a file, what ``validate`` uses). Imports are lazy so that importing the package (the model
dataclasses, for the engine side) does not pull in the config loader and template engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codexstack.plan.build import build_plan
    from codexstack.plan.model import ClusterTarget, Manifest, Plan, Unit
    from codexstack.plan.project import PlanRequest, ValidationReport, load_plan, validate_project

_LAZY = {
    "build_plan": "build",
    "ClusterTarget": "model",
    "Manifest": "model",
    "Plan": "model",
    "Unit": "model",
    "PlanRequest": "project",
    "ValidationReport": "project",
    "load_plan": "project",
    "validate_project": "project",
}
__all__ = [
    "ClusterTarget",
    "Manifest",
    "Plan",
    "PlanRequest",
    "Unit",
    "ValidationReport",
    "build_plan",
    "load_plan",
    "validate_project",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'codexstack.plan' has no attribute {name!r}")
    return getattr(importlib.import_module(f"codexstack.plan.{module}"), name)

"""The render pipeline: manifests as templates, codexctl's per-document transforms, filters.

:func:`~codexstack.render.pipeline.render_units` turns a loaded config (adapted by
:func:`~codexstack.render.inputs.render_inputs`) into each enabled unit's documents: infra
untouched, services through dropKinds → namespace injection → image override → mounts
(:mod:`~codexstack.render.transforms`). Scope of kinds (:mod:`~codexstack.render.kinds`),
filters and ``when`` (:mod:`~codexstack.render.select`) and the guard against structure
smuggled in by multi-line values (:mod:`~codexstack.render.guard`) are separate modules so
that each rule has one home. The YAML stream itself is written by ``codexstack.yamlio``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack.lazy import exports

if TYPE_CHECKING:
    from codexstack.render.inputs import render_inputs
    from codexstack.render.kinds import KindScopes
    from codexstack.render.pipeline import RenderedUnit, render_units
    from codexstack.render.select import Filters, WhenSite, evaluate_when
    from codexstack.render.workloads import pod_spec

_EXPORTS = {
    "render_inputs": "inputs",
    "KindScopes": "kinds",
    "RenderedUnit": "pipeline",
    "render_units": "pipeline",
    "Filters": "select",
    "WhenSite": "select",
    "evaluate_when": "select",
    "pod_spec": "workloads",
}
__all__ = [
    "Filters",
    "KindScopes",
    "RenderedUnit",
    "WhenSite",
    "evaluate_when",
    "pod_spec",
    "render_inputs",
    "render_units",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)

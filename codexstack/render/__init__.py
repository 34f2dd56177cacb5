"""The render pipeline: manifests as templates, codexctl's per-document transforms, filters.

:func:`~codexstack.render.pipeline.render_units` turns a loaded config (adapted by
:func:`~codexstack.render.inputs.render_inputs`) into each enabled unit's documents: infra
untouched, services through dropKinds → namespace injection → image override → mounts
(:mod:`~codexstack.render.transforms`). Scope of kinds (:mod:`~codexstack.render.kinds`),
filters and ``when`` (:mod:`~codexstack.render.select`) and the guard against structure
smuggled in by multi-line values (:mod:`~codexstack.render.guard`) are separate modules so
that each rule has one home. The YAML stream itself is written by ``codexstack.yamlio``.
"""

"""Adapt a loaded config into the pipeline's inputs: template sites, path guard, locations.

The pipeline itself knows only plain callables; this module binds them to a
:class:`~codexstack.config.load.LoadedConfig`: manifests render with the full context (template
name = absolute path), the structure guard's second context replaces every multi-line variable
with a one-word stand-in, manifest paths go through the project path guard, and field re-rendering
is switched on only by ``doubleRender: true`` (codexctl's behaviour, D-DOUBLE-RENDER).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from codexstack.config import LoadedConfig, PathPart
from codexstack.errors import Location
from codexstack.render.kinds import KindScopes
from codexstack.render.manifests import RenderFn, TemplateSite
from codexstack.render.pipeline import RenderInputs
from codexstack.yamlio import stand_in


def _multiline(values: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if "\n" in v or "\r" in v}


def _flat(values: Mapping[str, str]) -> dict[str, str]:
    return {k: stand_in(v) for k, v in values.items()}


def template_site(loaded: LoadedConfig) -> TemplateSite:
    """Manifest rendering for ``loaded``, with the structure guard armed when it is needed."""
    ctx = loaded.context
    render: RenderFn = loaded.render
    multiline = _multiline(ctx.env_map) | _multiline(ctx.vars) | _multiline(ctx.user_vars)
    if not multiline:
        return TemplateSite(render)
    env_map, vars_, user_vars = _flat(ctx.env_map), _flat(ctx.vars), _flat(ctx.user_vars)

    def check_render(text: str, name: str) -> str:
        return loaded.render(text, name, env_map=env_map, vars=vars_, user_vars=user_vars)

    return TemplateSite(render, check_render, multiline)


def render_inputs(loaded: LoadedConfig, scopes: KindScopes | None = None) -> RenderInputs:
    """Everything :func:`~codexstack.render.pipeline.render_units` needs from ``loaded``."""

    def resolve(rel: str) -> Path:
        return loaded.resolve_path(rel, "manifest path")

    def locate(path: tuple[PathPart, ...]) -> Location:
        return loaded.locator.locate(path)

    return RenderInputs(
        config=loaded.model,
        env=loaded.env,
        namespace=loaded.namespace,
        source=loaded.display_name,
        site=template_site(loaded),
        resolve=resolve,
        locate=locate,
        render_field=loaded.render if loaded.model.double_render else None,
        scopes=scopes or KindScopes(),
    )

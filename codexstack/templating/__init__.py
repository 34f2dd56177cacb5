"""Template rendering for codexstack: the Go dialect (codexctl-compatible) and Jinja.

One call renders any template site: :func:`render` (or a :class:`Renderer` bound to one
load's env map and timestamp). The ``go`` dialect reproduces Go's ``text/template`` byte for
byte (:mod:`.gotmpl`) with codexctl's helper functions (:mod:`.functions`); ``jinja`` is
Jinja2's immutable sandbox with the same helpers (:mod:`.jinja`). Data is either a
:class:`~.context.TemplateContext` (the codexctl context, shaped per dialect) or a value
already in the dialect's model. Every failure is a :class:`~codexstack.errors.TemplateError`
whose location names the template (file), line and, when given, the config key.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, Literal

from codexstack.errors import Location, TemplateError
from codexstack.templating.assets import asset_dir, asset_exists, asset_text
from codexstack.templating.context import TemplateContext, go_now
from codexstack.templating.functions import go_functions
from codexstack.templating.gotmpl import types as gotypes
from codexstack.templating.gotmpl.gotime import GoTime
from codexstack.templating.gotmpl.template import GoTemplateError
from codexstack.templating.gotmpl.template import render as go_render
from codexstack.templating.gotmpl.values import GoMap, GoPtr, GoSlice, GoStruct, NilPtr

Dialect = Literal["go", "jinja"]

__all__ = [
    "Dialect",
    "GoMap",
    "GoPtr",
    "GoSlice",
    "GoStruct",
    "GoTime",
    "NilPtr",
    "Renderer",
    "TemplateContext",
    "asset_dir",
    "asset_exists",
    "asset_text",
    "go_render",
    "gotypes",
    "render",
]


class Renderer:
    """Renders template texts for one load: fixed env map and ``now``, either dialect."""

    def __init__(self, env_map: Mapping[str, str], now: _dt.datetime | GoTime) -> None:
        self.env_map = env_map
        self.go_now = go_now(now)
        self.now = now if isinstance(now, _dt.datetime) else _to_datetime(now)
        self.go_funcs = go_functions(env_map, self.go_now)

    def render(
        self, dialect: Dialect, name: str, text: str, data: Any, *, key: str | None = None
    ) -> str:
        """Render ``text`` as template ``name`` (the file in error locations) on ``data``."""
        if dialect == "go":
            return self._render_go(name, text, data, key)
        if dialect == "jinja":
            from codexstack.templating import jinja  # noqa: PLC0415 -- load jinja2 only when used

            if isinstance(data, TemplateContext):
                data = data.jinja_data()
            return jinja.render(name, text, data or {}, env_map=self.env_map, now=self.now, key=key)
        raise TemplateError(f"unknown template dialect {dialect!r}", location=Location(file=name))

    def _render_go(self, name: str, text: str, data: Any, key: str | None) -> str:
        if isinstance(data, TemplateContext):
            data = data.go_data()
        try:
            return go_render(name, text, data, self.go_funcs)
        except GoTemplateError as exc:
            where = Location(file=exc.name or name, line=exc.line, column=exc.column, key=key)
            raise TemplateError(exc.detail, location=where) from None


def _to_datetime(t: GoTime) -> _dt.datetime:
    epoch = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
    return epoch + _dt.timedelta(seconds=t.sec, microseconds=t.nsec // 1000)


def render(
    dialect: Dialect,
    name: str,
    text: str,
    data: Any,
    *,
    env_map: Mapping[str, str],
    now: _dt.datetime | GoTime,
    key: str | None = None,
) -> str:
    """Render one template text; see :class:`Renderer` for rendering many with one load."""
    return Renderer(env_map, now).render(dialect, name, text, data, key=key)

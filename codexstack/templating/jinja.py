"""The Jinja dialect: Jinja2's immutable sandbox with codexctl's helpers.

Native dialect for new projects. Missing values are errors (``StrictUndefined``), nothing
is HTML-escaped, trailing newlines are kept, and templates run in
``ImmutableSandboxedEnvironment``: no underscore attributes, no mutation of values, no
reaching Python internals (``{{ ''.__class__ }}`` is refused). codexctl's helpers are
globals under their codexctl names and argument orders (``envOr("X", "d")``,
``default(value, def)``, ``join(list, sep)``, ``indent(n, s)``) and under snake_case names;
``*`` and ``**`` are bounded so a template cannot exhaust memory;
the ones that read naturally as filters are filters too (``{{ x | default_if_blank("y") }}``,
``{{ v | trim_prefix("v") }}``, ``{{ s | shq }}``). Compiled templates are cached by
(name, text).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from codexstack.errors import Location, TemplateError
from codexstack.templating import functions as F

MAX_PRODUCT = 1_000_000
"""Largest string/list a template may build with ``*`` (and bound for ``**`` results)."""


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, plus bounds on ``*`` and ``**`` so memory stays bounded."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and _too_long(left, right):
            raise SecurityError(f"result of * longer than {MAX_PRODUCT}")
        if operator == "**" and _int_pair(left, right) and abs(right) > 64 and abs(left) > 1:
            raise SecurityError("exponent too large")
        return super().call_binop(context, operator, left, right)


def _int_pair(left: Any, right: Any) -> bool:
    return isinstance(left, int) and isinstance(right, int)


def _too_long(left: Any, right: Any) -> bool:
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(count, int):
            return len(seq) * count > MAX_PRODUCT
    return False


_ENV = _BoundedSandbox(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
)


def _indent_lines(s: str, n: int) -> str:
    """Filter form of codexctl's ``indent``: ``{{ text | indent_lines(4) }}``."""
    return F.indent(n, s)


def _ternary(cond: Any, a: Any, b: Any) -> Any:
    if not isinstance(cond, bool):
        raise TypeError(f"ternary needs a bool condition, got {type(cond).__name__}")
    return F.ternary(cond, a, b)


_FILTERS: dict[str, Callable[..., Any]] = {
    "default_if_blank": F.default,
    "to_lower": F.to_lower,
    "slug": F.slug,
    "trunc_sha": F.trunc_sha,
    "trim_prefix": F.trim_prefix,
    "indent_lines": _indent_lines,
    "shq": F.shq,
    "to_json": F.to_json,
}
_ENV.filters.update(_FILTERS)

_STATIC_GLOBALS: dict[str, Any] = {
    "default": F.default,
    "toLower": F.to_lower,
    "slug": F.slug,
    "truncSHA": F.trunc_sha,
    "ternary": _ternary,
    "join": F.join,
    "indent": F.indent,
    "trimPrefix": F.trim_prefix,
    "shq": F.shq,
    "toJson": F.to_json,
    "default_if_blank": F.default,
    "to_lower": F.to_lower,
    "trunc_sha": F.trunc_sha,
    "trim_prefix": F.trim_prefix,
    "to_json": F.to_json,
}


def jinja_functions(env_map: Mapping[str, str], now: _dt.datetime) -> dict[str, Any]:
    """The globals of one render: the static helpers plus ``envOr``/``env_or`` and ``now``."""

    def env_or(key: str, default: str) -> str:
        return F.env_or(env_map, key, default)

    return {**_STATIC_GLOBALS, "envOr": env_or, "env_or": env_or, "now": lambda: now}


@lru_cache(maxsize=1024)
def _compile(name: str, text: str) -> jinja2.Template:
    code = _ENV.compile(text, name=name, filename=name)
    return _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None))


def _template_line(exc: BaseException, name: str) -> int | None:
    """The template line of a runtime error (Jinja maps frames back to template lines)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render(
    name: str,
    text: str,
    data: Mapping[str, Any],
    *,
    env_map: Mapping[str, str],
    now: _dt.datetime,
    key: str | None = None,
) -> str:
    """Render ``text`` (named ``name`` in errors) with ``data``; errors are TemplateError."""
    try:
        template = _compile(name, text)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(file=name, line=exc.lineno, key=key)
        raise TemplateError(f"template syntax error: {exc.message}", location=where) from None
    try:
        return template.render({**jinja_functions(env_map, now), **data})
    except jinja2.TemplateError as exc:
        where = Location(file=name, line=_template_line(exc, name), key=key)
        raise TemplateError(_describe(exc), location=where) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        where = Location(file=name, line=_template_line(exc, name), key=key)
        raise TemplateError(f"error executing template: {exc}", location=where) from None


def _describe(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"refused by the template sandbox: {exc}"
    if isinstance(exc, jinja2.UndefinedError):
        return f"undefined value: {exc.message}"
    return f"template error: {exc.message or exc}"

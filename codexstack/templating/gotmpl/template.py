"""Parse-and-execute entry point of the Go dialect, with a parse cache.

:func:`render` is ``template.New(name).Funcs(funcs).Option("missingkey=default").Parse(text)``
followed by ``Execute``. Parsed template sets are cached by (name, text, function names),
so rendering the same manifest for many environments parses it once. Parse and execution
errors surface as :class:`GoTemplateError` with Go's message text plus the line (and, for
execution errors, the byte column) Go reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from codexstack.templating.gotmpl import nodes as N
from codexstack.templating.gotmpl.builtins import BUILTINS
from codexstack.templating.gotmpl.execute import ExecError, execute
from codexstack.templating.gotmpl.parser import ParseError, parse
from codexstack.templating.gotmpl.values import GoFunc


class GoTemplateError(Exception):
    """A Go-dialect template failed to parse (``phase='parse'``) or to execute.

    ``message`` is Go's full text (``template: NAME:LINE:COL: ...``); ``detail`` is the same
    without that location prefix, for messages that state the location separately.
    """

    def __init__(
        self,
        message: str,
        *,
        phase: str,
        name: str,
        line: int | None,
        column: int | None,
        detail: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.phase = phase
        self.name = name
        self.line = line
        self.column = column
        self.detail = detail or message


@lru_cache(maxsize=1024)
def _parse_cached(name: str, text: str, func_names: frozenset[str]) -> Mapping[str, N.Tree]:
    return parse(name, text, func_names)


def parse_template(name: str, text: str, funcs: Mapping[str, GoFunc]) -> Mapping[str, N.Tree]:
    """The template set defined by ``text``; raises :class:`GoTemplateError`."""
    try:
        return _parse_cached(name, text, frozenset(funcs) | _BUILTIN_NAMES)
    except ParseError as exc:
        raise GoTemplateError(
            exc.message, phase="parse", name=exc.name, line=exc.line, column=None, detail=exc.detail
        ) from None
    except RecursionError:
        raise GoTemplateError(
            f"template: {name}: template nesting too deep",
            phase="parse",
            name=name,
            line=None,
            column=None,
        ) from None


_BUILTIN_NAMES = frozenset(BUILTINS)


def render(name: str, text: str, data: Any, funcs: Mapping[str, GoFunc]) -> str:
    """Parse (cached) and execute ``text`` as template ``name`` on ``data``."""
    trees = parse_template(name, text, funcs)
    try:
        return execute(name, trees, funcs, data)
    except ExecError as exc:
        raise GoTemplateError(
            exc.message,
            phase="exec",
            name=exc.name,
            line=exc.line,
            column=exc.column,
            detail=exc.detail,
        ) from None

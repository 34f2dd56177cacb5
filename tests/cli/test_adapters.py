"""``cli/commands`` holds adapters only: every command body is short and imports nothing.

A command parses (its options are declarations, not body), builds one flow request, runs the
flow, emits and returns the exit code; laziness lives in the package ``__init__`` files, so a
command body never imports. The limit is about 25 lines of body after the docstring.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

import pytest

from cli.app import COMMANDS

MAX_BODY_LINES = 25


def body(command: Callable[..., Any]) -> list[ast.stmt]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(command)))
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    statements = function.body
    if statements and isinstance(statements[0], ast.Expr):  # the docstring
        statements = statements[1:]
    return statements


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_command_bodies_are_short_adapters(path: str, command: Callable[..., Any]) -> None:
    statements = body(command)
    lines = statements[-1].end_lineno - statements[0].lineno + 1  # type: ignore[operator]
    assert lines <= MAX_BODY_LINES, f"{path}: {lines} lines"
    imports = [
        n for s in statements for n in ast.walk(s) if isinstance(n, ast.Import | ast.ImportFrom)
    ]
    assert not imports, f"{path} imports inside its body"

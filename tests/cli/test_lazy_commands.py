"""The root group builds a command only when it is looked up, and lists every one in order."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cli.lazy_commands import LazyCommands

PROBE = """
from cli.app import CLI, COMMANDS, main
table = CLI.commands
built = lambda: sorted(table._built)
assert built() == [], built()
assert main(["render", "--help"]) == 0
assert built() == ["render"], built()
assert list(table) == [p for p, _ in COMMANDS if " " not in p] + [
    "ci", "manage-env", "plan", "pr", "issue", "slots", "init", "prompt", "images",
    "registry", "cluster"], list(table)
"""


def test_a_run_builds_only_its_own_command() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_the_mapping_behaves_like_the_dict_it_replaces() -> None:
    calls: list[str] = []

    def builder(name: str):  # type: ignore[no-untyped-def]
        def build():  # type: ignore[no-untyped-def]
            calls.append(name)
            return object()

        return build

    table = LazyCommands({"a": builder("a"), "b": builder("b")})
    assert "a" in table
    assert "z" not in table
    assert list(table) == ["a", "b"]
    assert len(table) == 2
    first = table["a"]
    assert table["a"] is first
    assert calls == ["a"]
    assert table.get("z") is None
    with pytest.raises(KeyError):
        table["z"]
    table["c"] = first  # type: ignore[assignment]
    assert list(table) == ["a", "b", "c"]
    del table["b"]
    assert list(table) == ["a", "c"]
    assert calls == ["a"]

"""Warn when a hook's ``run:`` splices an outside value into shell code (issue 14, defect 2).

A ``run:`` step is a template, and whatever ``{{ }}`` puts into it becomes part of the script:
a value from the environment, an env file or ``--vars`` can carry ``$(...)``. Values are safe
as environment variables (every step gets the merged variables) or quoted with ``shq``. This
scan reads the *untemplated* file and warns, at the step's line, for every action that reads
such a value (``envOr``, ``.EnvMap``, ``.Vars``, ``.UserVars`` or their Jinja names) without
ending in ``shq``. Literal values (``.Project``, ``.Slot``, ``.Versions``…) are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from codexstack.config.issues import Issue, Locator, PathPart

_ACTION = re.compile(r"\{\{-?(.*?)-?\}\}", re.S)
_OUTSIDE = re.compile(r"\benvOr\b|\.(EnvMap|Vars|UserVars)\b|\b(env_map|user_vars|vars|EnvMap)\b")
_QUOTED = re.compile(r"(\|\s*shq\s*$)|(^\s*shq\b)")
_STAGES = ("beforeApply", "afterApply", "beforeDestroy", "afterDestroy", "beforeAll", "afterAll")


def _steps(data: Mapping[str, Any]) -> Iterator[tuple[tuple[PathPart, ...], Any]]:
    hooks = data.get("hooks")
    if isinstance(hooks, Mapping):
        yield from _stage_steps(("hooks",), hooks)
    for section in ("infrastructure", "services"):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, Mapping) and isinstance(item.get("hooks"), Mapping):
                yield from _stage_steps((section, index, "hooks"), item["hooks"])


def _stage_steps(
    prefix: tuple[PathPart, ...], hooks: Mapping[str, Any]
) -> Iterator[tuple[tuple[PathPart, ...], Any]]:
    for stage in _STAGES:
        steps = hooks.get(stage)
        if isinstance(steps, list):
            for index, step in enumerate(steps):
                yield (*prefix, stage, index), step


def unquoted_outside_values(run: str) -> list[str]:
    """The actions of ``run`` that splice an outside value into the script unquoted."""
    return [
        m.group(0)
        for m in _ACTION.finditer(run)
        if _OUTSIDE.search(m.group(1)) and not _QUOTED.search(m.group(1).strip())
    ]


def scan_hook_runs(raw: Any, locator: Locator) -> list[Issue]:
    """One warning per ``run:`` step that interpolates an outside value without ``shq``."""
    if not isinstance(raw, Mapping):
        return []
    issues = []
    for path, step in _steps(raw):
        run = step.get("run") if isinstance(step, Mapping) else None
        if not isinstance(run, str):
            continue
        found = unquoted_outside_values(run)
        if found:
            issues.append(
                locator.issue(
                    (*path, "run"),
                    f"run: splices a value from outside the file into shell code ({found[0]})",
                    hint='read it as an environment variable in the script ("$NAME") or '
                    "quote it with shq",
                    severity="warning",
                )
            )
    return issues

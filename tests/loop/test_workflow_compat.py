"""Every shipped workflow and codexctl 1.0.x's own (reference §9.7) use only what codexstack
has: each ``codexctl``/``codexstack`` command exists, each ``CODEXCTL_*`` variable they set is
read by the command it is set for, and each step output they read is one the command writes
(reference §9.6). See :mod:`loop.compat` for the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from loop.compat import REPO, check

CODEXCTL = REPO / "tests" / "loop" / "workflows" / "codexctl" / ".github" / "workflows"
FILES = sorted([*(REPO / "templates" / "workflows").glob("*.yml"), *CODEXCTL.glob("*.yml")])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_workflow_uses_only_what_codexstack_has(path: Path) -> None:
    problems = check(path)
    assert problems == [], "\n".join(map(str, problems))


def test_all_workflows_are_checked() -> None:
    assert len(FILES) == 14 + 10

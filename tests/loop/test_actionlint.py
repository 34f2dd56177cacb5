"""Every workflow file the project ships or runs in tests passes actionlint 1.7.7.

actionlint checks the expressions (contexts, types, functions), ``needs``/outputs wiring,
``workflow_call`` inputs, outputs and secrets of local reusable workflows, permissions and
runner labels. The shipped files are linted as ``init workflows`` installs them into a
repository (under ``.github/workflows``), so the callers' ``uses: ./.github/workflows/…`` are
resolved and checked against the reusable workflows' inputs. Its shellcheck pass is off
(``-shellcheck=``): the ``run:`` scripts are exercised by the loop scenarios instead.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from codexstack.flows import init_workflows
from loop.actkit import ActMissing, binary

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "templates" / "workflows").glob("*.yml"))
FIXTURES = sorted((REPO / "tests" / "loop" / "workflows").glob("*/.github/workflows"))


def actionlint(project: Path) -> subprocess.CompletedProcess[str]:
    try:
        exe = binary("actionlint")
    except ActMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    files = sorted(str(p) for p in (project / ".github" / "workflows").glob("*.yml"))
    assert files, project
    return subprocess.run(
        [str(exe), "-no-color", "-shellcheck=", "-pyflakes=", *files],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
    )


def test_shipped_workflows_lint_clean(tmp_path: Path) -> None:
    assert len(SHIPPED) == 14, [p.name for p in SHIPPED]
    init_workflows.run(init_workflows.Request(tmp_path))
    done = actionlint(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("workflows", FIXTURES, ids=lambda p: p.parent.parent.name)
def test_fixture_workflows_lint_clean(workflows: Path) -> None:
    done = actionlint(workflows.parent.parent)
    assert done.returncode == 0, done.stdout + done.stderr

"""Every workflow file the project ships or runs in tests passes actionlint 1.7.7.

actionlint checks the expressions (contexts, types, functions), ``needs``/outputs wiring,
``workflow_call`` inputs and secrets, permissions and runner labels. Its shellcheck pass is
off (``-shellcheck=``): the `run:` scripts are exercised by the loop scenarios instead.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from loop.actkit import ActMissing, binary

REPO = Path(__file__).resolve().parents[2]
LINTED = sorted(
    [
        *(REPO / "templates" / "workflows").glob("*.yml"),
        *(REPO / "tests" / "loop" / "workflows").glob("**/.github/workflows/*.yml"),
    ]
)


def test_workflow_files_exist() -> None:
    assert len(LINTED) >= 2, LINTED


@pytest.mark.parametrize("path", LINTED, ids=lambda p: str(p.relative_to(REPO)))
def test_actionlint(path: Path) -> None:
    try:
        actionlint = binary("actionlint")
    except ActMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    done = subprocess.run(
        [str(actionlint), "-no-color", "-shellcheck=", "-pyflakes=", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=_project_root(path),
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _project_root(path: Path) -> Path:
    """actionlint resolves ``./.github/workflows/x.yml`` calls from the repository holding the
    file: the directory above ``.github``, else this checkout."""
    return path.parents[2] if path.parent.parent.name == ".github" else REPO

"""``destroy`` asks before deleting a shared environment (issue 14, defect 12).

Before, ``codexstack destroy --env staging`` ran at once, with no ``--yes`` at all. Now, with
no terminal and no ``--yes``, a non-slot destroy is refused (exit 64) before the engine, the
config or the state is touched. The question itself and ``--yes`` on a real stack are tested
against the engine in tests/integration/test_harden_deploy.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codexstack import flows
from codexstack.errors import ExitCode, UsageError

CLI = Path(sys.executable).parent / "codexstack"


def test_without_a_terminal_a_shared_stack_needs_yes(project: Path) -> None:
    request = flows.destroy.Request(flows.Target(env="staging"))
    with pytest.raises(UsageError, match="needs confirmation") as caught:
        flows.destroy.run(request)
    assert caught.value.exit_code == ExitCode.USAGE
    assert not (project / ".codexstack").exists()


def test_the_cli_refuses_with_exit_64_and_says_how(project: Path) -> None:
    done = subprocess.run(
        [str(CLI), "destroy", "--env", "staging"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert "--yes" in done.stderr
    assert not (project / ".codexstack").exists()

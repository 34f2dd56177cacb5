"""Deploy commands' option handling that needs no engine: codexctl's strict env parsing."""

from __future__ import annotations

import pytest

from cli.app import main
from codexstack.errors import ExitCode


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WAIT", "PREFLIGHT", "APPLY_RETRIES", "APPLY_BACKOFF", "ENV"):
        monkeypatch.delenv(f"CODEXCTL_{name}", raising=False)
        monkeypatch.delenv(f"CODEXSTACK_{name}", raising=False)


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("CODEXCTL_WAIT", "yes", "invalid boolean 'yes'"),
        ("CODEXCTL_PREFLIGHT", "on", "invalid boolean 'on'"),
        ("CODEXCTL_APPLY_RETRIES", "three", "invalid integer 'three'"),
        ("CODEXCTL_APPLY_BACKOFF", "5 seconds", "invalid duration"),
    ],
)
def test_ci_apply_rejects_malformed_variables_like_codexctl(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    var: str,
    value: str,
    message: str,
):
    monkeypatch.setenv(var, value)
    assert main(["ci", "apply", "--env", "dev"]) == ExitCode.FAILURE
    assert message in capsys.readouterr().err


def test_apply_needs_an_environment(capsys: pytest.CaptureFixture[str]):
    assert main(["apply"]) == ExitCode.USAGE
    assert "--env is required" in capsys.readouterr().err


def test_an_invalid_wait_timeout_is_a_usage_error(capsys: pytest.CaptureFixture[str]):
    assert main(["apply", "--env", "dev", "--wait-timeout", "soon"]) == ExitCode.USAGE
    assert "--wait-timeout" in capsys.readouterr().err

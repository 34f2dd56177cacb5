"""cluster status/down and doctor flows on a state directory where nothing runs."""

from __future__ import annotations

from pathlib import Path

from codexstack.errors import ExitCode
from codexstack.flows import cluster_down, cluster_status, doctor


def test_status_of_a_stopped_cluster(tmp_path: Path) -> None:
    result = cluster_status.run(cluster_status.Request(tmp_path / "none"))
    assert result.exit_code == ExitCode.FAILURE
    assert result.data("json")["healthy"] is False
    assert "NOT healthy" in result.text()


def test_down_with_nothing_running(tmp_path: Path) -> None:
    result = cluster_down.run(cluster_down.Request(tmp_path / "none"))
    assert result.data("json") == {"stopped": [], "purged": False}
    assert result.text() == "stopped: nothing was running\n"


def test_doctor_reports_the_missing_cluster(tmp_path: Path) -> None:
    result = doctor.run(doctor.Request(tmp_path / "none"))
    assert result.exit_code == ExitCode.FAILURE  # no cluster runs there
    assert result.data("json")["checks"]

"""The deploy flows called directly with the real engine, rendering to a directory.

``apply`` with ``render_to`` needs the Pulumi engine and the Kubernetes provider
(``scripts/engine``) but no cluster: the env's kubeconfig may point nowhere. The flow reports
engine steps on its reporter and writes the step summary; ``status`` then reads the stack,
which a render leaves undeployed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codexstack import flows
from codexstack.flows import apply, status

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    project = tmp_path / "demo"
    shutil.copytree(
        REPO / "examples" / "demo", project, ignore=shutil.ignore_patterns(".codexstack")
    )
    return project


def test_apply_renders_and_status_reads_the_stack(demo: Path, tmp_path: Path) -> None:
    target = flows.Target(config=demo / "services.yaml", env="ai", slot=4)
    summary = tmp_path / "summary.md"
    progress = flows.Recorder()
    request = apply.Request(
        target,
        render_to=tmp_path / "out",
        ci=flows.CiOutputs(summary=summary),
    )
    result = apply.run(request, progress)
    assert result.exit_code == 0
    data = result.data("json")
    assert (data["stack"], data["operation"]) == ("ai-4", "render")
    assert data["changes"]["create"] > 0
    assert set(result.data("kv")) >= {"stack", "operation", "changes_create", "duration_s"}
    assert result.text().startswith("render ai-4: ")
    assert any(line.startswith("step: ") for line in progress.lines)
    assert list((tmp_path / "out").rglob("*.yaml"))
    assert summary.read_text().startswith("### codexstack render: `ai-4`")
    # rendering keeps no stack state: the slot's stack is still not deployed
    state = status.run(status.Request(target))
    assert (state.report["stack"], state.report["exists"]) == ("ai-4", False)
    assert state.text().endswith("state:      not deployed\n")

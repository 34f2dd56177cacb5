"""``codexstack init workflows`` end to end through the console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CLI = [str(Path(sys.executable).with_name("codexstack"))]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, check=False)


def test_init_workflows_json_then_refusal(tmp_path: Path) -> None:
    first = run("init", "workflows", "--dir", str(tmp_path), "-o", "json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert len(data["files"]) == 14
    assert {f["action"] for f in data["files"]} == {"created"}
    assert "14 of 14 workflow files written" in first.stderr
    dev = tmp_path / ".github" / "workflows" / "ai-dev.yml"
    dev.write_text("name: mine\n")
    refused = run("init", "workflows", "--dir", str(tmp_path))
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert "differ from the shipped ones" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert dev.read_text() == "name: mine\n"
    forced = run("init", "workflows", "--dir", str(tmp_path), "--force")
    assert forced.returncode == 0, forced.stderr
    assert f"updated: {dev}" in forced.stdout.splitlines()

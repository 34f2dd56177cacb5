"""The slot commands through the real CLI entry: codexctl's outputs, env fallbacks, exit codes.

The registry is the SQLite default under the project; no cluster is configured (HOME and
KUBECONFIG point nowhere), so commands that need the engine are covered by the integration
tests instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.app import main

SERVICES = """\
project: shop
maxSlots: 3
baseDomain:
  ai: ai.shop.local
environments:
  ai: {}
codex:
  links:
    - title: Swagger
      path: swagger
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "services.yaml").write_text(SERVICES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in list(os.environ):
        if name.startswith(("CODEXCTL_", "CODEXSTACK_", "GITHUB_")) or name == "KUBECONFIG":
            monkeypatch.delenv(name)
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "gh" / "output"))
    return tmp_path


Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def outputs(project: Path) -> list[str]:
    path = project / "gh" / "output"
    lines = path.read_text().splitlines()
    path.unlink()
    return lines


def test_ensure_slot_prints_and_writes_codexctl_outputs(project: Path, capsys: Capture) -> None:
    code, out, err = run(capsys, "ci", "ensure-slot", "--issue", "42")
    assert (code, out) == (0, "slot: 1\nnamespace: shop-dev-1\nenv: ai\n")
    assert "claimed" in err
    assert outputs(project) == ["env=ai", "namespace=shop-dev-1", "slot=1"]
    code, out, err = run(capsys, "ci", "ensure-slot", "--issue", "42", "--output", "json")
    assert json.loads(out) == {"slot": 1, "namespace": "shop-dev-1", "env": "ai"}
    assert "reused" in err
    assert (project / ".codexstack" / "slots.db").is_file()


def test_env_fallbacks_capacity_and_exit_codes(
    project: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODEXCTL_ISSUE_NUMBER", "7")
    assert (
        run(capsys, "ci", "ensure-slot", "-o", "kv")[1] == "slot=1\nnamespace=shop-dev-1\nenv=ai\n"
    )
    monkeypatch.delenv("CODEXCTL_ISSUE_NUMBER")
    for issue in ("8", "9"):
        assert run(capsys, "ci", "ensure-slot", "--issue", issue)[0] == 0
    code, out, err = run(capsys, "ci", "ensure-slot", "--issue", "10")  # maxSlots: 3
    assert (code, out) == (75, "")
    assert "no free slot" in err
    monkeypatch.setenv("CODEXCTL_DEV_SLOTS_MAX", "4")
    assert run(capsys, "ci", "ensure-slot", "--issue", "10")[1].startswith("slot: 4\n")
    code, _, err = run(capsys, "ci", "ensure-slot", "--issue", "11", "--slot", "2")
    assert code == 1
    assert "slot 2 is held" in err
    assert run(capsys, "ci", "ensure-slot")[0] == 64


def test_set_list_comment_and_gc(project: Path, capsys: Capture) -> None:
    run(capsys, "ci", "ensure-slot", "--issue", "5")
    assert run(capsys, "manage-env", "set", "--slot", "1", "--pr", "77")[0] == 0
    assert run(capsys, "ci", "ensure-slot", "--pr", "77")[1].startswith("slot: 1\n")
    code, out, _ = run(capsys, "slots", "list", "--output", "json")
    rows = json.loads(out)
    assert [(r["slot"], r["issue"], r["pr"], r["source"]) for r in rows] == [
        (1, 5, 77, "codexstack")
    ]
    table = run(capsys, "slots", "list")[1].splitlines()
    assert table[0].split()[:4] == ["slot", "env", "issue", "pr"]
    assert table[1].split()[:5] == ["1", "ai", "5", "77", "shop-dev-1"]
    code, out, _ = run(capsys, "manage-env", "comment", "--slot", "1")
    assert out == (
        "Codex run completed\n\n- Slot: 1\n- Host: https://dev-1.ai.shop.local\n"
        "- Swagger: https://dev-1.ai.shop.local/swagger\n\n"
    )
    code, out, _ = run(capsys, "manage-env", "gc", "--ttl", "1h", "--dry-run", "-o", "json")
    assert (code, json.loads(out)["fresh"]) == (0, [1])
    assert run(capsys, "slots", "keep", "--slot", "1")[0] == 0
    assert json.loads(run(capsys, "slots", "list", "-o", "json")[1])[0]["keep"] is True


def test_cleanup_all_needs_confirmation(project: Path, capsys: Capture) -> None:
    code, _, err = run(capsys, "manage-env", "cleanup", "--all")
    assert code == 64
    assert "--yes" in err
    assert run(capsys, "manage-env", "cleanup", "--issue", "404")[1] == "nothing to clean up\n"


def test_ensure_ready_without_apply_syncs_and_reports(
    project: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "src").mkdir()
    (project / "src" / "main.py").write_text("print('hi')\n")
    monkeypatch.setenv("CODEXCTL_CODE_ROOT_BASE", str(project / "ws"))
    code, out, _ = run(capsys, "ci", "ensure-ready", "--issue", "3", "--source", "src")
    assert code == 0
    assert out.splitlines() == [
        "slot: 1",
        "namespace: shop-dev-1",
        "env: ai",
        "created: true",
        "recreated: false",
        "infra_ready: true",
        "codexctl_env_ready: false",
        "infra_unhealthy: false",
        "codexctl_new_env: true",
    ]
    assert (project / "ws" / "1" / "src" / "main.py").is_file()
    written = dict(line.split("=", 1) for line in outputs(project))
    assert written["codexctl_run_args"] == "--env ai --slot 1 --namespace shop-dev-1 --issue 3"
    assert list(written) == sorted(written)
    legacy = run(capsys, "ci", "ensure-ready", "--issue", "3", "-o", "kv")[1]
    assert legacy == (
        "slot=1\nnamespace=shop-dev-1\nenv=ai\ncreated=false\nrecreated=false\ninfraReady=true\n"
    )


@pytest.mark.slow
def test_concurrent_cli_processes_respect_capacity(project: Path) -> None:
    """Real `codexstack ci ensure-slot` processes: 10 issues, 3 slots."""
    env = {**os.environ, "GITHUB_OUTPUT": ""}
    entry = str(Path(sys.executable).parent / "codexstack")
    procs = [
        subprocess.Popen(
            [entry, "ci", "ensure-slot", "--issue", str(i), "-o", "json"],
            cwd=project,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(1, 11)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        results.append((proc.returncode, out, err))
    codes = sorted(code for code, _, _ in results)
    assert codes == [0] * 3 + [75] * 7, [err for code, _, err in results if code not in (0, 75)]
    assert sorted(json.loads(out)["slot"] for code, out, _ in results if code == 0) == [1, 2, 3]


def test_state_backend_chooses_the_registry_and_the_flag_beats_it(
    project: Path, capsys: Capture
) -> None:
    services = project / "services.yaml"
    services.write_text(SERVICES + "state:\n  backend: lease\n")
    code, _, err = run(capsys, "slots", "list")
    assert code == 65
    assert "the lease slot registry needs a kubeconfig" in err  # state.backend was honoured
    code, out, _ = run(capsys, "slots", "list", "--registry", "sqlite", "-o", "json")
    assert code == 0
    assert json.loads(out) == []
    services.write_text(SERVICES + "state:\n  backend: etcd\n")
    code, _, err = run(capsys, "slots", "list")
    assert code == 65
    assert "unknown slot registry backend 'etcd'" in err
    assert "state.backend" in err

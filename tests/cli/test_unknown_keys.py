"""Drop-in by default: a services.yaml with a key codexctl ignores still renders and applies.

The file carries an unknown nested key, ``codex.mcp.servers[0].service.host`` (line 12).
``render``, ``apply --render-to``, ``ci ensure-slot`` and the ``codexctl`` alias exit 0 with
one warning naming file, line and key; ``validate``, ``--strict`` (or its variable) and
``strict: true`` in the file make it an error (exit 65).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cli.app import main
from codexstack.cluster import tools
from codexstack.errors import ExitCode

SERVICES = """\
project: shop
environments:
  ai: {}
  dev: {}
codex:
  mcp:
    servers:
      - name: docs
        type: cluster
        service:
          name: docs
          host: docs.internal
          port: 80
services:
  - name: web
    manifests: [{path: web.yaml}]
"""
WEB = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n"
WARNING = (
    "warning: services.yaml:12:11, key 'codex.mcp.servers[0].service.host': "
    "unknown key 'host' is ignored"
)
BIN = Path(sys.executable).parent
ENGINE_ENV = {  # read before any test moves HOME
    "CODEXSTACK_CACHE": str(tools.cache_dir()),
    "CODEXSTACK_PULUMI_HOME": str(tools.pulumi_home()),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "services.yaml").write_text(SERVICES)
    (tmp_path / "web.yaml").write_text(WEB)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NO_COLOR", "1")
    for name in list(os.environ):
        if name.startswith(("CODEXCTL_", "CODEXSTACK_", "GITHUB_")) or name == "KUBECONFIG":
            monkeypatch.delenv(name)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def warned_once(err: str) -> None:
    lines = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(lines) == 1, err
    assert lines[0].startswith(WARNING), err


def test_render_warns_and_renders(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "render", "--env", "dev")
    assert code == ExitCode.OK
    assert [d["metadata"]["name"] for d in yaml.safe_load_all(out)] == ["web"]
    warned_once(err)


def test_ensure_slot_warns_and_claims(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ci", "ensure-slot", "--issue", "3")
    assert (code, out) == (ExitCode.OK, "slot: 1\nnamespace: shop-dev-1\nenv: ai\n")
    warned_once(err)


def test_the_codexctl_alias_differs_only_by_the_warning(project: Path) -> None:
    runs = [
        subprocess.run(
            [str(BIN / name), "render", "--env", "dev"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},
        )
        for name in ("codexctl", "codexstack")
    ]
    alias, native = runs
    assert alias.returncode == native.returncode == 0
    assert alias.stdout == native.stdout
    warned_once(alias.stderr)


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["validate"], {}),
        (["render", "--env", "dev", "--strict"], {}),
        (["--strict", "ci", "ensure-slot", "--issue", "3"], {}),
        (["render", "--env", "dev"], {"CODEXCTL_STRICT": "true"}),
    ],
    ids=["validate", "render --strict", "ensure-slot --strict", "CODEXCTL_STRICT"],
)
def test_strict_reading_fails_at_the_key(
    args: list[str],
    env: dict[str, str],
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, _, err = run(capsys, *args)
    assert code == ExitCode.INVALID
    assert "services.yaml:12:11, key 'codex.mcp.servers[0].service.host'" in err


def test_strict_true_in_the_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "services.yaml").write_text("strict: true\n" + SERVICES)
    code, _, err = run(capsys, "render", "--env", "dev")
    assert code == ExitCode.INVALID
    assert "services.yaml:13:11, key 'codex.mcp.servers[0].service.host'" in err
    code, _, _ = run(capsys, "render", "--env", "dev", "--no-strict")
    assert code == ExitCode.INVALID  # the file's own rule is not lifted by a flag


@pytest.mark.integration
def test_apply_render_to_warns_and_writes(project: Path) -> None:
    """Needs the Pulumi engine and provider (scripts/engine); no cluster."""
    done = subprocess.run(
        [str(BIN / "codexstack"), "apply", "--env", "dev", "--render-to", "out", "-o", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, **ENGINE_ENV, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    warned_once(done.stderr)
    written = [p.read_text() for p in (project / "out").rglob("*.yaml")]
    assert any("name: web" in text for text in written), written

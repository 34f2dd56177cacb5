"""``flows.sync_sources`` (``ci sync-sources``): targets, outputs, withheld files, the CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cli.app import main
from codexstack import flows
from codexstack.errors import ConfigError, UsageError
from codexstack.flows import sync_sources


def checkout(root: Path) -> Path:
    src = root / "checkout"
    (src / "svc").mkdir(parents=True)
    (src / "svc" / "main.py").write_text("print('hi')\n")
    (src / ".env").write_text("API_TOKEN=s3cret\n")
    subprocess.run(["git", "init", "-q", str(src)], check=True)
    subprocess.run(
        ["git", "-C", str(src), "config", "http.https://github.com/.extraheader", "AUTH basic x"],
        check=True,
    )
    return src


def request(project: Path, **fields: object) -> sync_sources.Request:
    target = flows.Target(config=project / "services.yaml", slot=2)
    return sync_sources.Request(target, code_root_base=str(project / "ws"), **fields)  # type: ignore[arg-type]


def test_syncs_the_slot_workspace_and_writes_outputs(project: Path) -> None:
    source = checkout(project)
    outputs = project / "gh" / "output"
    progress = flows.Recorder()
    result = sync_sources.run(
        request(project, source=str(source), ci=flows.CiOutputs(output=outputs)), progress
    )
    workspace = project / "ws" / "2" / "src"
    assert result.workspace == str(workspace)
    assert (workspace / "svc" / "main.py").read_text() == "print('hi')\n"
    assert "extraheader" not in (workspace / ".git" / "config").read_text()
    assert not (workspace / ".env").exists()
    assert result.withheld == (".env",)
    assert any(".env" in line for line in progress.warnings)
    assert f"codexctl_workspace={workspace}" in outputs.read_text().splitlines()
    again = sync_sources.run(request(project, source=str(source)))
    assert (again.copied, again.unchanged) == (0, result.copied)


def test_listed_env_files_travel(project: Path) -> None:
    source = checkout(project)
    sync_sources.run(request(project, source=str(source), env_files=frozenset({".env"})))
    assert (project / "ws" / "2" / "src" / ".env").is_file()


def test_required_values_after_fallbacks(project: Path) -> None:
    with pytest.raises(UsageError, match="--code-root-base is required"):
        sync_sources.run(sync_sources.Request(flows.Target(config=project / "services.yaml"), None))
    with pytest.raises(UsageError, match="--slot is required"):
        sync_sources.run(
            sync_sources.Request(flows.Target(config=project / "services.yaml"), str(project))
        )


def test_the_env_must_exist(project: Path) -> None:
    target = flows.Target(config=project / "services.yaml", env="nope", slot=1)
    with pytest.raises(ConfigError):
        sync_sources.run(sync_sources.Request(target, str(project / "ws")))


def test_cli_reads_codexctl_variables(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = checkout(project)
    monkeypatch.setenv("CODEXCTL_SLOT", "3")
    monkeypatch.setenv("CODEXCTL_CODE_ROOT_BASE", str(project / "ws"))
    monkeypatch.setenv("CODEXCTL_SOURCE", str(source))
    code = main(["ci", "sync-sources", "-c", str(project / "services.yaml"), "-o", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert '"codexctl_workspace": "' + str(project / "ws" / "3" / "src") in out
    assert (project / "ws" / "3" / "src" / "svc" / "main.py").is_file()

"""``flows.init_workflows``: install, idempotence, refusing changed files, --force, dry run."""

from __future__ import annotations

from pathlib import Path

import pytest

from codexstack import flows
from codexstack.errors import CodexstackError, ExitCode, UsageError
from codexstack.flows import init_workflows

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p.name for p in (REPO / "templates" / "workflows").glob("*.yml"))


def test_installs_every_shipped_file(tmp_path: Path) -> None:
    progress = flows.Recorder()
    result = init_workflows.run(init_workflows.Request(tmp_path), progress)
    target = tmp_path / ".github" / "workflows"
    assert [f.name for f in result.files] == SHIPPED
    assert len(SHIPPED) == 14
    assert {f.action for f in result.files} == {"created"}
    for name in SHIPPED:
        shipped = (REPO / "templates" / "workflows" / name).read_bytes()
        assert (target / name).read_bytes() == shipped
    assert progress.lines == [f"info: 14 of 14 workflow files written in {target}"]
    assert result.exit_code == ExitCode.OK


def test_second_run_changes_nothing(tmp_path: Path) -> None:
    init_workflows.run(init_workflows.Request(tmp_path))
    again = init_workflows.run(init_workflows.Request(tmp_path))
    assert {f.action for f in again.files} == {"unchanged"}
    assert again.data("kv")["ai-dev.yml"] == "unchanged"


def test_changed_files_are_kept_unless_forced(tmp_path: Path) -> None:
    init_workflows.run(init_workflows.Request(tmp_path))
    target = tmp_path / ".github" / "workflows"
    edited = target / "ai-dev.yml"
    edited.write_text(edited.read_text() + "# local edit\n")
    (target / "codexstack-cleanup.yml").unlink()
    with pytest.raises(CodexstackError) as caught:
        init_workflows.run(init_workflows.Request(tmp_path))
    assert caught.value.exit_code == ExitCode.FAILURE
    assert str(edited) in caught.value.message
    assert "--force" in (caught.value.hint or "")
    # All or nothing: the missing file was not written either.
    assert edited.read_text().endswith("# local edit\n")
    assert not (target / "codexstack-cleanup.yml").exists()
    forced = init_workflows.run(init_workflows.Request(tmp_path, force=True))
    actions = {f.name: f.action for f in forced.files}
    assert actions["ai-dev.yml"] == "updated"
    assert actions["codexstack-cleanup.yml"] == "created"
    assert actions["ai-plan.yml"] == "unchanged"
    assert not edited.read_text().endswith("# local edit\n")


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    result = init_workflows.run(init_workflows.Request(tmp_path, dry_run=True))
    assert not (tmp_path / ".github").exists()
    assert result.text().splitlines()[0].startswith("would be created: ")
    assert result.data("json")["dryRun"] is True


def test_missing_directory_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        init_workflows.run(init_workflows.Request(tmp_path / "nope"))

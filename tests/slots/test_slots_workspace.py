"""Source sync into a slot workspace: incremental, credential-free, never outside its folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codexstack.errors import TemporaryError, UsageError
from codexstack.flock import held_flock
from codexstack.slots.workspace import (
    SyncOptions,
    scrub_git_config,
    sync_sources,
    workspace_target,
)
from codexstack.slots.workspace_pvc import pvc_subpath

GIT_CONFIG = """[core]
\trepositoryformatversion = 0
[remote "origin"]
\turl = https://x-access-token:ghs_secret@github.com/o/r.git
[http "https://github.com/"]
\textraheader = AUTHORIZATION: basic c2VjcmV0
"""


def make_source(root: Path) -> Path:
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "src" / "pkg" / "a.py").write_text("print(1)\n")
    (root / "src" / ".git").mkdir()
    (root / "src" / ".git" / "config").write_text(GIT_CONFIG)
    (root / "src" / "node_modules").mkdir()
    (root / "src" / "node_modules" / "big.js").write_text("x")
    (root / "src" / "link").symlink_to("/etc/passwd")
    return root / "src"


def test_targets_follow_codexctl(tmp_path: Path) -> None:
    assert workspace_target(tmp_path, "ai", 3) == tmp_path / "3" / "src"
    assert workspace_target(tmp_path, "ai-repair", 3) == tmp_path / "ai-staging" / "src"
    assert workspace_target(tmp_path, "staging", 0) == tmp_path / "staging" / "src"
    with pytest.raises(UsageError):
        workspace_target(tmp_path, "ai", 0)


def test_sync_copies_incrementally_without_credentials(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    target = tmp_path / "ws" / "1" / "src"
    first = sync_sources(source, target)
    assert (target / "pkg" / "a.py").read_text() == "print(1)\n"
    assert not (target / "node_modules").exists()
    assert os.readlink(target / "link") == "/etc/passwd"
    config = (target / ".git" / "config").read_text()
    assert "ghs_secret" not in config
    assert "extraheader" not in config
    assert "url = https://github.com/o/r.git" in config
    second = sync_sources(source, target)
    assert first.copied > 0
    assert second.copied == 0
    assert second.unchanged == first.copied


def test_sync_keeps_work_unless_pruning(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    target = tmp_path / "ws" / "src"
    sync_sources(source, target)
    (target / "agent-notes.md").write_text("uncommitted work")
    sync_sources(source, target)
    assert (target / "agent-notes.md").exists()
    outside = tmp_path / "ws" / "keep.txt"
    outside.write_text("outside the target")
    report = sync_sources(source, target, prune=True)
    assert report.removed == ["agent-notes.md"]
    assert outside.exists()


def test_target_inside_source_is_not_copied_into_itself(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    target = source / "workspaces" / "1" / "src"
    sync_sources(source, target)
    assert not (target / "workspaces" / "1" / "src").exists()  # no copy of itself
    with pytest.raises(UsageError, match="contains the source"):
        sync_sources(source, tmp_path)


def test_scrub_keeps_plain_config() -> None:
    assert scrub_git_config("[core]\n\tbare = false") == "[core]\n\tbare = false\n"


# Defect 8: the target is written by an agent between syncs; nothing in it is trusted.


def test_planted_link_at_git_config_is_replaced_not_written_through(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    target = tmp_path / "ws" / "src"
    outside = tmp_path / "victim"
    outside.write_text("untouched\n")
    (target / ".git").mkdir(parents=True)
    (target / ".git" / "config").symlink_to(outside)
    sync_sources(source, target)
    assert outside.read_text() == "untouched\n"
    assert not (target / ".git" / "config").is_symlink()
    assert "ghs_secret" not in (target / ".git" / "config").read_text()


def test_planted_links_at_files_and_folders_never_lead_out(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    target = tmp_path / "ws" / "src"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.py").write_text("theirs\n")
    target.mkdir(parents=True)
    (target / "pkg").symlink_to(elsewhere)
    sync_sources(source, target)
    assert (elsewhere / "a.py").read_text() == "theirs\n"
    assert (target / "pkg").is_dir()
    assert not (target / "pkg").is_symlink()
    assert (target / "pkg" / "a.py").read_text() == "print(1)\n"
    (target / "pkg" / "a.py").unlink()
    (target / "pkg" / "a.py").symlink_to(elsewhere / "a.py")
    os.utime(source / "pkg" / "a.py", (1, 1))
    sync_sources(source, target)
    assert (elsewhere / "a.py").read_text() == "theirs\n"
    assert (target / "pkg" / "a.py").read_text() == "print(1)\n"


def test_every_git_config_is_scrubbed_submodules_too(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    sub = source / ".git" / "modules" / "lib"
    sub.mkdir(parents=True)
    (sub / "config").write_text(GIT_CONFIG)
    worktree = source / ".git" / "worktrees" / "w"
    worktree.mkdir(parents=True)
    (worktree / "config.worktree").write_text(GIT_CONFIG)
    target = tmp_path / "ws" / "src"
    sync_sources(source, target)
    for copied in (
        target / ".git" / "modules" / "lib" / "config",
        target / ".git" / "worktrees" / "w" / "config.worktree",
    ):
        text = copied.read_text()
        assert "ghs_secret" not in text
        assert "extraheader" not in text.lower()


def test_env_files_stay_behind_unless_listed(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    (source / ".env").write_text("TOKEN=s3cret\n")
    (source / "pkg" / ".env.local").write_text("TOKEN=s3cret\n")
    (source / ".env.example").write_text("TOKEN=\n")
    (source / ".git-credentials").write_text("https://u:p@example.invalid\n")
    target = tmp_path / "ws" / "src"
    report = sync_sources(
        source, target, options=SyncOptions(env_files=frozenset({".env.example"}))
    )
    assert not (target / ".env").exists()
    assert not (target / "pkg" / ".env.local").exists()
    assert not (target / ".git-credentials").exists()
    assert (target / ".env.example").read_text() == "TOKEN=\n"
    assert sorted(report.withheld) == [".env", ".git-credentials", "pkg/.env.local"]


def test_a_second_sync_of_the_same_workspace_waits_for_the_lock(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    target = tmp_path / "ws" / "src"
    target.parent.mkdir(parents=True)
    lock = target.parent / ".src.sync.lock"
    with (
        held_flock(lock, "the other sync", 0, lambda: AssertionError("free lock")),
        pytest.raises(TemporaryError, match="being synced by the other sync"),
    ):
        sync_sources(source, target, options=SyncOptions(lock_wait=0.2))
    assert sync_sources(source, target).copied > 0


def test_pvc_targets_lie_strictly_below_the_mount() -> None:
    assert pvc_subpath("/workspace/codex/3/src", "/workspace") == "codex/3/src"
    for bad in ("/workspace", "/elsewhere/3/src", "/workspace/../etc/3/src", "workspace/3/src"):
        with pytest.raises(UsageError, match="not below the workspace mount"):
            pvc_subpath(bad, "/workspace")

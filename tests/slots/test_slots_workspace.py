"""Source sync into a slot workspace: incremental, credential-free, never outside its folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codexstack.errors import UsageError
from codexstack.slots.workspace import scrub_git_config, sync_sources, workspace_target

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

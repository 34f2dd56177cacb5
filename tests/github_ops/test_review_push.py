"""``push_review`` with real git: staged set, documented message, askpass over smart-HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from ghkit import REPO, TOKEN, add_issue, clone, git, head, make_origin

from codexstack import github
from codexstack.errors import CodexstackError
from tests.support.github_standin import Control, StandIn


def test_push_over_http_with_askpass_and_default_stage(
    standin: StandIn, control: Control, tmp_path: Path
) -> None:
    bare = make_origin(standin.git_root, REPO, ["codex/issue-4"])
    add_issue(control, 6, pull={"head_ref": "codex/issue-4"})
    work = clone(str(bare), tmp_path / "src", "main")
    git(work, "remote", "set-url", "origin", f"{standin.url}/git/{REPO}.git")
    (work / "docs" / "a.txt").write_text("two\n")
    (work / "services" / "new.txt").write_text("new\n")
    (work / "stray.txt").write_text("never committed\n")
    (work / ".bin").mkdir()
    warnings: list[str] = []
    before = head(bare, "codex/issue-4")
    out = github.push_review(
        github.connect(), github.ReviewPush(pr=6, workdir=work), warnings.append
    )
    assert out.pushed
    assert out.branch == "codex/issue-4"
    assert head(bare, "codex/issue-4") == out.commit != before
    message = git(work, "log", "-1", "--format=%s")
    assert message == "feat: apply Codex review changes for PR #6"
    files = git(work, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(files) == ["docs/a.txt", "services/new.txt"]
    assert not (work / ".bin").exists()
    assert any("proto" in w for w in warnings)
    assert any("git-receive-pack" in r["path"] for r in control.writes())


def test_nothing_staged_pushes_nothing(standin: StandIn, control: Control, tmp_path: Path) -> None:
    bare = make_origin(standin.git_root, REPO, ["codex/issue-4"])
    add_issue(control, 6, pull={"head_ref": "codex/issue-4"})
    work = clone(str(bare), tmp_path / "src", "codex/issue-4")
    (work / "stray.txt").write_text("untracked outside the stage set\n")
    out = github.push_review(github.connect(), github.ReviewPush(pr=6, workdir=work), print)
    assert not out.pushed
    assert control.writes() == []


@pytest.mark.parametrize(
    ("pull", "expected"),
    [
        ({"head_ref": "main"}, "default branch"),
        ({"head_ref": "release"}, "protected"),
        ({"head_ref": "codex/issue-4", "head_repo": "evil/app"}, "fork"),
        ({"head_ref": "codex/issue-1;rm -rf ~"}, "metacharacters"),
        ({"head_ref": "$(id)"}, "metacharacters"),
    ],
)
def test_refusals_push_nothing(
    standin: StandIn, control: Control, tmp_path: Path, pull: dict[str, str], expected: str
) -> None:
    bare = make_origin(standin.git_root, REPO, ["codex/issue-4", "release"])
    add_issue(control, 6, pull=pull)
    work = clone(str(bare), tmp_path / "src", "main")
    (work / "docs" / "a.txt").write_text("two\n")
    refs = git(bare, "for-each-ref")
    with pytest.raises(CodexstackError, match=expected):
        github.push_review(github.connect(), github.ReviewPush(pr=6, workdir=work), print)
    assert git(bare, "for-each-ref") == refs
    assert control.writes() == []
    assert [r["method"] for r in control.requests()] == ["GET"] * len(control.requests())


def test_tree_config_cannot_redirect_or_read_the_token(
    standin: StandIn, control: Control, tmp_path: Path
) -> None:
    bare = make_origin(standin.git_root, REPO, ["codex/issue-4"])
    add_issue(control, 6, pull={"head_ref": "codex/issue-4"})
    work = clone(str(bare), tmp_path / "src", "codex/issue-4")
    url = f"{standin.url}/git/{REPO}.git"
    git(work, "remote", "set-url", "origin", url)
    leak = tmp_path / "filter-env.txt"
    git(work, "config", "filter.leak.clean", f"sh -c 'env >> {leak}; cat'")
    (work / ".gitattributes").write_text("*.txt filter=leak\n")
    git(work, "add", ".gitattributes")
    (work / "docs" / "a.txt").write_text("changed\n")
    git(work, "config", "url.http://127.0.0.1:9/.insteadOf", url)  # would send it elsewhere
    leak.unlink(missing_ok=True)  # the set-up's own git calls ran the filter too
    with pytest.raises(CodexstackError, match="rewritten"):
        github.push_review(github.connect(), github.ReviewPush(pr=6, workdir=work), print)
    assert [r for r in control.requests() if r["kind"] == "git"] == []
    assert leak.exists(), "the clean filter ran in review-apply's git add"
    assert TOKEN not in leak.read_text()

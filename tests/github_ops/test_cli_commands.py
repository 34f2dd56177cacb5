"""Every GitHub command end to end through the CLI entry, against the stand-in and real git."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ghkit import REPO, add_issue, clone, git, head, make_origin, outputs

from cli.app import main
from tests.support.github_standin import Control, StandIn

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_plan_resolve_root(project: Path, control: Control, capsys: Capture) -> None:
    add_issue(control, 1, labels=["[ai-plan]"])
    for n in range(2, 6):
        add_issue(control, n, body=f"AI-PLAN-PARENT: #{n - 1}")
    assert run(capsys, "plan", "resolve-root", "--issue", "5")[:2] == (0, "root: 1\nfocus: 5\n")
    assert outputs(project) == ["focus=5", "root=1"]
    code, out, _ = run(capsys, "-o", "json", "plan", "resolve-root", "--issue", "3")
    assert (code, json.loads(out)) == (0, {"root": 1, "focus": 3})
    add_issue(control, 6, body="AI-PLAN-PARENT: #7")
    add_issue(control, 7, body="AI-PLAN-PARENT: #6")
    code, out, err = run(capsys, "plan", "resolve-root", "--issue", "6")
    assert (code, out) == (1, "")
    assert "cycle: #6 → #7 → #6" in err
    assert run(capsys, "plan", "resolve-root")[0] == 64


def test_plan_resolve_root_from_env(
    project: Path, control: Control, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issue(control, 4, labels=["[ai-plan]"])
    monkeypatch.setenv("CODEXCTL_ISSUE_NUMBER", "4")
    monkeypatch.delenv("CODEXCTL_REPO")
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    assert run(capsys, "plan", "resolve-root", "-o", "kv")[:2] == (0, "root=4\nfocus=4\n")


def test_pr_detect_and_open(project: Path, control: Control, capsys: Capture) -> None:
    code, out, err = run(capsys, "pr", "detect", "--branch", "codex/issue-9")
    assert (code, out, outputs(project)) == (0, "", [])
    assert "no open pull request" in err
    add_issue(control, 9, title="Add search")
    code, out, _ = run(capsys, "pr", "open", "--branch", "codex/issue-9", "--issue", "9")
    assert code == 0
    number = int(out.splitlines()[0].split(": ")[1])
    assert f"codexctl_pr_number={number}" in outputs(project)
    stored = control.repo(REPO)["issues"][str(number)]
    assert (stored["title"], stored["pull"]["draft"]) == ("Add search", True)
    assert stored["body"] == "Closes #9"
    code, out, _ = run(capsys, "pr", "open", "--branch", "codex/issue-9", "--issue", "9")
    assert "pr_created: false" in out
    code, out, _ = run(capsys, "pr", "detect", "--branch", "codex/issue-9")
    assert (code, out) == (0, f"codexctl_pr_number: {number}\n")
    assert outputs(project)[-1] == f"codexctl_pr_number={number}"


def test_comment_pr_is_sticky_and_uses_env_fallbacks(
    project: Path, control: Control, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issue(control, 8, pull={})
    monkeypatch.setenv("CODEXCTL_SLOT", "2")
    monkeypatch.setenv("CODEXCTL_PR_NUMBER", "8")
    assert run(capsys, "manage-env", "comment-pr")[0] == 0
    code, out, _ = run(capsys, "manage-env", "comment-pr", "--lang", "ru", "--slot", "3")
    assert (code, "action: updated" in out) == (0, True)
    (comment,) = control.repo(REPO)["issues"]["8"]["comments"]
    assert comment["body"].startswith("<!-- codexstack:env-comment -->\nЗапуск Codex завершён")
    assert "https://dev-3.ai.shop.local/swagger" in comment["body"]


def test_delete_branch_rules(
    project: Path, standin: StandIn, control: Control, capsys: Capture
) -> None:
    bare = make_origin(standin.git_root, REPO, ["codex/issue-5", "feature/x"])
    for branch in ("feature/x", "main"):
        code, out, err = run(capsys, "manage-env", "delete-branch", "--branch", branch)
        assert (code, "action: skipped" in out) == (0, True), err
    assert control.requests() == []  # non-agent names are refused before any request
    assert run(capsys, "manage-env", "delete-branch", "--branch", "codex/issue-5")[0] == 0
    assert head(bare, "codex/issue-5") == ""
    assert head(bare, "feature/x") != ""
    (delete,) = control.writes()
    assert delete["path"] == f"/repos/{REPO}/git/refs/heads/codex/issue-5"


def test_close_linked_issue(project: Path, control: Control, capsys: Capture) -> None:
    add_issue(control, 11)
    code, out, _ = run(capsys, "manage-env", "close-linked-issue", "--branch", "codex/issue-11")
    assert (code, "--close-issue is not set" in out, control.requests()) == (0, True, [])
    code, _, _ = run(
        capsys, "manage-env", "close-linked-issue", "--branch", "codex/issue-11", "--close-issue"
    )
    issue = control.repo(REPO)["issues"]["11"]
    assert (code, issue["state"], issue["state_reason"]) == (0, "closed", "completed")


def test_issue_comment_from_env(
    project: Path, control: Control, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issue(control, 13)
    monkeypatch.setenv("CODEXCTL_COMMENT_BODY", "No free slot: waiting.")
    assert run(capsys, "issue", "comment", "--issue", "13")[0] == 0
    (comment,) = control.repo(REPO)["issues"]["13"]["comments"]
    assert comment["body"] == "No free slot: waiting."


def _review_tree(standin: StandIn, project: Path, branches: list[str]) -> tuple[Path, Path]:
    bare = make_origin(standin.git_root, REPO, branches)
    work = clone(str(bare), project / "code" / "2" / "src", "main")
    git(work, "remote", "set-url", "origin", f"{standin.url}/git/{REPO}.git")
    return bare, work


def test_review_apply_pushes_and_comments_only_on_change(
    project: Path, standin: StandIn, control: Control, capsys: Capture
) -> None:
    bare, work = _review_tree(standin, project, ["codex/issue-4"])
    add_issue(control, 6, pull={"head_ref": "codex/issue-4"})
    (work / "docs" / "a.txt").write_text("reviewed\n")
    args = ("pr", "review-apply", "--pr", "6", "--slot", "2", "--code-root-base", "code")
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert "pushed: true" in out
    assert head(bare, "codex/issue-4") == git(work, "rev-parse", "HEAD")
    (comment,) = control.repo(REPO)["issues"]["6"]["comments"]
    assert "dev-2.ai.shop.local" in comment["body"]
    control.clear_requests()
    code, out, _ = run(capsys, *args)
    assert (code, "pushed: false" in out) == (0, True)
    assert control.writes() == []

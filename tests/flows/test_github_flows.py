"""The GitHub flows called directly (no CLI), against the GitHub stand-in.

The CLI end-to-end coverage of every command is in ``tests/github_ops``; here each flow's
request/result contract: outputs written, warnings on the reporter, branch rules, refusals.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from codexstack import flows
from codexstack.errors import ConfigError
from tests.support.github_standin import Control, start

TOKEN = "ghp_flowtests_0123456789"
REPO = "acme/app"


@pytest.fixture
def control(project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Control]:
    issues = {
        "1": {"labels": ["[ai-plan]"]},
        "2": {"body": "AI-PLAN-PARENT: #1"},
        "3": {"pull": {"head_ref": "main"}},
    }
    seed = {"tokens": {TOKEN: "bot"}, "repos": {REPO: {"issues": issues}}}
    server = start(seed, project / "git")
    monkeypatch.setenv("GITHUB_API_URL", server.url)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("CODEXSTACK_GITHUB_THROTTLE", "0")
    try:
        yield Control(server.url)
    finally:
        server.stop()


def test_plan_root_writes_root_and_focus(project: Path, control: Control) -> None:
    ci = flows.CiOutputs(output=project / "out")
    result = flows.plan_root.run(flows.plan_root.Request(2, ci=ci), flows.Recorder())
    assert (result.root, result.focus, result.chain) == (1, 2, (2, 1))
    assert (project / "out").read_text() == "focus=2\nroot=1\n"


def test_pr_detect_without_pr_warns_and_writes_nothing(project: Path, control: Control) -> None:
    ci = flows.CiOutputs(output=project / "out")
    progress = flows.Recorder()
    result = flows.pr_detect.run(flows.pr_detect.Request("codex/issue-2", ci=ci), progress)
    assert (result.values(), result.text()) == ({}, "")
    assert progress.warnings == ["no open pull request has head branch 'codex/issue-2'"]
    assert not (project / "out").exists()


def test_delete_branch_skips_other_branches_without_a_request(
    project: Path, control: Control
) -> None:
    progress = flows.Recorder()
    result = flows.delete_branch.run(flows.delete_branch.Request("release/1"), progress)
    assert (result.action, result.exit_code) == ("skipped", 0)
    assert control.requests() == []
    assert len(progress.warnings) == 1


def test_review_apply_refuses_a_bad_branch_before_reading_anything(
    project: Path, control: Control
) -> None:
    (project / "code" / "4" / "src" / ".git").mkdir(parents=True)
    request = flows.review_apply.Request(
        flows.Target(slot=4), 3, code_root_base=project / "code", branch="$(id)"
    )
    with pytest.raises(ConfigError, match="metacharacters"):
        flows.review_apply.run(request)
    assert control.requests() == []


def test_gc_takes_closed_issues_and_prs_from_github(project: Path, control: Control) -> None:
    """Battery E2's "closed" input from the GitHub layer: the slots of closed #1 and of PR #3
    (head main, closed) would go though their heartbeat is fresh; open #2 stays."""
    state = control.state()
    issues = state["repos"][REPO]["issues"]
    issues["1"]["state"] = "closed"
    issues["3"]["state"] = "closed"
    control.load(state)
    where = flows.Target(config=project / "services.yaml")
    slot_of = {
        number: flows.ensure_slot.run(
            flows.ensure_slot.Request(where, max_slots=4, **{kind: number})
        ).slot
        for kind, number in (("issue", 1), ("issue", 2), ("pr", 3))
    }
    request = flows.gc.Request(where, ttl=3600.0, dry_run=True, closed=True)
    report = flows.gc.run(request).report
    assert report.expired == sorted([slot_of[1], slot_of[3]])
    assert report.fresh == [slot_of[2]]
    assert flows.gc.run(flows.gc.Request(where, ttl=3600.0, dry_run=True)).report.expired == []

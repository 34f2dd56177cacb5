"""``manage-env cleanup-pr`` and ``cleanup-issue`` end to end: slots, engine, stand-in, git.

A slot is claimed in the real SQLite registry and its stack ``ai-<N>`` destroyed by the real
engine, then the branch and issue are handled on the stand-in and the bare origin. Without a
cluster the destroy fails: the command goes on to the GitHub part and exits 1 naming the
slot (codexctl stops at the first failure). With the project's local cluster (integration)
the slot is released.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ghkit import REPO, add_issue, head, make_origin

from cli.app import main
from tests.support.github_standin import Control, StandIn

Capture = pytest.CaptureFixture[str]
CLEANUP_PR = ("-o", "json", "manage-env", "cleanup-pr", "--pr", "8")


def run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def seed_pr(standin: StandIn, control: Control) -> Path:
    bare = make_origin(standin.git_root, REPO, ["codex/issue-7", "codex/issue-70"])
    add_issue(control, 7)
    add_issue(control, 8, pull={"head_ref": "codex/issue-7", "merged": True})
    return bare


def test_cleanup_pr_goes_on_to_github_when_a_slot_fails(
    project: Path, standin: StandIn, control: Control, capsys: Capture
) -> None:
    bare = seed_pr(standin, control)
    assert run(capsys, "ci", "ensure-slot", "--pr", "8")[0] == 0
    code, out, err = run(capsys, *CLEANUP_PR, "--delete-branch", "--close-issue")
    assert code == 1, err
    result = json.loads(out)
    ((env, slot, outcome, error),) = [
        (r["env"], r["slot"], r["outcome"], r["error"]) for r in result["slots"]
    ]
    assert (env, slot, outcome) == ("ai", 1, "failed")
    assert "no cluster configured" in error
    assert [(a["branch"], a["action"]) for a in result["github"]] == [
        ("codex/issue-7", "done"),
        ("codex/issue-7", "done"),
    ]
    assert head(bare, "codex/issue-7") == ""
    assert head(bare, "codex/issue-70") != ""
    assert control.repo(REPO)["issues"]["7"]["state"] == "closed"


def test_cleanup_issue_without_slots_deletes_only_its_agent_branches(
    project: Path, standin: StandIn, control: Control, capsys: Capture
) -> None:
    bare = seed_pr(standin, control)
    code, out, err = run(capsys, "manage-env", "cleanup-issue", "--issue", "7", "--delete-branch")
    assert code == 0, err
    assert out.startswith("no slot to clean up\n")
    assert "codex/issue-7: done" in out
    assert "codex/ai-repair-7: skipped" in out
    assert "env ai-repair: skipped" in err
    assert (head(bare, "codex/issue-7"), head(bare, "codex/issue-70") != "") == ("", True)


@pytest.mark.integration
def test_cleanup_pr_and_issue_release_slots_on_the_local_cluster(
    project: Path,
    standin: StandIn,
    control: Control,
    capsys: Capture,
    local_cluster: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KUBECONFIG", str(local_cluster))
    bare = seed_pr(standin, control)
    assert run(capsys, "ci", "ensure-slot", "--pr", "8")[0] == 0
    assert run(capsys, "ci", "ensure-slot", "--issue", "70")[0] == 0
    code, out, err = run(capsys, *CLEANUP_PR, "--delete-branch")
    assert code == 0, err
    assert [(r["slot"], r["outcome"]) for r in json.loads(out)["slots"]] == [(1, "released")]
    assert head(bare, "codex/issue-7") == ""
    code, out, err = run(capsys, "manage-env", "cleanup-issue", "--issue", "70", "--delete-branch")
    assert code == 0, err
    assert "slot 2" in out
    assert "released" in out
    assert head(bare, "codex/issue-70") == ""
    assert run(capsys, "-o", "json", "slots", "list")[1].strip() == "[]"

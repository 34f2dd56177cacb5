"""Scenarios 1 and 2: an ``[ai-dev]`` label runs the dev flow; a "changes requested" review
re-runs the agent in the same slot and ``pr review-apply`` pushes a second commit.

The stand-in ``codex`` CLI does what the (trusted) prompt text tells it: a comment of the
issue's author asks it to write a file and commit on ``codex/issue-41``; the review thread
asks it to write a second file, which ``pr review-apply`` stages (``services/`` is in its
default set), commits and pushes. Everything is asserted where it lives: the slot registry,
the cluster, the bare origin and the GitHub stand-in's state.
"""

from __future__ import annotations

from typing import Any

from loop import events
from loop.actkit import git
from loop.stage import Stage, deployments_available

ISSUE = 41
BRANCH = f"codex/issue-{ISSUE}"
ASK = (
    "codex-standin: write services/api/HEALTH.md :: the health page\n"
    f"codex-standin: commit feat: health page for #{ISSUE}\n"
)


def test_dev_issue_then_review(stage: Stage, kubectl: list[str]) -> None:
    stage.emulate_node()
    stage.add_issue(
        ISSUE,
        title="Health page",
        body="Add a health page to the API.",
        user="alice",
        labels=["[ai-dev]"],
        comments=[{"user": "alice", "body": ASK}],
    )
    dev = stage.run("issues", events.labeled(ISSUE, "[ai-dev]"), actor="alice")
    for job in ("prepare", "agent"):
        assert dev.job_result(job) == "success", f"{job}\n{dev.log()}"
    assert not dev.ran("cleanup")

    [record] = stage.slots()
    slot = int(record["slot"])
    namespace = f"demo-shop-dev-{slot}"
    assert deployments_available(kubectl, namespace)
    [pr] = _prs(stage, BRANCH)
    assert pr["pull"]["draft"] is True
    assert f"Closes #{ISSUE}" in pr["body"]
    assert int(record["issue"]) == ISSUE
    assert int(record["pr"]) == pr["number"]
    subjects = git(stage.origin, "log", "--format=%s", BRANCH).splitlines()
    assert subjects[0] == f"feat: health page for #{ISSUE}"
    assert "the health page" in git(stage.origin, "show", f"{BRANCH}:services/api/HEALTH.md")
    [comment] = _env_comments(stage, pr["number"])
    assert f"Slot: {slot}" in comment["body"]

    state = stage.control.state()
    thread = {
        "path": "services/api/HEALTH.md",
        "comments": [
            {"user": "alice", "body": "codex-standin: write services/api/REVIEW.md :: ok"}
        ],
    }
    state["repos"]["acme/demo"]["issues"][str(pr["number"])]["pull"]["threads"] = [thread]
    stage.control.load(state)
    review = stage.run("pull_request_review", events.review(pr["number"], BRANCH), actor="alice")
    for job in ("prepare", "agent"):
        assert review.job_result(job) == "success", f"{job}\n{review.log()}"
    assert f"slot: {slot}" in review.output("prepare")
    [again] = stage.slots()
    assert int(again["slot"]) == slot
    subjects = git(stage.origin, "log", "--format=%s", BRANCH).splitlines()
    assert subjects[0] == f"feat: apply Codex review changes for PR #{pr['number']}"
    assert subjects[1] == f"feat: health page for #{ISSUE}"
    assert git(stage.origin, "show", f"{BRANCH}:services/api/REVIEW.md") == "ok"
    [edited] = _env_comments(stage, pr["number"])
    assert edited["id"] == comment["id"]


def _prs(stage: Stage, branch: str) -> list[dict[str, Any]]:
    issues = stage.control.repo("acme/demo")["issues"].values()
    return [i for i in issues if (i.get("pull") or {}).get("head_ref") == branch]


def _env_comments(stage: Stage, number: int) -> list[dict[str, Any]]:
    return [c for c in stage.issue(number)["comments"] if "Slot:" in c["body"]]

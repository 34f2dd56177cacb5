"""Scenario 5, the gate: a trigger from someone not in CODEXCTL_ALLOWED_USERS does nothing.

Every trigger of the shipped workflows is fired by ``mallory`` (a collaborator with read
access, not on the allow-list): the ``[ai-dev]``, ``[ai-plan]`` and ``[ai-repair]`` labels, an
``[ai-plan]`` comment, a "changes requested" review, a merged PR, a closed issue and a push to
main. No job runs, the GitHub stand-in sees no write at all (no comment, label, PR or push)
and origin's branches are untouched. The stage has no cluster here: a step that tried to
claim a slot would fail the run, so "no slot" holds by construction.
"""

from __future__ import annotations

from loop import events
from loop.actkit import git
from loop.stage import Stage

JOBS = ("prepare", "agent", "repair", "cleanup", "deploy", "dev", "plan", "review")


def test_triggers_from_a_stranger_do_nothing(offline_stage: Stage) -> None:
    stage = offline_stage
    heads = git(stage.origin, "for-each-ref", "--format=%(refname) %(objectname)")
    stage.add_issue(11, title="Add a health page", labels=["[ai-dev]"])
    stage.add_issue(12, title="Review", pull={"head_ref": "codex/issue-11"})
    stage.control.clear_requests()
    triggers = [
        ("issues", events.labeled(11, "[ai-dev]")),
        ("issues", events.labeled(11, "[ai-plan]")),
        ("issues", events.labeled(11, "[ai-repair]")),
        ("issue_comment", events.commented(11, "[ai-plan] once more")),
        ("pull_request_review", events.review(12, "codex/issue-11")),
        ("pull_request", events.pr_closed(12, "codex/issue-11", merged=True)),
        ("issues", events.issue_closed(11)),
        ("push", events.push("main", "feat: something")),
    ]
    for event, payload in triggers:
        res = stage.run(event, payload, actor="mallory")
        assert res.returncode == 0, f"{event}: {res.log()}"
        ran = [job for job in JOBS if res.ran(job)]
        assert ran == [], f"{event} {payload.get('action')}: jobs ran: {ran}\n{res.log()}"
    assert stage.issue(11)["comments"] == []
    assert stage.issue(12)["comments"] == []
    assert stage.control.writes() == []
    assert git(stage.origin, "for-each-ref", "--format=%(refname) %(objectname)") == heads

"""Scenario 3, plan: ``[ai-plan]`` on issue 51 runs ``plan_issue`` in a slot; a comment
containing ``[ai-plan]`` on child issue 52 (``AI-PLAN-PARENT: #51``) runs ``plan_review`` for
the root, in the root's slot, with 52 in focus."""

from __future__ import annotations

from loop import events
from loop.stage import Stage


def test_plan_then_plan_review(stage: Stage) -> None:
    stage.emulate_node()
    stage.add_issue(51, title="Plan: checkout v2", user="alice", labels=["[ai-plan]"])
    stage.add_issue(52, title="Step 1", user="alice", body="Part of it.\n\nAI-PLAN-PARENT: #51\n")
    plan = stage.run("issues", events.labeled(51, "[ai-plan]"), actor="alice")
    for job in ("prepare", "agent"):
        assert plan.job_result(job) == "success", f"{job}\n{plan.log()}"
    [record] = stage.slots()
    assert int(record["issue"]) == 51
    assert "prompt plan_issue/en" in plan.output("agent"), plan.output("agent")
    records = stage.code_root / str(record["slot"]) / "src" / ".codex-standin"
    [first] = records.glob("*.md")
    assert first.read_text().startswith("turn 1\n")

    review = stage.run("issue_comment", events.commented(52, "[ai-plan] look again"), actor="bob")
    for job in ("prepare", "agent"):
        assert review.job_result(job) == "success", f"{job}\n{review.log()}"
    prepared = review.output("prepare")
    assert "root: 51" in prepared, prepared
    assert "focus: 52" in prepared, prepared
    assert f"slot: {record['slot']}" in prepared, prepared
    assert "prompt plan_review/en" in review.output("agent"), review.output("agent")
    # The review resumed the plan's session (the environment was not new): its second turn.
    assert first.read_text().startswith("turn 2\n")
    [same] = stage.slots()
    assert same["slot"] == record["slot"]

"""Scenarios 6 and 4, capacity and cleanup, as one story on a stage with two slots.

Issue 21's slot is up as the dev workflow's ``prepare`` job leaves it (``ci ensure-ready
--apply`` by issue, ``manage-env set`` with its PR 32, branch ``codex/issue-21`` on origin);
issue 22 holds the second slot. ``[ai-dev]`` on issue 23 then fails in ``prepare`` with
exit 75, the workflow says so on issue 23 (``issue comment``), and nothing is claimed for it.

Capacity frees up the way it does in real life: PR 32 is merged. ``ai-cleanup.yml`` →
``codexstack-cleanup.yml`` destroys the slot's stack and namespace, releases the claim,
deletes only ``codex/issue-21`` and closes issue 21. Labelling issue 23 again now claims the
freed slot and brings it up.
"""

from __future__ import annotations

from pathlib import Path

from loop import events
from loop.actkit import git
from loop.stage import Stage, namespace_exists


def test_capacity_then_cleanup_frees_a_slot(stage: Stage, kubectl: list[str]) -> None:
    for number in (21, 22, 23):
        stage.add_issue(number, title=f"Task {number}", user="alice", labels=["[ai-dev]"])
    stage.add_issue(32, title="Task 21", pull={"head_ref": "codex/issue-21", "draft": True})
    ready = stage.codexstack("ci", "ensure-ready", "--issue", "21", "--apply", "--max", "2")
    assert "slot: 1" in ready.stdout, ready.stdout
    stage.codexstack("manage-env", "set", "--slot", "1", "--pr", "32")
    stage.codexstack("ci", "ensure-slot", "--issue", "22", "--max", "2")
    for branch in ("codex/issue-21", "codex/issue-99", "feature/x"):
        git(stage.act.workdir, "push", "-q", stage.origin.as_uri(), f"main:refs/heads/{branch}")
    stack_file = _stack_file(stage, "ai-1")
    assert namespace_exists(kubectl, "demo-shop-dev-1")

    # Capacity: the third issue is told there is no free slot.
    full = stage.run("issues", events.labeled(23, "[ai-dev]"), actor="alice")
    assert full.job_result("prepare") == "failure", full.log()
    assert not full.ran("agent")
    [notice] = stage.issue(23)["comments"]
    assert "no free slot for issue #23" in notice["body"]
    assert notice["user"] == "codex-bot"
    assert sorted(int(r["issue"]) for r in stage.slots()) == [21, 22]

    # Cleanup: merging PR 32 destroys slot 1 and tidies GitHub.
    merged = stage.run(
        "pull_request", events.pr_closed(32, "codex/issue-21", merged=True), actor="bob"
    )
    assert merged.job_result("cleanup") == "success", merged.log()
    assert sorted(int(r["issue"]) for r in stage.slots()) == [22]
    assert not stack_file.exists()
    assert not namespace_exists(kubectl, "demo-shop-dev-1")
    heads = git(stage.origin, "for-each-ref", "--format=%(refname:short)", "refs/heads")
    assert sorted(heads.split()) == ["codex/issue-99", "feature/x", "main"]
    assert stage.issue(21)["state"] == "closed"
    assert stage.issue(22)["state"] == "open"

    # Capacity again: with slot 1 free, issue 23 proceeds.
    freed = stage.run("issues", events.labeled(23, "[ai-dev]"), actor="alice")
    assert freed.job_result("prepare") == "success", freed.log()
    ready_out = freed.output("prepare")
    assert "slot: 1" in ready_out, ready_out
    assert "namespace: demo-shop-dev-1" in ready_out, ready_out
    assert len(stage.issue(23)["comments"]) == 1  # no second notice


def _stack_file(stage: Stage, stack: str) -> Path:
    found = list((stage.root / "state").rglob(f"{stack}.json"))
    assert found, sorted(str(p) for p in (stage.root / "state").rglob("*"))
    return found[0]

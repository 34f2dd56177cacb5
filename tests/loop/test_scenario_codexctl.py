"""codexctl 1.0.x's own workflows, unchanged, with ``codexctl`` being codexstack: a merged PR
runs codexctl's cleanup workflow (``manage-env cleanup`` for ``ai`` with the configmap,
``delete-branch``, ``close-linked-issue``), every option through ``CODEXCTL_*`` variables.

The repository holds only ``tests/loop/workflows/codexctl`` (reference §9.7); the runner keeps
the state settings in its own environment, as a codexctl runner does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from codexstack.cluster.health import ClusterStatus
from loop import events
from loop.actkit import git
from loop.stage import Stage, build, namespace_exists


@pytest.fixture
def codexctl_stage(act_binary: Path, cluster: ClusterStatus, tmp_path: Path) -> Iterator[Stage]:
    built = build(tmp_path / "stage", Path(cluster.kubeconfig), workflows="codexctl")
    try:
        yield built
    finally:
        built.close()


def test_codexctl_cleanup_workflow_runs_unchanged(
    codexctl_stage: Stage, kubectl: list[str]
) -> None:
    stage = codexctl_stage
    assert not (stage.act.workdir / ".github" / "workflows" / "ai-cleanup.yml").exists()
    stage.add_issue(61, title="Task 61", user="alice", labels=["[ai-dev]"])
    stage.add_issue(62, title="Task 61", pull={"head_ref": "codex/issue-61", "draft": True})
    stage.codexstack("ci", "ensure-ready", "--issue", "61", "--apply")
    stage.codexstack("manage-env", "set", "--slot", "1", "--pr", "62")
    for branch in ("codex/issue-61", "feature/y"):
        git(stage.act.workdir, "push", "-q", stage.origin.as_uri(), f"main:refs/heads/{branch}")
    assert namespace_exists(kubectl, "demo-shop-dev-1")

    res = stage.run(
        "pull_request", events.pr_closed(62, "codex/issue-61", merged=True), actor="bob"
    )
    assert res.job_result("cleanup") == "success", res.log()
    assert stage.slots() == []
    assert not namespace_exists(kubectl, "demo-shop-dev-1")
    heads = git(stage.origin, "for-each-ref", "--format=%(refname:short)", "refs/heads")
    assert sorted(heads.split()) == ["feature/y", "main"]
    assert stage.issue(61)["state"] == "closed"

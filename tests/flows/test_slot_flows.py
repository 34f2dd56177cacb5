"""The slot flows called directly on the real SQLite registry (no cluster configured).

ensure-ready without ``apply`` (claim, source sync, outputs), set, comment, list, renew/keep,
a dry gc, cleanup's selection and verdict, and orphans' refusal without a cluster. Flows that
run the engine (cleanup of a deployed slot) are covered by the integration tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codexstack import flows
from codexstack.errors import ExitCode, UsageError
from codexstack.flows import (
    cleanup,
    comment,
    ensure_ready,
    ensure_slot,
    gc,
    orphans,
    renew,
    slot_set,
    slots_list,
)


def target(project: Path, **fields: object) -> flows.Target:
    return flows.Target(config=project / "services.yaml", **fields)  # type: ignore[arg-type]


def claim(project: Path, issue: int) -> int:
    return ensure_slot.run(ensure_slot.Request(target(project), issue=issue)).slot


def test_ensure_ready_without_apply_syncs_and_writes_outputs(project: Path) -> None:
    (project / "src").mkdir()
    (project / "src" / "app.py").write_text("x = 1\n")
    output, summary = project / "gh" / "out", project / "gh" / "summary.md"
    request = ensure_ready.Request(
        target(project),
        issue=3,
        code_root_base=str(project / "ws"),
        source=str(project / "src"),
        ci=flows.CiOutputs(output, summary),
    )
    progress = flows.Recorder()
    result = ensure_ready.run(request, progress)
    assert result.values["slot"] == 1
    assert result.values["codexctl_new_env"] is True
    assert "codexctl_run_args" not in result.text()
    assert result.data("kv") == {
        "slot": 1,
        "namespace": "shop-dev-1",
        "env": "ai",
        "created": True,
        "recreated": False,
        "infraReady": True,
    }
    assert (project / "ws" / "1" / "src" / "app.py").read_text() == "x = 1\n"
    assert any(line.startswith("info: sources: 1 copied") for line in progress.lines)
    assert "codexctl_run_args=--env ai --slot 1" in output.read_text()
    assert summary.read_text().startswith("### Slot 1 (shop-dev-1)")


def test_set_comment_list_renew_keep(project: Path) -> None:
    (project / "services.yaml").write_text(
        (project / "services.yaml").read_text()
        + "baseDomain:\n  ai: ai.shop.local\ncodex:\n  links:\n    - {title: Docs, path: docs}\n"
    )
    slot = claim(project, 5)
    bound = slot_set.run(slot_set.Request(target(project, slot=slot), pr=77))
    assert bound.values() == {"slot": 1, "issue": 5, "pr": 77}
    with pytest.raises(UsageError):
        slot_set.run(slot_set.Request(target(project), pr=1))
    body = comment.run(comment.Request(target(project, slot=slot))).body
    assert "- Docs: https://dev-1.ai.shop.local/docs" in body
    assert renew.run(renew.Request(target(project, slot=slot))).keep is False
    assert renew.run(renew.Request(target(project, slot=slot), keep=True)).keep is True
    [row] = slots_list.run(slots_list.Request(target(project))).rows
    assert (row["slot"], row["issue"], row["pr"], row["keep"]) == (1, 5, 77, True)
    assert slots_list.run(slots_list.Request(target(project))).text().startswith("slot  env")


def test_dry_gc_and_an_empty_cleanup(project: Path) -> None:
    claim(project, 1)
    claim(project, 2)
    dry = gc.run(gc.Request(target(project), ttl=3600.0, dry_run=True))
    assert (dry.report.fresh, dry.exit_code) == ([1, 2], ExitCode.OK)
    with pytest.raises(UsageError, match="--ttl is required"):
        gc.run(gc.Request(target(project)))
    nothing = cleanup.run(cleanup.Request(target(project), issue=404))
    assert (nothing.items, nothing.text()) == ([], "nothing to clean up\n")


def test_cleanup_failures_are_collected_and_set_the_exit_code() -> None:
    progress = flows.Recorder()
    failed = {"failed": ["slot 1: boom", "slot 3: bang"], "busy": ["slot 2: locked"]}
    assert cleanup.verdict(failed, progress) == ExitCode.FAILURE
    assert progress.lines == ["error: slot 1: boom; slot 3: bang"]
    assert cleanup.verdict({"busy": ["slot 2: locked"]}, progress) == ExitCode.TEMPORARY
    assert cleanup.verdict({"released": ["slot 4: "]}, progress) == ExitCode.OK


def test_orphans_need_a_cluster(project: Path) -> None:
    with pytest.raises(UsageError, match="no cluster configured"):
        orphans.run(orphans.Request(target(project)))

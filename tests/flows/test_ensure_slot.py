"""``flows.ensure_slot``: claim, reuse, capacity, CI outputs and warnings, called directly."""

from __future__ import annotations

from pathlib import Path

import pytest

from codexstack import flows
from codexstack.errors import ExitCode, SlotsFullError
from codexstack.flows import ensure_slot


def request(project: Path, **fields: object) -> ensure_slot.Request:
    target = flows.Target(config=project / "services.yaml")
    return ensure_slot.Request(target, **fields)  # type: ignore[arg-type]


def test_claims_then_reuses_the_issue_slot(project: Path) -> None:
    progress = flows.Recorder()
    first = ensure_slot.run(request(project, issue=42), progress)
    assert (first.slot, first.namespace, first.env, first.created) == (1, "shop-dev-1", "ai", True)
    again = ensure_slot.run(request(project, issue=42), progress)
    assert (again.slot, again.created) == (1, False)
    assert progress.lines == [
        "info: slot 1: claimed for issue 42 (namespace shop-dev-1)",
        "info: slot 1: reused for issue 42 (namespace shop-dev-1)",
    ]
    assert (project / ".codexstack" / "slots.db").is_file()


def test_result_shapes_follow_codexctl(project: Path) -> None:
    result = ensure_slot.run(request(project, pr=7))
    assert result.exit_code == ExitCode.OK
    assert result.data("json") == {"slot": 1, "namespace": "shop-dev-1", "env": "ai"}
    assert result.text() == "slot: 1\nnamespace: shop-dev-1\nenv: ai\n"


def test_writes_sorted_step_outputs(project: Path) -> None:
    target = project / "gh" / "output"
    ensure_slot.run(request(project, issue=3, ci=flows.CiOutputs(output=target)))
    assert target.read_text().splitlines() == ["env=ai", "namespace=shop-dev-1", "slot=1"]


def test_a_full_registry_is_temporary(project: Path) -> None:
    ensure_slot.run(request(project, issue=1))
    ensure_slot.run(request(project, issue=2))
    with pytest.raises(SlotsFullError) as caught:
        ensure_slot.run(request(project, issue=3))
    assert caught.value.exit_code == ExitCode.TEMPORARY
    assert ensure_slot.run(request(project, issue=3, max_slots=3)).slot == 3


def test_unknown_keys_warn_with_file_line_and_key(project: Path) -> None:
    config = project / "services.yaml"
    config.write_text(config.read_text() + "extra:\n  nested: 1\n")
    progress = flows.Recorder()
    assert ensure_slot.run(request(project, issue=5), progress).slot == 1
    [warning] = progress.warnings
    assert "services.yaml:5" in warning
    assert "extra" in warning

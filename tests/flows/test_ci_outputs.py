"""flows.ci: the $GITHUB_OUTPUT and step summary writers."""

from __future__ import annotations

from pathlib import Path

from codexstack.flows.ci import CiOutputs, github_output


def test_github_output_sorted_created_and_heredoc(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "output"
    github_output(target, {"slot": 3, "env": "ai", "namespace": "demo-dev-3", "ok": True})
    github_output(target, {"body": "line one\nline two"})
    lines = target.read_text().splitlines()
    assert lines[:4] == ["env=ai", "namespace=demo-dev-3", "ok=true", "slot=3"]
    opener, first, second, closer = lines[4:]
    delimiter = opener.removeprefix("body<<")
    assert (first, second, closer) == ("line one", "line two", delimiter)
    assert delimiter.startswith("ghadelimiter_")


def test_ci_outputs_from_the_environment(tmp_path: Path) -> None:
    output, summary = tmp_path / "out", tmp_path / "summary.md"
    ci = CiOutputs.from_environ({"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)})
    ci.write({"b": False, "a": 1})
    ci.summary_table("Slot 1", {"slot": 1})
    assert output.read_text() == "a=1\nb=false\n"
    assert summary.read_text() == "### Slot 1\n\n| key | value |\n|---|---|\n| slot | `1` |\n\n"


def test_outside_ci_nothing_is_written(tmp_path: Path) -> None:
    ci = CiOutputs.from_environ({"GITHUB_OUTPUT": " "})
    ci.write({"a": 1})
    ci.add_summary("x")
    assert (ci.output, ci.summary) == (None, None)

"""What a flow hands to GitHub Actions: ``$GITHUB_OUTPUT`` keys and the step summary.

:class:`CiOutputs` is part of a flow's request, so the flow decides what to write and the
caller decides where: the CLI passes :meth:`CiOutputs.from_environ` (both files from the
environment, nothing when unset), tests pass files of their own. Outputs are appended with
the keys sorted, as codexctl does, but (codexctl D-OUTPUT) the file is created when missing
and multi-line values use the heredoc form GitHub decodes instead of ``%0A`` escapes.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

Value = str | int | bool


def text(value: Value) -> str:
    """A value as codexctl prints it (booleans ``true``/``false``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def github_output(path: Path, values: Mapping[str, Value]) -> None:
    """Append ``values`` to a GitHub Actions output file, keys sorted, creating the file."""
    lines = []
    for key in sorted(values):
        value = text(values[key])
        if "\n" in value or "\r" in value:
            delimiter = f"ghadelimiter_{secrets.token_hex(8)}"
            lines.append(f"{key}<<{delimiter}\n{value}\n{delimiter}\n")
        else:
            lines.append(f"{key}={value}\n")
    _append(path, "".join(lines))


def _append(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(content)


@dataclass(frozen=True)
class CiOutputs:
    """The two files of a GitHub Actions step; ``None`` means not in CI (nothing written)."""

    output: Path | None = None
    summary: Path | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> CiOutputs:
        """``$GITHUB_OUTPUT`` and ``$GITHUB_STEP_SUMMARY`` (blank counts as unset)."""
        env = os.environ if environ is None else environ
        output = env.get("GITHUB_OUTPUT", "").strip()
        summary = env.get("GITHUB_STEP_SUMMARY", "").strip()
        return cls(Path(output) if output else None, Path(summary) if summary else None)

    def write(self, values: Mapping[str, Value]) -> None:
        """Append step outputs (heredoc form for multi-line values)."""
        if self.output is not None:
            github_output(self.output, values)

    def add_summary(self, markdown: str) -> None:
        """Append Markdown to the job summary."""
        if self.summary is not None:
            _append(self.summary, markdown)

    def summary_table(self, title: str, values: Mapping[str, Value]) -> None:
        """Append a ``key | value`` table under a heading to the job summary."""
        rows = "".join(f"| {k} | `{text(v)}` |\n" for k, v in values.items())
        self.add_summary(f"### {title}\n\n| key | value |\n|---|---|\n{rows}\n")

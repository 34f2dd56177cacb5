"""The result of one stack operation, as data and as a GitHub step summary.

Every operation (apply, preview, destroy, refresh) returns a :class:`Summary`; ``as_dict`` is
the ``--output json`` contract: ``{"stack", "operation", "changes": {"create", "update",
"delete", "same"}, "duration_s", "outputs"}`` plus what happened around it (recovered locks,
resolved pending operations, hook results) and the switch from codexctl (``adopt`` count,
``adopted``, ``not_managed``, ``pruned``). ``markdown`` is what lands in
``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codexstack.deploy.progress import CHANGE_KEYS


@dataclass
class Summary:
    """What one operation did to one stack."""

    stack: str
    operation: str
    changes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANGE_KEYS, 0))
    duration_s: float = 0.0
    outputs: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Recoveries and other things worth telling (stale lock removed, pending ops cleared)."""
    hooks: list[dict[str, Any]] = field(default_factory=list)
    engine_changes: dict[str, int] = field(default_factory=dict)
    adopted: list[str] = field(default_factory=list)
    """Existing objects (applied by kubectl) this run takes over instead of creating."""
    not_managed: list[str] = field(default_factory=list)
    """Objects codexctl applied in the namespace that no manifest holds any more."""
    pruned: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.changes.get(k, 0) for k in ("create", "update", "delete"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "operation": self.operation,
            "changes": {k: self.changes.get(k, 0) for k in CHANGE_KEYS},
            "duration_s": round(self.duration_s, 3),
            "outputs": self.outputs,
            "notes": self.notes,
            "hooks": self.hooks,
            "adopt": len(self.adopted),
            "adopted": self.adopted,
            "not_managed": self.not_managed,
            "pruned": self.pruned,
        }

    def text(self) -> str:
        counts = ", ".join(f"{self.changes.get(k, 0)} {k}" for k in CHANGE_KEYS)
        if self.adopted:
            counts += f", {len(self.adopted)} adopt"
        return f"{self.operation} {self.stack}: {counts} in {self.duration_s:.1f}s"

    def markdown(self) -> str:
        rows = "".join(f"| {k} | {self.changes.get(k, 0)} |\n" for k in CHANGE_KEYS)
        if self.adopted:
            rows += f"| adopt | {len(self.adopted)} |\n"
        notes = "".join(f"- {note}\n" for note in self.notes)
        return (
            f"### codexstack {self.operation}: `{self.stack}`\n\n"
            f"| change | objects |\n|---|---|\n{rows}\n"
            f"Took {self.duration_s:.1f} s.\n" + (f"\n{notes}" if notes else "")
        )


def write_step_summary(summary: Summary, environ: Mapping[str, str] | None = None) -> bool:
    """Append the summary to ``$GITHUB_STEP_SUMMARY`` when set; True if written."""
    target = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY", "")
    if not target:
        return False
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(summary.markdown() + "\n")
    return True

"""``slots list``: every claim with its env, issue, PR, namespace, state, age and heartbeat.

``source`` says where the claim came from: ``codexstack``, ``codexctl`` (a codexctl state
ConfigMap not yet reused here) or ``codexctl (imported)``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from codexstack import slots
from codexstack.flows._registry import Registry, open_registry
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target

HEADS = ["slot", "env", "issue", "pr", "namespace", "state", "age", "heartbeat", "source"]


@dataclass(frozen=True)
class Request:
    """The env's registry."""

    target: Target
    registry: Registry = field(default_factory=Registry)


def _age(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True)
class Result:
    """One row per claim (ours and codexctl's)."""

    rows: list[dict[str, Any]]
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return self.rows

    def text(self) -> str:
        if not self.rows:
            return "no slots claimed\n"
        cells = [
            [
                str(r["slot"]),
                r["env"],
                str(r["issue"] or "-"),
                str(r["pr"] or "-"),
                r["namespace"],
                r["state"] + (" (keep)" if r["keep"] else ""),
                _age(r["age_s"]),
                _age(r["heartbeat_s"]) + " ago",
                r["source"],
            ]
            for r in self.rows
        ]
        widths = [max(len(x) for x in col) for col in zip(HEADS, *cells, strict=False)]
        return "".join(
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False)).rstrip() + "\n"
            for line in [HEADS, *cells]
        )


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """List the claims."""
    opened = open_registry(request.target, request.registry, progress)
    now = time.time()
    rows = [
        {
            "slot": c.slot,
            "env": c.env,
            "issue": c.issue,
            "pr": c.pr,
            "namespace": c.namespace,
            "state": str(c.state),
            "age_s": round(now - c.created),
            "heartbeat_s": round(now - c.renewed),
            "owner": c.owner,
            "source": slots.origin(c),
            "keep": c.keep,
        }
        for c in opened.slots.claims()
    ]
    return Result(rows)

"""``render``: the manifests of an environment as the YAML stream codexctl prints.

Pure: no cluster, no engine. Unknown services.yaml keys are warnings unless the target is
strict (or services.yaml says ``strict: true``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codexstack import plan, render, yamlio
from codexstack.flows._stack import NO_FILTERS, Filters
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """Which environment, and which units of it."""

    target: Target
    filters: Filters = NO_FILTERS


@dataclass(frozen=True)
class Result:
    """The rendered documents, in order."""

    documents: list[Any]
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return self.documents

    def text(self) -> str:
        return str(yamlio.dump_stream(self.documents))


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Load services.yaml for the target and render its selected units."""
    target = request.target
    warnings: list[str] = []
    built = plan.load_plan(
        plan.PlanRequest(
            target.config,
            target.required_env(),
            slot=target.slot,
            namespace=target.namespace,
            vars=target.vars,
            var_file=target.var_file_text,
            filters=render.Filters.parse(*request.filters),
            include_unselected=False,
            strict=target.strict,
        ),
        warnings=warnings,
    )
    for warning in warnings:
        progress.warn(warning)
    return Result(built.documents())

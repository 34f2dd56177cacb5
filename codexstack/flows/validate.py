"""``validate``: check services.yaml strictly and render every environment it declares.

Env ``ai`` is rendered with a sample slot. Every problem is collected (not only the first);
each one also goes to the reporter as an error, each distinct warning once. Unknown keys are
always errors here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codexstack import plan
from codexstack.errors import ExitCode
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """Which file (env, slot and namespace of the target are not used)."""

    target: Target


@dataclass(frozen=True)
class Result:
    """The validation report: ``{"config", "ok", "errors", "environments": [...]}``."""

    report: dict[str, Any]

    @property
    def exit_code(self) -> int:
        return int(ExitCode.OK if self.report["ok"] else ExitCode.INVALID)

    def data(self, fmt: str) -> Any:
        return self.report

    def text(self) -> str:
        lines = []
        for env in self.report["environments"]:
            label = _label(env)
            if env["ok"]:
                lines.append(
                    f"ok      {label}: namespace '{env['namespace']}', {env['documents']} documents"
                )
            else:
                lines.append(f"invalid {label}")
        lines.append("valid" if self.report["ok"] else "invalid")
        return "\n".join(lines) + "\n"


def _label(env: dict[str, Any]) -> str:
    return f"{env['env']} (slot {env['slot']})" if env["slot"] else str(env["env"])


def _problem_text(problem: dict[str, Any]) -> str:
    if "problems" in problem:
        return "\n".join(
            [problem["message"].split("\n")[0]] + [f"  {p['text']}" for p in problem["problems"]]
        )
    return str(problem.get("text") or problem["message"])


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Validate every declared environment; problems to the reporter, the report returned."""
    target = request.target
    report = plan.validate_project(
        target.config, vars=target.vars, var_file=target.var_file_text
    ).as_dict()
    for problem in report["errors"]:
        progress.error(problem.get("text") or problem["message"])
    seen: set[str] = set()
    for env in report["environments"]:
        for problem in env["errors"]:
            progress.error(f"[{_label(env)}] {_problem_text(problem)}")
        for warning in env["warnings"]:
            if warning not in seen:
                seen.add(warning)
                progress.warn(warning)
    return Result(report)

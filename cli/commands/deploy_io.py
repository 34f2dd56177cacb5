"""What the deploy commands share: loading a job, the engine, progress on stderr, results.

A :class:`Job` is one command's plan, project directory, engine and hook context. Progress
records from the library become lines on stderr: styled with rich on a terminal, plain
``codexstack: ...`` lines otherwise (CI logs), nothing on stdout. ``finish`` prints the
result in the chosen format and appends the Markdown summary to ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli import output as out
from cli.options import GlobalOptions
from cli.output import OutputFormat
from codexstack.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from codexstack.deploy.engine import Engine
    from codexstack.deploy.operations import Request
    from codexstack.deploy.progress import Progress
    from codexstack.deploy.project import Loaded
    from codexstack.deploy.summary import Summary

SYMBOLS = {
    "create": "+",
    "update": "~",
    "replace": "+-",
    "delete": "-",
    "refresh": "↻",
    "read": ">",
    "same": "=",
}


def duration(text: str | None, flag: str) -> float | None:
    """A Go duration option in seconds (None when not given)."""
    if text is None or not text.strip():
        return None
    from codexstack.golang import DurationError, parse_duration  # noqa: PLC0415

    try:
        return parse_duration(text.strip())
    except DurationError as exc:
        raise UsageError(f"{flag}: invalid duration {text!r} ({exc})") from None


def _styled() -> bool:
    return sys.stderr.isatty() and not os.environ.get("NO_COLOR")


def reporter() -> Any:
    """A progress callback printing one line per event on stderr."""
    console = None
    if _styled():
        from rich.console import Console  # noqa: PLC0415  (only on a terminal)

        console = Console(stderr=True, highlight=False)

    def report(p: Progress) -> None:
        if p.phase == "message":
            who = f"[{p.name}] " if p.name else ""
            line, style = (
                f"{who}{p.message}",
                {"error": "red", "warning": "yellow"}.get(p.severity, "dim"),
            )
        else:
            mark = {"start": SYMBOLS.get(p.op, "*"), "done": "✓", "failed": "✗"}[p.phase]
            took = f" ({p.elapsed_s:.1f}s)" if p.phase == "done" else ""
            line = f"{mark} {p.op} {p.kind} {p.name}{took}"
            style = {"start": "cyan", "done": "green", "failed": "red"}[p.phase]
        if console is not None:
            console.print(line, style=style, markup=False)
        else:
            out.info(f"codexstack: {line}")

    return report


@dataclass
class Job:
    """One deploy command's inputs, resolved."""

    opts: GlobalOptions
    loaded: Loaded
    engine: Engine
    kubectl: str

    @classmethod
    def create(
        cls,
        opts: GlobalOptions,
        filters: tuple[str | None, ...],
        kubeconfig: str | None,
        context: str | None,
        *,
        render: bool = False,
        issue: int = 0,
        pr: int = 0,
    ) -> Job:
        """Load the plan; ``issue``/``pr`` end up in the stack's tags (slot commands pass them)."""
        if not opts.env:
            raise UsageError("--env is required (or set CODEXSTACK_ENV or CODEXCTL_ENV)")
        from codexstack.cluster import tools  # noqa: PLC0415  (lazy: keeps --help fast)
        from codexstack.deploy.engine import Engine  # noqa: PLC0415
        from codexstack.deploy.project import Inputs, load  # noqa: PLC0415
        from codexstack.render.select import Filters  # noqa: PLC0415

        tools.require("kubernetes-plugin")
        engine = Engine(tools.pulumi_root(), tools.pulumi_env(), tools.tools()["pulumi"].version)
        kubectl_tool = tools.tools()["kubectl"]
        kubectl = str(kubectl_tool.path) if kubectl_tool.present else "kubectl"
        inputs = Inputs(
            opts.config_path,
            opts.env,
            slot=opts.slot or 0,
            namespace=opts.namespace,
            vars=opts.vars,
            var_file=str(opts.var_file) if opts.var_file else None,
            filters=Filters.parse(*filters),
            kubeconfig=kubeconfig,
            context=context,
            issue=issue,
            pr=pr,
            require_env=not render,
        )
        loaded = load(inputs, kubectl=kubectl)
        for warning in loaded.warnings:
            out.warn(warning)
        return cls(opts, loaded, engine, kubectl)

    def request(
        self,
        *,
        wait: bool = False,
        wait_timeout: float | None = None,
        render_to: Path | None = None,
        lock_wait_s: float = 0.0,
        deadline_s: float | None = None,
        hooks: bool = False,
        request_timeout: float | None = None,
        parallel: int | None = None,
    ) -> Request:
        from codexstack.deploy.builtins import BUILTINS  # noqa: PLC0415
        from codexstack.deploy.hooks import HookRunner  # noqa: PLC0415
        from codexstack.deploy.operations import Request  # noqa: PLC0415
        from codexstack.program.options import ProgramOptions  # noqa: PLC0415

        report = reporter()
        program = ProgramOptions(
            wait=wait,
            await_timeout_s=int(wait_timeout) if wait_timeout else None,
            render_to=render_to,
            request_timeout_s=int(request_timeout) if request_timeout else None,
        )
        runner = HookRunner(self.loaded.hook_env, BUILTINS, report) if hooks else None
        return Request(
            self.loaded.plan,
            self.loaded.project_dir,
            self.engine,
            program,
            reporter=report,
            hooks=runner,
            lock_wait_s=lock_wait_s,
            deadline_s=deadline_s,
            parallel=parallel,
            filtered=self.loaded.filtered,
        )

    def preflight(self) -> None:
        from codexstack.deploy.preflight import preflight  # noqa: PLC0415

        for check in preflight(
            self.loaded.plan, self.loaded.project_dir, self.engine, self.kubectl
        ):
            out.info(f"codexstack: preflight ok: {check.name} ({check.detail})")

    def finish(self, summary: Summary) -> int:
        """Print the result, write the step summary, return the exit code."""
        from codexstack.deploy.summary import write_step_summary  # noqa: PLC0415

        for note in summary.notes:
            out.warn(note)
        fmt = self.opts.fmt
        if fmt is OutputFormat.kv:
            data = summary.as_dict()
            flat = {
                "stack": data["stack"],
                "operation": data["operation"],
                **{f"changes_{k}": v for k, v in data["changes"].items()},
                "duration_s": data["duration_s"],
            }
            out.emit(flat, fmt)
        else:
            out.emit(summary.as_dict(), fmt, text=summary.text() + "\n")
        write_step_summary(summary)
        return int(ExitCode.OK)


def status_text(report: dict[str, Any]) -> str:
    """People's view of ``status``."""
    lines = [
        f"stack:      {report['stack']} ({report['project']})",
        f"namespace:  {report.get('namespace') or '-'}",
        f"backend:    {report['backend']}",
    ]
    if not report.get("exists"):
        return "\n".join([*lines, "state:      not deployed"]) + "\n"
    last = report.get("last_operation") or {}
    locks = report["locks"]
    holders = "; ".join(h for h in [locks["local"], *locks["engine"]] if h)
    lines += [
        f"last:       {last.get('kind', '-')} {last.get('result', '')} at "
        f"{last.get('end') or last.get('start', '-')}",
        f"objects:    {report['objects']} ({report['resources']} resources)",
        f"locked:     {'yes: ' + holders if locks['busy'] else 'no'}",
        f"interrupted operations: {report['pending_operations']}",
    ]
    lines += [f"output {k}: {v}" for k, v in sorted(report.get("outputs", {}).items())]
    return "\n".join(lines) + "\n"

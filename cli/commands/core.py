"""The core commands: ``render``, ``validate`` and ``schema``.

Each is a thin adapter: resolve the options (flag > ``CODEXSTACK_*`` > ``CODEXCTL_*`` >
default; a flag after the command beats one before it), make one library call, print the
result on stdout and leave with its exit code. Library imports happen inside the commands so
that ``codexstack --help`` does not load the config model or the template engine.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from cli import output as out
from cli.options import (
    ConfigOpt,
    GlobalOptions,
    OutputOpt,
    VarFileOpt,
    VarsOpt,
    merged,
    with_globals,
)
from cli.output import OutputFormat
from codexstack.errors import ExitCode, UsageError


def _filter(flag: str, what: str) -> Any:
    return typer.Option(flag, help=f"Comma list of {what} names (case-insensitive).")


OnlyServices = Annotated[str | None, _filter("--only-services", "service names to render only")]
SkipServices = Annotated[str | None, _filter("--skip-services", "service names to leave out")]
OnlyInfra = Annotated[str | None, _filter("--only-infra", "infrastructure names to render only")]
SkipInfra = Annotated[str | None, _filter("--skip-infra", "infrastructure names to leave out")]


def _path(value: object) -> str | None:
    return None if value is None else str(value)


@with_globals
def render(
    opts: GlobalOptions,
    *,
    only_services: OnlyServices = None,
    skip_services: SkipServices = None,
    only_infra: OnlyInfra = None,
    skip_infra: SkipInfra = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict/--no-strict",
            help="Unknown services.yaml keys are errors (default) or, as codexctl, warnings.",
        ),
    ] = True,
) -> None:
    """Render the manifests of an environment to stdout (the YAML stream codexctl prints)."""
    fmt = opts.fmt
    if not opts.env:
        raise UsageError("--env is required (or set CODEXSTACK_ENV or CODEXCTL_ENV)")
    if fmt is OutputFormat.kv:
        raise UsageError("render prints documents: use --output text, yaml or json")
    from codexstack.plan.project import PlanRequest, load_plan  # noqa: PLC0415 (lazy: keeps --help fast)
    from codexstack.render.select import Filters  # noqa: PLC0415 (lazy: keeps --help fast)
    from codexstack.yamlio import dump_stream  # noqa: PLC0415 (lazy: keeps --help fast)

    request = PlanRequest(
        opts.config_path,
        opts.env,
        slot=opts.slot or 0,
        namespace=opts.namespace,
        vars=opts.vars,
        var_file=_path(opts.var_file),
        filters=Filters.parse(only_services, skip_services, only_infra, skip_infra),
        include_unselected=False,
        strict=strict,
    )
    warnings: list[str] = []
    plan = load_plan(request, warnings=warnings)
    for warning in warnings:
        out.warn(warning)
    docs = plan.documents()
    if fmt is OutputFormat.json:
        out.emit(docs, fmt)
    else:
        sys.stdout.write(dump_stream(docs))
        sys.stdout.flush()


def validate(
    ctx: typer.Context,
    *,
    config: ConfigOpt = None,
    vars: VarsOpt = None,
    var_file: VarFileOpt = None,
    output: OutputOpt = None,
) -> int:
    """Check services.yaml strictly and render every environment it declares (ai: slot 1)."""
    opts = merged(ctx, config=config, vars=vars, var_file=var_file, output=output)
    fmt = opts.fmt
    from codexstack.plan.project import validate_project  # noqa: PLC0415 (lazy: keeps --help fast)

    report = validate_project(opts.config_path, vars=opts.vars, var_file=_path(opts.var_file))
    if fmt in (OutputFormat.json, OutputFormat.yaml):
        out.emit(report.as_dict(), fmt)
    else:
        _print_report(report.as_dict())
    return int(ExitCode.OK if report.ok else ExitCode.INVALID)


def _print_report(report: dict[str, Any]) -> None:
    """People's view of a validation report: one line per env on stdout, problems on stderr."""
    for problem in report["errors"]:
        out.error(problem.get("text") or problem["message"])
    seen: set[str] = set()
    for env in report["environments"]:
        label = f"{env['env']} (slot {env['slot']})" if env["slot"] else env["env"]
        if env["ok"]:
            sys.stdout.write(
                f"ok      {label}: namespace '{env['namespace']}', {env['documents']} documents\n"
            )
        else:
            sys.stdout.write(f"invalid {label}\n")
        for problem in env["errors"]:
            out.error(f"[{label}] {_problem_text(problem)}")
        for warning in env["warnings"]:
            if warning not in seen:
                seen.add(warning)
                out.warn(warning)
    sys.stdout.write("valid\n" if report["ok"] else "invalid\n")
    sys.stdout.flush()


def _problem_text(problem: dict[str, Any]) -> str:
    if "problems" in problem:
        return "\n".join(
            [problem["message"].split("\n")[0]] + [f"  {p['text']}" for p in problem["problems"]]
        )
    return str(problem.get("text") or problem["message"])


def schema(ctx: typer.Context, output: OutputOpt = None) -> None:
    """Print the JSON Schema of services.yaml (for editors and CI checks)."""
    fmt = merged(ctx, output=output).fmt
    from codexstack.config.schema import json_schema  # noqa: PLC0415 (lazy: keeps --help fast)

    out.emit(json_schema(), OutputFormat.yaml if fmt is OutputFormat.yaml else OutputFormat.json)

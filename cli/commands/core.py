"""``render``, ``validate`` and ``schema``: adapters over the pure-core flows.

``render`` prints the YAML stream codexctl prints (``--output json``: a JSON list of the
documents); ``validate`` checks every declared environment strictly (exit 65 when anything is
invalid); ``schema`` prints the JSON Schema of services.yaml (``--output yaml`` for YAML).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli import output as out
from cli.options import current
from cli.output import OutputFormat
from codexstack import flows
from codexstack.errors import UsageError


def _filter(flag: str, what: str) -> Any:
    return typer.Option(flag, help=f"Comma list of {what} names (case-insensitive).")


OnlyServices = Annotated[str | None, _filter("--only-services", "service names to render only")]
SkipServices = Annotated[str | None, _filter("--skip-services", "service names to leave out")]
OnlyInfra = Annotated[str | None, _filter("--only-infra", "infrastructure names to render only")]
SkipInfra = Annotated[str | None, _filter("--skip-infra", "infrastructure names to leave out")]


def render(
    ctx: typer.Context,
    *,
    only_services: OnlyServices = None,
    skip_services: SkipServices = None,
    only_infra: OnlyInfra = None,
    skip_infra: SkipInfra = None,
) -> int:
    """Render the manifests of an environment to stdout (the YAML stream codexctl prints)."""
    opts = current(ctx)
    if opts.fmt is OutputFormat.kv:
        raise UsageError("render prints documents: use --output text, yaml or json")
    filters = (only_services, skip_services, only_infra, skip_infra)
    request = flows.render.Request(opts.target, filters)
    result = flows.render.run(request, flows.StderrReporter())
    # yaml is the stream itself, exactly as text: codexctl's byte-for-byte output
    return out.finish(result, opts.fmt if opts.fmt is OutputFormat.json else OutputFormat.text)


def validate(ctx: typer.Context) -> int:
    """Check services.yaml strictly and render every environment it declares (ai: slot 1)."""
    opts = current(ctx)
    result = flows.validate.run(flows.validate.Request(opts.target), flows.StderrReporter())
    fmt = opts.fmt if opts.fmt in (OutputFormat.json, OutputFormat.yaml) else OutputFormat.text
    return out.finish(result, fmt)


def schema(ctx: typer.Context) -> int:
    """Print the JSON Schema of services.yaml (for editors and CI checks)."""
    fmt = current(ctx).fmt
    result = flows.schema.run(flows.schema.Request())
    return out.finish(result, fmt if fmt is OutputFormat.yaml else OutputFormat.json)

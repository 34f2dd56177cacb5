"""Shared command-line options with codexctl's names and layered environment fallbacks.

Resolution for every option is one rule: explicit flag > ``CODEXSTACK_<NAME>`` >
``CODEXCTL_<NAME>`` > legacy unprefixed name (where codexctl <=0.8 had one) > default. Blank
variables count as unset. The global options may be given before the command (as codexctl
allows) or after it; the value given after the command wins.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

import typer

from cli.output import OutputFormat


def envvars(name: str, *legacy: str) -> list[str]:
    """Environment variable names for an option, in precedence order."""
    return [f"CODEXSTACK_{name}", f"CODEXCTL_{name}", *legacy]


ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "-c",
        "--config",
        envvar=envvars("CONFIG"),
        help="Path to services.yaml.",
        show_default="services.yaml",
    ),
]
EnvOpt = Annotated[
    str | None,
    typer.Option(
        "--env",
        envvar=envvars("ENV"),
        help="Environment: dev, staging/ai-staging, ai (slots), ai-repair or any defined name.",
    ),
]
NamespaceOpt = Annotated[
    str | None,
    typer.Option(
        "--namespace",
        envvar=envvars("NAMESPACE"),
        help="Namespace override (default: namespace.patterns[env] or <project>-<env>).",
    ),
]
SlotOpt = Annotated[
    int | None,
    typer.Option("--slot", envvar=envvars("SLOT", "SLOT"), min=0, help="Slot number (env ai)."),
]
VarsOpt = Annotated[
    str | None,
    typer.Option(
        "--vars", envvar=envvars("VARS"), help="Extra variables: 'k=v,k2=v2' (top layer)."
    ),
]
VarFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--var-file",
        envvar=envvars("VAR_FILE"),
        help="File of KEY=value lines (relative to the current directory).",
    ),
]
OutputOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--output",
        "-o",
        envvar=envvars("OUTPUT"),
        case_sensitive=False,
        help="Result format on stdout: text, json, yaml or kv.",
    ),
]


@dataclass(frozen=True)
class GlobalOptions:
    """Options common to every command; ``merge`` overlays command-level values."""

    config: Path | None = None
    env: str | None = None
    namespace: str | None = None
    slot: int | None = None
    vars: str | None = None
    var_file: Path | None = None
    output: OutputFormat | None = None
    log_level: str = "info"
    debug: bool = False

    def merge(self, **overrides: object) -> GlobalOptions:
        """Return a copy where every non-None override replaces the root-level value."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **given)  # type: ignore[arg-type]

    @property
    def config_path(self) -> Path:
        """The services.yaml to load (default: ./services.yaml)."""
        return self.config or Path("services.yaml")

    @property
    def fmt(self) -> OutputFormat:
        """The chosen output format (default text)."""
        return self.output or OutputFormat.text


def current(ctx: typer.Context) -> GlobalOptions:
    """The root-level options of this invocation."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, GlobalOptions) else GlobalOptions()

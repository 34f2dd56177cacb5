"""Command-line options with codexctl's names, ``CODEXCTL_*`` fallbacks and Go value parsing.

Resolution for every option is one rule: flag > ``CODEXSTACK_<NAME>`` > ``CODEXCTL_<NAME>`` >
legacy unprefixed name (where codexctl <=0.8 had one) > default. Blank variables count as
unset. :func:`opt` declares an option under that rule; Go durations, booleans and integers go
through one parser each (:data:`go_duration`, :data:`go_bool`, :data:`go_int`, Typer's
``parser=``), so a flag and its variable are checked alike: a bad flag is a usage error (64),
a bad variable a failure (1, as codexctl). The global flags are declared once, on the root
callback (:mod:`cli.app`); :func:`current` gives a command their values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.output import OutputFormat
from codexstack import flows


def _parser(name: str) -> Callable[[Any], Any]:
    """A Typer ``parser=`` over :mod:`codexstack.flows.values` (bad values: BadParameter)."""

    def parse(value: Any) -> Any:
        try:
            return getattr(flows.values, name)(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    parse.__name__ = name
    return parse


go_duration = _parser("go_duration")
"""Go duration (``10m``, ``1h30m``) -> seconds."""
go_bool = _parser("go_bool")
"""Go ``strconv.ParseBool`` (for a flag's variable; the flag itself needs no value)."""
go_int = _parser("go_int")
"""Go ``strconv.Atoi``."""


def envvars(name: str, *legacy: str) -> list[str]:
    """Environment variable names for an option, in precedence order."""
    return [f"CODEXSTACK_{name}", f"CODEXCTL_{name}", *legacy]


def opt(*flags: str, env: str, help: str, legacy: str | None = None, **settings: Any) -> Any:
    """A Typer option that falls back to ``CODEXSTACK_<env>``, ``CODEXCTL_<env>``, ``legacy``.

    Without ``flags`` Typer names the option after its parameter (``--x/--no-x`` for a bool).
    """
    names = envvars(env, legacy) if legacy else envvars(env)
    return typer.Option(*flags, envvar=names, help=help, **settings)


def duration(*flags: str, help: str, default: str, env: str | None = None) -> Any:
    """A Go duration option (seconds), with its variable when ``env`` is given."""
    settings: dict[str, Any] = {"parser": go_duration, "show_default": default}
    if env is None:
        return typer.Option(*flags, help=f"{help} (Go duration)", **settings)
    return opt(*flags, env=env, help=help, **settings)


def flag(*flags: str, env: str, help: str) -> Any:
    """A boolean flag whose variable is read as Go reads booleans."""
    return opt(*flags, env=env, help=help, parser=go_bool)


# --- the global flags (declared on the root callback only) -----------------------------------

ConfigOpt = Annotated[
    Path | None,
    opt(
        "-c", "--config", env="CONFIG", help="Path to services.yaml.", show_default="services.yaml"
    ),
]
EnvOpt = Annotated[
    str | None,
    opt(
        "--env",
        env="ENV",
        help="Environment: dev, staging/ai-staging, ai (slots), ai-repair or any defined name.",
    ),
]
NamespaceOpt = Annotated[
    str | None,
    opt(
        "--namespace",
        env="NAMESPACE",
        help="Namespace override (default: namespace.patterns[env] or <project>-<env>).",
    ),
]
SlotOpt = Annotated[
    int | None,
    opt("--slot", env="SLOT", legacy="SLOT", parser=go_int, help="Slot number (env ai)."),
]
VarsOpt = Annotated[
    str | None, opt("--vars", env="VARS", help="Extra variables: 'k=v,k2=v2' (top layer).")
]
VarFileOpt = Annotated[
    Path | None,
    opt(
        "--var-file",
        env="VAR_FILE",
        help="File of KEY=value lines (relative to the current directory).",
    ),
]
OutputOpt = Annotated[
    OutputFormat | None,
    opt(
        "--output",
        "-o",
        env="OUTPUT",
        case_sensitive=False,
        help="Result format on stdout: text, json, yaml or kv.",
    ),
]
LogLevelOpt = Annotated[
    str,
    opt(
        "--log-level", env="LOG_LEVEL", legacy="CODEX_LOG_LEVEL", help="debug, info, warn or error."
    ),
]
StrictOpt = Annotated[
    bool,
    flag(
        "--strict/--no-strict",
        env="STRICT",
        help="Unknown services.yaml keys are errors (exit 65), not warnings. Also: "
        "'strict: true' in services.yaml. validate is always strict.",
    ),
]
DebugOpt = Annotated[
    bool,
    typer.Option("--debug", envvar="CODEXSTACK_DEBUG", help="Show tracebacks and debug logs."),
]

# --- options several commands share ----------------------------------------------------------

IssueOpt = Annotated[
    int | None, opt("--issue", env="ISSUE_NUMBER", parser=go_int, help="Issue number.")
]
PrOpt = Annotated[
    int | None, opt("--pr", env="PR_NUMBER", parser=go_int, help="Pull request number.")
]
MaxOpt = Annotated[
    int | None,
    opt(
        "--max",
        env="DEV_SLOTS_MAX",
        parser=go_int,
        help="Slot cap (0: maxSlots, else 10000).",
    ),
]
WaitSlotOpt = Annotated[
    float,
    duration(
        "--wait-for-slot",
        env="WAIT_FOR_SLOT",
        default="0s",
        help="Wait this long (Go duration, e.g. 10m) in a fair queue when every slot is held.",
    ),
]
RegistryOpt = Annotated[
    str | None,
    opt(
        "--registry",
        env="SLOTS_REGISTRY",
        help="Slot registry: sqlite (file under .codexstack) or lease (cluster Leases); "
        "default: services.yaml state.backend (configmap means lease), else sqlite.",
    ),
]
RegistryNsOpt = Annotated[
    str | None,
    opt(
        "--registry-namespace",
        env="SLOTS_NAMESPACE",
        help="State namespace of the Lease registry (default: state.configmapNamespace).",
    ),
]
LockWaitOpt = Annotated[
    float,
    duration(
        "--lock-wait",
        env="LOCK_WAIT",
        default="15m",
        help="How long to wait for a running apply/destroy of the same slot (Go duration).",
    ),
]


def registry(backend: str | None, namespace: str | None) -> flows.Registry:
    """The ``--registry`` / ``--registry-namespace`` pair."""
    return flows.Registry(backend, namespace)


@dataclass(frozen=True)
class GlobalOptions:
    """The global flags of this invocation (from the root callback)."""

    config: Path | None = None
    env: str | None = None
    namespace: str | None = None
    slot: int | None = None
    vars: str | None = None
    var_file: Path | None = None
    output: OutputFormat | None = None
    log_level: str = "info"
    strict: bool = False
    debug: bool = False

    @property
    def target(self) -> flows.Target:
        """The flows' view of these options."""
        return flows.Target(
            config=self.config or Path("services.yaml"),
            env=self.env or "",
            namespace=self.namespace,
            slot=self.slot or 0,
            vars=self.vars,
            var_file=self.var_file,
            strict=self.strict,
        )

    @property
    def fmt(self) -> OutputFormat:
        """The chosen output format (default text)."""
        return self.output or OutputFormat.text


def current(ctx: typer.Context) -> GlobalOptions:
    """The global flags of this invocation."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, GlobalOptions) else GlobalOptions()

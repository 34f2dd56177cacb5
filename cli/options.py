"""Shared command-line options with codexctl's names and layered environment fallbacks.

Resolution for every option is one rule: explicit flag > ``CODEXSTACK_<NAME>`` >
``CODEXCTL_<NAME>`` > legacy unprefixed name (where codexctl <=0.8 had one) > default. Blank
variables count as unset. :func:`opt` declares an option under that rule; every option more
than one command takes is declared here once. The global options may be given before the
command (as codexctl allows) or after it; the value given after the command wins
(:func:`merged`, and :func:`with_globals` for commands that take all of them).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from cli.output import OutputFormat
from codexstack import flows

T = TypeVar("T")


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
"""Go ``strconv.ParseBool``."""
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
    int | None, opt("--slot", env="SLOT", legacy="SLOT", min=0, help="Slot number (env ai).")
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

# The slot commands' options (ci ensure-*, manage-env, slots).
IssueOpt = Annotated[int | None, opt("--issue", env="ISSUE_NUMBER", min=0, help="Issue number.")]
PrOpt = Annotated[int | None, opt("--pr", env="PR_NUMBER", min=0, help="Pull request number.")]
MaxOpt = Annotated[
    int | None,
    opt("--max", env="DEV_SLOTS_MAX", min=0, help="Slot cap (0: maxSlots, else 10000)."),
]
WaitSlotOpt = Annotated[
    float,
    opt(
        "--wait-for-slot",
        env="WAIT_FOR_SLOT",
        parser=go_duration,
        show_default="0s",
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
    str,
    opt(
        "--lock-wait",
        env="LOCK_WAIT",
        help="How long to wait for a running apply/destroy of the same slot (Go duration).",
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
    def target(self) -> flows.Target:
        """The flows' view of these options."""
        return flows.Target(
            config=self.config_path,
            env=self.env or "",
            namespace=self.namespace,
            slot=self.slot or 0,
            vars=self.vars,
            var_file=self.var_file,
        )

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


def merged(ctx: typer.Context, **values: Any) -> GlobalOptions:
    """Root options overlaid with the values given on this command's own command line.

    Values a command-level option took from an environment variable are not overlays: the
    root level reads the same variables, and an explicit flag before the command must win.
    """
    given = {
        name: value for name, value in values.items() if _source_name(ctx, name) == "COMMANDLINE"
    }
    return current(ctx).merge(**given)


def chosen_format(ctx: typer.Context, value: OutputFormat | None) -> OutputFormat:
    """The output format of a command that takes ``-o`` itself (as parameter ``output_``).

    Same rule as :func:`merged`: the flag counts only when typed on this command's line, so
    ``CODEXSTACK_OUTPUT=json codexstack -o text doctor`` prints text.
    """
    if value is not None and _source_name(ctx, "output_") == "COMMANDLINE":
        return value
    return current(ctx).fmt


def _source_name(ctx: typer.Context, name: str) -> str:
    # typer vendors its own click: compare by name rather than import a private enum
    source = ctx.get_parameter_source(name)
    return source.name if source is not None else ""


def _global_options(
    *,
    config: ConfigOpt = None,
    env: EnvOpt = None,
    namespace: NamespaceOpt = None,
    slot: SlotOpt = None,
    vars: VarsOpt = None,
    var_file: VarFileOpt = None,
    output: OutputOpt = None,
) -> None:
    """Signature template: the global options, in the order every ``--help`` lists them."""


def claim_options(
    *,
    slot: SlotOpt = None,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    max_: MaxOpt = None,
    wait_for_slot: WaitSlotOpt = 0.0,
    registry: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
    vars: VarsOpt = None,
    var_file: VarFileOpt = None,
    output: OutputOpt = None,
) -> None:
    """Signature template: the options the CI steps that claim a slot (``ci ensure-*``) share."""


def with_options(
    template: Callable[..., None], fn: Callable[..., object], run: Callable[..., T]
) -> Callable[..., T]:
    """A Typer command taking ``template``'s options, then ``fn``'s keyword-only ones.

    Typer sees ``ctx``, every option of the signature template and ``fn``'s own options, in
    that order (the order ``--help`` lists them); the command calls ``run(ctx, given, **own)``
    with the template's values in the dict ``given``. ``fn`` lends its name and docstring.
    """
    shared = list(inspect.signature(template, eval_str=True).parameters.values())
    own = [
        p
        for p in inspect.signature(fn, eval_str=True).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    params = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
        *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in (*shared, *own)),
    ]

    @functools.wraps(fn)
    def command(ctx: typer.Context, **values: Any) -> T:
        given = {p.name: values.pop(p.name) for p in shared}
        return run(ctx, given, **values)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    return command


def with_globals(fn: Callable[..., T]) -> Callable[..., T]:
    """Give a command the global options after its name (codexctl style).

    ``fn(opts, **own)`` receives the :func:`merged` :class:`GlobalOptions` (a flag after the
    command beats one before it).
    """

    def run(ctx: typer.Context, given: dict[str, Any], **own: Any) -> T:
        return fn(merged(ctx, **given), **own)

    return with_options(_global_options, fn, run)


def with_root_globals(fn: Callable[..., None]) -> Callable[..., None]:
    """The root callback's form of :func:`with_globals`.

    ``fn(ctx, opts, **own)`` receives the global options as given before the command, from a
    flag or a variable alike; nothing is merged yet, since these are what commands merge onto.
    """

    def run(ctx: typer.Context, given: dict[str, Any], **own: Any) -> None:
        fn(ctx, GlobalOptions(**given), **own)

    return with_options(_global_options, fn, run)

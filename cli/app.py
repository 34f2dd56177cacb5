"""The root Typer application, its global flags, the command list and the one error boundary.

``main`` is the console entry for both ``codexstack`` and ``codexctl``. Global flags may come
anywhere on the line (:mod:`cli.argv` moves them in front); the root callback reads them once,
each from its flag, else ``CODEXSTACK_<NAME>``, else ``CODEXCTL_<NAME>`` (else a legacy name),
else the default. Every command is one line of :data:`COMMANDS`. The app runs in
non-standalone mode so every outcome passes through one place: library errors become one
clear stderr line and their named exit code, usage errors exit 64 (a malformed ``CODEXCTL_*``
variable exits 1, as in codexctl), Ctrl-C exits 130, and only ``--debug`` (or
``CODEXSTACK_DEBUG=1``) shows a traceback.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

import typer
from typer._click import exceptions as click_exc  # typer vendors click; catch its classes

from cli import output
from cli.argv import hoist
from cli.commands import (
    agent,
    cluster,
    core,
    deploy,
    deploy_ci,
    github,
    github_env,
    images,
    init,
    slots,
    slots_ci,
    slots_manage,
)
from cli.lazy_commands import Command, LazyCommands
from cli.options import (
    ConfigOpt,
    DebugOpt,
    EnvOpt,
    GlobalOptions,
    LogLevelOpt,
    NamespaceOpt,
    OutputOpt,
    SlotOpt,
    StrictOpt,
    VarFileOpt,
    VarsOpt,
)
from codexstack import flows
from codexstack.errors import CodexstackError, ExitCode

app = typer.Typer(
    name="codexstack",
    help=(
        "Kubernetes environments and per-issue dev-AI slots from one services.yaml, "
        "as Pulumi stacks. Drop-in for codexctl: same files, flags and CODEXCTL_* variables."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: rich formatting costs ~0.3 s per --help on this class of machine.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

GROUPS = {
    "ci": "CI steps (the codexctl workflow commands).",
    "manage-env": "Manage slot environments: cleanup, set, comment, gc, and their GitHub side "
    "(comment-pr, cleanup-pr, cleanup-issue, delete-branch, close-linked-issue).",
    "plan": "Planning issues: resolve-root.",
    "pr": "Pull requests: detect, open, review-apply.",
    "issue": "Issues: comment.",
    "slots": "The slot registry: list, orphans, heartbeat, keep.",
    "init": "Set a repository up for codexstack: its GitHub workflows.",
    "prompt": "The Codex agent: run it in a slot's pod with a rendered prompt and config.",
    "images": "Mirror and build the project's images into its registry (services.yaml `images`).",
    "registry": "The project's own image parts: a private dockerd (own socket and data root, "
    "no iptables, no bridge) and a loopback docker-registry (Debian packages, installed by "
    "scripts/image-tools); `cluster down` stops them too.",
    "cluster": "A local loopback-only Kubernetes cluster (etcd, kube-apiserver, "
    "controller-manager, scheduler, kwok fake node) built by scripts/engine.",
}
"""Command groups and their help."""

GLOBAL_FLAGS = (
    "Global flags, accepted here too: -c/--config, --env, --namespace, --slot, --vars, "
    "--var-file, --log-level, -o/--output, --strict, --debug (see codexstack --help); each "
    "falls back to CODEXSTACK_<NAME>, then CODEXCTL_<NAME>."
)

COMMANDS: list[tuple[str, Callable[..., Any]]] = [
    ("render", core.render),
    ("validate", core.validate),
    ("schema", core.schema),
    ("apply", deploy.apply),
    ("preview", deploy.preview),
    ("destroy", deploy.destroy),
    ("refresh", deploy.refresh),
    ("status", deploy.status),
    ("doctor", cluster.doctor),
    ("cluster up", cluster.up),
    ("cluster down", cluster.down),
    ("cluster status", cluster.status),
    ("cluster map-workspace", cluster.map_workspace),
    ("ci apply", deploy_ci.ci_apply),
    ("ci images", images.ci_images),
    ("images mirror", images.mirror),
    ("images build", images.build),
    ("registry up", images.registry_up),
    ("registry down", images.registry_down),
    ("registry status", images.registry_status),
    ("ci ensure-slot", slots_ci.ensure_slot),
    ("ci ensure-ready", slots_ci.ensure_ready),
    ("ci sync-sources", slots_ci.sync_sources),
    ("manage-env cleanup", slots_manage.cleanup),
    ("manage-env set", slots_manage.set_),
    ("manage-env comment", slots_manage.comment),
    ("manage-env gc", slots_manage.gc),
    ("manage-env comment-pr", github_env.comment_pr),
    ("manage-env cleanup-pr", github_env.cleanup_pr),
    ("manage-env cleanup-issue", github_env.cleanup_issue),
    ("manage-env close-linked-issue", github_env.close_linked_issue),
    ("manage-env delete-branch", github_env.delete_branch),
    ("plan resolve-root", github.resolve_root),
    ("pr detect", github.detect),
    ("pr open", github.open_),
    ("pr review-apply", github.review_apply),
    ("issue comment", github.comment),
    ("slots list", slots.list_),
    ("slots orphans", slots.orphans),
    ("slots renew", slots.renew),
    ("slots keep", slots.keep),
    ("init workflows", init.workflows),
    ("prompt run", agent.prompt_run),
]
"""Every command: its path on the command line and its adapter (one line each)."""


@app.callback()
def root(
    ctx: typer.Context,
    *,
    config: ConfigOpt = None,
    env: EnvOpt = None,
    namespace: NamespaceOpt = None,
    slot: SlotOpt = None,
    vars: VarsOpt = None,
    var_file: VarFileOpt = None,
    output_: OutputOpt = None,
    log_level: LogLevelOpt = "info",
    strict: StrictOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Global flags; each may also be given after the command name (codexctl style)."""
    ctx.obj = GlobalOptions(
        config=config,
        env=env,
        namespace=namespace,
        slot=slot,
        vars=vars,
        var_file=var_file,
        output=output_,
        log_level=log_level,
        strict=strict,
        debug=debug,
    )
    if debug or log_level.strip().lower() == "debug":
        # Library debug logs (PyGithub's requests, ...) on stderr; secrets are masked by the
        # record factory codexstack.redact installs wherever a secret is read.
        logging.basicConfig(
            level=logging.DEBUG, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
        )


def _piece() -> typer.Typer:
    return typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


def _command(name: str, function: Callable[..., Any]) -> Callable[[], Command]:
    def build() -> Command:
        piece = _piece()
        piece.command(name, epilog=GLOBAL_FLAGS)(function)
        return typer.main.get_command(piece)

    return build


def _group(name: str) -> Callable[[], Command]:
    def build() -> Command:
        group = typer.Typer(help=GROUPS[name], no_args_is_help=True, rich_markup_mode=None)
        for path, function in COMMANDS:
            if path.split()[0] == name:
                group.command(path.split()[1], epilog=GLOBAL_FLAGS)(function)
        holder = _piece()
        holder.add_typer(group, name=name)
        return typer.main.get_group(holder).commands[name]

    return build


def _build() -> Command:
    """The root click group, whose commands Typer builds on first use (see LazyCommands)."""
    builders = {path: _command(path, f) for path, f in COMMANDS if " " not in path}
    builders |= {name: _group(name) for name in GROUPS}  # listed after the commands, as Typer does
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    root.commands = LazyCommands(builders)
    return root


CLI = _build()
"""The click group of :data:`app`: the root's flags now, each command when first looked up
(building all 43 at start-up cost ~35 ms of every run; ``--help`` still lists them all)."""


def _debug_requested(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("CODEXSTACK_DEBUG", "") not in ("", "0", "false")


def _print_traceback() -> None:
    import traceback  # noqa: PLC0415 - only on --debug; keeps start-up lean

    traceback.print_exc()


def _from_variable(exc: click_exc.BadParameter) -> str | None:
    """The variable a bad value came from, or None when it was typed on the command line."""
    ctx, param = exc.ctx, exc.param
    if ctx is None or param is None or param.name is None:
        return None
    source = ctx.get_parameter_source(param.name)
    if source is None or source.name != "ENVIRONMENT":
        return None
    names = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar or ())
    return next((str(n) for n in names if n and os.environ.get(str(n), "").strip()), None)


def _bad_parameter(exc: click_exc.BadParameter) -> int:
    variable = _from_variable(exc)
    if variable is None:
        exc.show()
        return int(ExitCode.USAGE)
    output.error(f"{variable}: {exc.message}")
    return int(ExitCode.FAILURE)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return (and exit with) its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_requested(args)
    flows.protect_output(os.environ)  # secrets never reach stdout, stderr or logs (S4)
    try:
        result = CLI.main(
            args=hoist(CLI, args),
            prog_name=os.path.basename(sys.argv[0]) or "codexstack",
            standalone_mode=False,
        )
        code = int(result) if isinstance(result, int) else 0
    except CodexstackError as exc:
        if debug:
            _print_traceback()
        output.error(str(exc))
        code = int(exc.exit_code)
    except typer.Exit as exc:
        code = int(exc.exit_code)
    except typer.Abort:
        output.error("interrupted")
        code = int(ExitCode.INTERRUPTED)
    except click_exc.NoArgsIsHelpError as exc:
        exc.show()  # bare `codexstack`: the help is the answer, not an error
        code = int(ExitCode.OK)
    except click_exc.BadParameter as exc:
        code = _bad_parameter(exc)
    except click_exc.UsageError as exc:
        exc.show()
        code = int(ExitCode.USAGE)
    except click_exc.ClickException as exc:
        exc.show()
        code = int(ExitCode.FAILURE)
    except KeyboardInterrupt:
        output.error("interrupted")
        code = int(ExitCode.INTERRUPTED)
    except Exception as exc:  # the boundary: anything else is a bug, say so plainly
        if debug:
            _print_traceback()
        output.error(
            f"internal error: {type(exc).__name__}: {exc} (re-run with --debug for details)"
        )
        code = int(ExitCode.FAILURE)
    if argv is None:
        sys.exit(code)
    return code

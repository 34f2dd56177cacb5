"""The root Typer application, its global options and the one error boundary.

``main`` is the console entry for both ``codexstack`` and ``codexctl``. It runs the Typer app
in non-standalone mode so that every outcome passes through one place: library errors become
one clear stderr line and their named exit code, usage errors exit 64, Ctrl-C exits 130, and
only ``--debug`` (or ``CODEXSTACK_DEBUG=1``) shows a traceback.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from typing import Annotated

import typer
from typer._click import exceptions as click_exc  # typer vendors click; catch its classes

from cli import output
from cli.options import GlobalOptions, opt, with_root_globals
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


@app.callback()
@with_root_globals
def root(
    ctx: typer.Context,
    opts: GlobalOptions,
    *,
    log_level: Annotated[
        str,
        opt(
            "--log-level",
            env="LOG_LEVEL",
            legacy="CODEX_LOG_LEVEL",
            help="debug, info, warn or error.",
        ),
    ] = "info",
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="CODEXSTACK_DEBUG", help="Show tracebacks and debug logs."),
    ] = False,
) -> None:
    """Global options; they may also be given after the command name."""
    ctx.obj = replace(opts, log_level=log_level, debug=debug)


def _register() -> None:
    # Command modules are light: each imports the library lazily inside its functions.
    from cli.commands import core  # noqa: PLC0415 - after app exists

    core.register(app)
    for name in ("cluster", "doctor", "deploy", "slots"):
        try:
            module = __import__(f"cli.commands.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"cli.commands.{name}":
                raise
            continue
        module.register(app)


_register()


def _debug_requested(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("CODEXSTACK_DEBUG", "") not in ("", "0", "false")


def _print_traceback() -> None:
    import traceback  # noqa: PLC0415 - only on --debug; keeps start-up lean

    traceback.print_exc()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return (and exit with) its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_requested(args)
    try:
        result = app(
            args=args,
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

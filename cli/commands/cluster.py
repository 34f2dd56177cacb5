"""``codexstack cluster up|down|status``: thin adapters over :mod:`codexstack.cluster.local`.

Each command parses its options, calls one library function, prints the result (text, or the
``--output`` format on stdout; progress stays on stderr) and returns an exit code. The library
is imported inside the commands so ``--help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import output
from cli.options import OutputOpt, chosen_format
from codexstack.errors import ExitCode

StateDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--state-dir",
        envvar="CODEXSTACK_CLUSTER_DIR",
        help="Cluster state directory (certs, kubeconfigs, logs, pids).",
        show_default="./.codexstack/cluster",
    ),
]


def up(
    ctx: typer.Context,
    state_dir: StateDirOpt = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each component.")] = 90.0,
    output_: OutputOpt = None,
) -> int:
    """Start the cluster (a quick no-op when it is already healthy)."""
    from codexstack.cluster import local  # noqa: PLC0415  (lazy: keeps --help instant)

    state = local.up(state_dir, timeout=timeout)
    output.emit(state.to_dict(), chosen_format(ctx, output_), text=state.text())
    return int(ExitCode.OK)


def down(
    ctx: typer.Context,
    state_dir: StateDirOpt = None,
    purge: Annotated[bool, typer.Option(help="Also delete certs, etcd data and logs.")] = False,
    output_: OutputOpt = None,
) -> int:
    """Stop the processes this state directory started (nothing else)."""
    from codexstack.cluster import local  # noqa: PLC0415  (lazy: keeps --help instant)

    stopped = local.down(state_dir, purge=purge)
    text = "stopped: " + (", ".join(stopped) if stopped else "nothing was running") + "\n"
    output.emit({"stopped": stopped, "purged": purge}, chosen_format(ctx, output_), text=text)
    return int(ExitCode.OK)


def status(
    ctx: typer.Context,
    state_dir: StateDirOpt = None,
    output_: OutputOpt = None,
) -> int:
    """Per-component health; exits 1 when the cluster is not healthy."""
    from codexstack.cluster import local  # noqa: PLC0415  (lazy: keeps --help instant)

    state = local.status(state_dir)
    output.emit(state.to_dict(), chosen_format(ctx, output_), text=state.text())
    return int(ExitCode.OK if state.healthy else ExitCode.FAILURE)

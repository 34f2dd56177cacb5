"""``cluster up|down|status`` and ``doctor``: adapters over the cluster flows.

Results go to stdout in the ``--output`` format (progress stays on stderr); ``cluster
status`` and ``doctor`` exit 1 when something is unhealthy or missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import output
from cli.options import current
from codexstack import flows

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
    kubeconfig: Annotated[
        bool,
        typer.Option(
            "--kubeconfig/--no-kubeconfig",
            help="Add a context for the cluster to $KUBECONFIG (else ~/.kube/config) and make"
            " it current, as kind and minikube do.",
        ),
    ] = True,
) -> int:
    """Start the cluster (a quick no-op when healthy); add its context to your kubeconfig."""
    result = flows.cluster_up.run(flows.cluster_up.Request(state_dir, timeout, kubeconfig))
    return output.finish(result, current(ctx).fmt)


def down(
    ctx: typer.Context,
    state_dir: StateDirOpt = None,
    purge: Annotated[bool, typer.Option(help="Also delete certs, etcd data and logs.")] = False,
) -> int:
    """Stop the processes this state directory started; remove the context up added."""
    result = flows.cluster_down.run(flows.cluster_down.Request(state_dir, purge))
    return output.finish(result, current(ctx).fmt)


def status(ctx: typer.Context, state_dir: StateDirOpt = None) -> int:
    """Per-component health; exits 1 when the cluster is not healthy."""
    result = flows.cluster_status.run(flows.cluster_status.Request(state_dir))
    return output.finish(result, current(ctx).fmt)


def doctor(ctx: typer.Context, state_dir: StateDirOpt = None) -> int:
    """Check the engine, provider, Python packages and local cluster; say how to fix gaps."""
    result = flows.doctor.run(flows.doctor.Request(state_dir))
    return output.finish(result, current(ctx).fmt)


def map_workspace(
    ctx: typer.Context,
    namespace: Annotated[str, typer.Argument(help="The slot's namespace.")],
    *,
    workdir: Annotated[Path, typer.Option("--workdir", help="Local workspace directory.")],
    deployment: Annotated[str, typer.Option(help="The agent's Deployment.")] = "codex",
    bin_dir: Annotated[
        list[Path] | None,
        typer.Option("--bin-dir", help="Directories put first on the simulated pod's PATH."),
    ] = None,
    state_dir: StateDirOpt = None,
) -> int:
    """Local cluster only: exec into the namespace's pods runs in --workdir (kwok's exec).

    The simulated process gets the agent container's env (its Secrets resolved as a kubelet
    would), HOME under <workdir>/.codexstack/home and CODEXSTACK_WORKSPACE=<workdir>.
    """
    request = flows.cluster_map_workspace.Request(
        namespace, workdir, deployment, tuple(bin_dir or ()), state_dir
    )
    return output.finish(flows.cluster_map_workspace.run(request), current(ctx).fmt)

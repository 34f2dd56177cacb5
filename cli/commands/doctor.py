"""``codexstack doctor``: a thin adapter over :func:`codexstack.cluster.doctor.doctor`.

Prints the report (text, or ``--output json|yaml|kv``) and exits non-zero when anything is
missing or unhealthy, so CI and scripts can gate on it.
"""

from __future__ import annotations

import typer

from cli import output
from cli.commands.cluster import StateDirOpt
from cli.options import OutputOpt, chosen_format
from codexstack.errors import ExitCode


def doctor(
    ctx: typer.Context,
    state_dir: StateDirOpt = None,
    output_: OutputOpt = None,
) -> int:
    """Check the engine, provider, Python packages and local cluster; say how to fix gaps."""
    from codexstack.cluster.doctor import doctor as run_doctor  # noqa: PLC0415  (lazy import)

    report = run_doctor(state_dir)
    output.emit(report.to_dict(), chosen_format(ctx, output_), text=report.text())
    return int(ExitCode.OK if report.healthy else ExitCode.FAILURE)

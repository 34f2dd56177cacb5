"""``codexstack init workflows``: put the shipped GitHub workflows into a repository.

A thin adapter over :mod:`codexstack.flows.init_workflows`: parse, build the request, run,
emit (text, or ``--output json|yaml|kv``), exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import output
from cli.options import current
from codexstack import flows


def workflows(
    ctx: typer.Context,
    *,
    directory: Annotated[
        Path,
        typer.Option(
            "--dir",
            help="The repository; the files go to <dir>/.github/workflows.",
            show_default=".",
        ),
    ] = Path(),
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that differ from the shipped ones.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be written; write nothing.")
    ] = False,
) -> int:
    """Install codexstack's reusable workflows (codexstack-*.yml) and their callers (ai-*.yml).

    The callers trigger on [ai-dev], [ai-plan] and [ai-repair] labels, "[ai-plan]" comments,
    "changes requested" reviews, closed PRs and issues, and pushes to main. Set the repository
    variable CODEXCTL_ALLOWED_USERS (comma list) to allow people to trigger them. A file that
    differs from the shipped one is never replaced without --force (then nothing is written).
    """
    request = flows.init_workflows.Request(directory, force=force, dry_run=dry_run)
    result = flows.init_workflows.run(request, flows.StderrReporter())
    return output.finish(result, current(ctx).fmt)

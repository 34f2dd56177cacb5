"""``manage-env cleanup|set|comment|gc``: adapters over the slot flows after ensure-ready.

cleanup destroys each selected slot's stack and releases its claim, going on past failures
(exit 1 listing them, 75 when a slot was busy); ``--all`` needs ``--yes``. gc releases claims
whose heartbeat is older than ``--ttl`` and skips keep-labelled and locked slots.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli import output as out
from cli.options import (
    IssueOpt,
    LockWaitOpt,
    PrOpt,
    RegistryNsOpt,
    RegistryOpt,
    current,
    duration,
    flag,
    opt,
    registry,
)
from codexstack import flows
from codexstack.errors import UsageError

All = Annotated[bool, flag("--all", env="ALL", help="Every slot of the env (needs --yes).")]
Yes = Annotated[bool, typer.Option("--yes", help="Confirm --all.")]
Closed = Annotated[
    bool,
    typer.Option(
        "--closed",
        help="Also release slots whose issue or PR is closed on GitHub, whatever their "
        "heartbeat (needs a token: GITHUB_TOKEN or CODEXCTL_GH_PAT).",
    ),
]
WithConfigmap = Annotated[
    bool,
    flag(
        "--with-configmap/--no-with-configmap",
        env="WITH_CONFIGMAP",
        help="Accepted for codexctl; releasing is the default.",
    ),
]
KeepClaim = Annotated[
    bool,
    typer.Option(help="Destroy the stack but keep the claim (codexctl without --with-configmap)."),
]
NamespaceWait = Annotated[
    float,
    duration(
        "--namespace-wait",
        default="120s",
        help="How long to wait for the namespace to go before reporting 'releasing'",
    ),
]
Lang = Annotated[str, opt("--lang", env="LANG", help="en or ru.")]
Ttl = Annotated[
    float | None,
    duration(
        "--ttl",
        env="SLOTS_TTL",
        default="slots.ttl",
        help="Heartbeat age after which a slot goes (Go duration).",
    ),
]
DryRun = Annotated[bool, typer.Option(help="Only list what would go.")]


def cleanup(
    ctx: typer.Context,
    *,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    all_: All = False,
    yes: Yes = False,
    with_configmap: WithConfigmap = True,
    keep_claim: KeepClaim = False,
    namespace_wait: NamespaceWait = 120.0,
    lock_wait: LockWaitOpt = 900.0,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> int:
    """Destroy the selected slots' stacks and release their claims; go on past failures."""
    if all_ and not yes:
        raise UsageError("--all cleans up every slot of the env: add --yes to confirm")
    opts = current(ctx)
    request = flows.cleanup.Request(
        opts.target,
        issue=issue or 0,
        pr=pr or 0,
        everything=all_,
        keep_claim=keep_claim or not with_configmap,
        namespace_wait=namespace_wait,
        lock_wait=lock_wait,
        registry=registry(registry_, registry_namespace),
    )
    return out.finish(flows.cleanup.run(request, flows.StderrReporter()), opts.fmt)


def set_(
    ctx: typer.Context,
    *,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> int:
    """Bind an issue and/or PR to a claimed slot (never clears a value)."""
    opts = current(ctx)
    request = flows.slot_set.Request(
        opts.target, issue or 0, pr or 0, registry(registry_, registry_namespace)
    )
    return out.finish(flows.slot_set.run(request, flows.StderrReporter()), opts.fmt)


def comment(ctx: typer.Context, *, lang: Lang = "en") -> int:
    """Print the environment comment (slot, host, codex.links) for a PR or issue."""
    opts = current(ctx)
    request = flows.comment.Request(opts.target, lang)
    return out.finish(flows.comment.run(request, flows.StderrReporter()), opts.fmt)


def gc(
    ctx: typer.Context,
    *,
    ttl: Ttl = None,
    dry_run: DryRun = False,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
    closed: Closed = False,
) -> int:
    """Release slots without a heartbeat for --ttl (skips keep-labelled and locked slots)."""
    opts = current(ctx)
    where = registry(registry_, registry_namespace)
    request = flows.gc.Request(opts.target, ttl, dry_run, where, closed=closed)
    return out.finish(flows.gc.run(request, flows.StderrReporter()), opts.fmt)

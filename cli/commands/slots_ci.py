"""``ci ensure-slot`` and ``ci ensure-ready``: codexctl's CI steps for slots.

Both take the selector from ``--slot/--issue/--pr`` or ``CODEXCTL_SLOT``,
``CODEXCTL_ISSUE_NUMBER`` and ``CODEXCTL_PR_NUMBER`` (env defaults to ``ai``), print codexctl's
``key: value`` lines (or ``--output json|yaml|kv``) and append codexctl's keys to
``$GITHUB_OUTPUT``. No free slot: exit 75 (``--wait-for-slot`` queues fairly instead).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli import output as out
from cli.options import (
    IssueOpt,
    LockWaitOpt,
    MaxOpt,
    PrOpt,
    RegistryNsOpt,
    RegistryOpt,
    WaitSlotOpt,
    current,
    duration,
    flag,
    opt,
    registry,
)
from codexstack import flows

CodeRootBase = Annotated[
    str | None,
    opt(
        "--code-root-base",
        env="CODE_ROOT_BASE",
        legacy="CODE_ROOT_BASE",
        help="Workspace base folder; sources sync to <base>/<slot>/src.",
    ),
]
Source = Annotated[str, opt("--source", env="SOURCE", help="Sources to sync.")]
PrepareImages = Annotated[
    bool,
    flag(
        "--prepare-images/--no-prepare-images",
        env="PREPARE_IMAGES",
        help="Mirror and build images.",
    ),
]
Apply = Annotated[
    bool, flag("--apply/--no-apply", env="APPLY", help="Apply the slot's stack when new.")
]
ForceApply = Annotated[
    bool,
    flag("--force-apply/--no-force-apply", env="FORCE_APPLY", help="Apply even a reused slot."),
]
WaitTimeout = Annotated[
    float,
    duration("--wait-timeout", env="WAIT_TIMEOUT", default="600s", help="Deployment wait."),
]
SoftFail = Annotated[
    bool,
    flag(
        "--wait-soft-fail/--no-wait-soft-fail",
        env="WAIT_SOFT_FAIL",
        help="A wait failure sets infra_ready=false.",
    ),
]


def _claim(
    ctx: typer.Context,
    *,
    issue: int | None,
    pr: int | None,
    max_: int | None,
    wait_for_slot: float,
    backend: str | None,
    namespace: str | None,
) -> dict[str, Any]:
    """The request fields both steps share (ensure-ready claims as ensure-slot does)."""
    return {
        "target": current(ctx).target,
        "issue": issue or 0,
        "pr": pr or 0,
        "max_slots": max_ or 0,
        "wait_for_slot": wait_for_slot,
        "registry": registry(backend, namespace),
        "ci": flows.CiOutputs.from_environ(),
    }


def ensure_slot(
    ctx: typer.Context,
    *,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    max_: MaxOpt = None,
    wait_for_slot: WaitSlotOpt = 0.0,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> int:
    """Claim a slot for an issue/PR (or reuse its slot); print slot, namespace and env."""
    claim = _claim(
        ctx,
        issue=issue,
        pr=pr,
        max_=max_,
        wait_for_slot=wait_for_slot,
        backend=registry_,
        namespace=registry_namespace,
    )
    request = flows.ensure_slot.Request(**claim)
    return out.finish(flows.ensure_slot.run(request, flows.StderrReporter()), current(ctx).fmt)


def ensure_ready(
    ctx: typer.Context,
    *,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    max_: MaxOpt = None,
    wait_for_slot: WaitSlotOpt = 0.0,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
    code_root_base: CodeRootBase = None,
    source: Source = ".",
    prepare_images: PrepareImages = False,
    apply: Apply = False,
    force_apply: ForceApply = False,
    wait_timeout: WaitTimeout = 600.0,
    wait_soft_fail: SoftFail = False,
    lock_wait: LockWaitOpt = 900.0,
) -> int:
    """Claim or reuse the slot, sync sources, apply stack ai-<slot>, wait, check the agent."""
    claim = _claim(
        ctx,
        issue=issue,
        pr=pr,
        max_=max_,
        wait_for_slot=wait_for_slot,
        backend=registry_,
        namespace=registry_namespace,
    )
    request = flows.ensure_ready.Request(
        **claim,
        code_root_base=code_root_base,
        source=source,
        prepare_images=prepare_images,
        apply=apply,
        force_apply=force_apply,
        wait_timeout=wait_timeout,
        wait_soft_fail=wait_soft_fail,
        lock_wait=lock_wait,
    )
    return out.finish(flows.ensure_ready.run(request, flows.StderrReporter()), current(ctx).fmt)


EnvFiles = Annotated[
    list[str] | None,
    typer.Option(
        "--env-file",
        help="A .env* file name that may be copied (repeatable); all other .env* stay behind.",
    ),
]
Prune = Annotated[
    bool,
    typer.Option("--prune", help="Also remove files the source no longer has (off: keep work)."),
]


def sync_sources(
    ctx: typer.Context,
    *,
    code_root_base: CodeRootBase = None,
    source: Source = ".",
    env_file: EnvFiles = None,
    prune: Prune = False,
    lock_wait: LockWaitOpt = 900.0,
) -> int:
    """Copy the checkout into <code-root-base>/<slot>/src: incremental, credential-free.

    Never wipes what the agent left there (unlike codexctl); --prune removes only files the
    source no longer has. .git/**/config loses tokens; .env* files stay behind unless listed.
    """
    request = flows.sync_sources.Request(
        target=current(ctx).target,
        code_root_base=code_root_base,
        source=source,
        env_files=frozenset(env_file or ()),
        prune=prune,
        lock_wait=lock_wait,
        ci=flows.CiOutputs.from_environ(),
    )
    return out.finish(flows.sync_sources.run(request, flows.StderrReporter()), current(ctx).fmt)

"""The GitHub side of ``manage-env``: comment-pr, cleanup-pr/-issue, close-linked-issue,
delete-branch.

codexctl's flags and ``CODEXCTL_*`` fallbacks; each command builds one flow request and
prints the flow's result. Branch rules (only ``codex/issue-N`` and ``codex/ai-repair-N``,
never the default, a protected branch or a fork PR's head) live in the flows.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli import output as out
from cli.commands.github import BranchOpt, LangOpt, RepoOpt
from cli.commands.slots_manage import WithConfigmap
from cli.options import (
    IssueOpt,
    LockWaitOpt,
    PrOpt,
    RegistryNsOpt,
    RegistryOpt,
    current,
    flag,
    registry,
)
from codexstack import flows

CloseIssueOpt = Annotated[
    bool,
    flag("--close-issue", env="CLOSE_ISSUE", help="Close the issue named by the codex/*-N branch."),
]
DeleteBranchOpt = Annotated[
    bool,
    flag(
        "--delete-branch",
        env="DELETE_BRANCH",
        help="Delete the agent branch (codex/issue-N, codex/ai-repair-N) too.",
    ),
]


def comment_pr(
    ctx: typer.Context, *, pr: PrOpt = None, lang: LangOpt = "en", repo: RepoOpt = None
) -> int:
    """Create or edit the PR's one environment comment (slot, host, codex.links).

    codexctl adds a new comment on every run; this one is found by a hidden marker and
    edited in place.
    """
    opts = current(ctx)
    request = flows.comment_pr.Request(opts.target, pr or 0, lang, repo)
    return out.finish(flows.comment_pr.run(request, flows.StderrReporter()), opts.fmt)


def close_linked_issue(
    ctx: typer.Context,
    *,
    branch: BranchOpt = "",
    close_issue: CloseIssueOpt = False,
    pr: PrOpt = None,
    repo: RepoOpt = None,
) -> int:
    """Close (as completed) issue N of branch codex/issue-N or codex/ai-repair-N.

    A no-op without --close-issue; other branches and fork PRs are skipped with a warning.
    """
    request = flows.close_linked_issue.Request(branch, close_issue, pr or 0, repo)
    return out.finish(
        flows.close_linked_issue.run(request, flows.StderrReporter()), current(ctx).fmt
    )


def delete_branch(
    ctx: typer.Context, *, branch: BranchOpt = "", pr: PrOpt = None, repo: RepoOpt = None
) -> int:
    """Delete branch codex/issue-N or codex/ai-repair-N (URL-escaped), and no other.

    Never the default or a protected branch, never a fork PR's head; skips and GitHub
    failures are warnings (exit 0), as in codexctl.
    """
    request = flows.delete_branch.Request(branch, pr or 0, repo)
    return out.finish(flows.delete_branch.run(request, flows.StderrReporter()), current(ctx).fmt)


def cleanup_pr(
    ctx: typer.Context,
    *,
    pr: PrOpt = None,
    branch: BranchOpt = "",
    repo: RepoOpt = None,
    with_configmap: WithConfigmap = True,
    delete_branch: DeleteBranchOpt = False,
    close_issue: CloseIssueOpt = False,
    include_ai_repair: Annotated[
        bool,
        flag(
            "--include-ai-repair",
            env="INCLUDE_AI_REPAIR",
            help="Clean up env ai-repair too (automatic for codex/ai-repair-N branches).",
        ),
    ] = False,
    lock_wait: LockWaitOpt = 900.0,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> int:
    """Destroy the slots of a closed PR, then delete its agent branch / close its issue.

    GitHub failures are warnings (exit 0 from them); the branch is --branch or the PR's head.
    """
    opts = current(ctx)
    request = flows.cleanup_pr.Request(
        opts.target,
        pr or 0,
        branch=branch,
        repo=repo,
        keep_claim=not with_configmap,
        delete_branch=delete_branch,
        close_issue=close_issue,
        include_ai_repair=include_ai_repair,
        lock_wait=lock_wait,
        registry=registry(registry_, registry_namespace),
    )
    return out.finish(flows.cleanup_pr.run(request, flows.StderrReporter()), opts.fmt)


def cleanup_issue(
    ctx: typer.Context,
    *,
    issue: IssueOpt = None,
    repo: RepoOpt = None,
    with_configmap: WithConfigmap = True,
    delete_branch: DeleteBranchOpt = False,
    lock_wait: LockWaitOpt = 900.0,
    registry_: RegistryOpt = None,
    registry_namespace: RegistryNsOpt = None,
) -> int:
    """Destroy the slots (envs ai, ai-repair) of a closed issue, then its agent branches."""
    opts = current(ctx)
    request = flows.cleanup_issue.Request(
        opts.target,
        issue or 0,
        repo=repo,
        keep_claim=not with_configmap,
        delete_branch=delete_branch,
        lock_wait=lock_wait,
        registry=registry(registry_, registry_namespace),
    )
    return out.finish(flows.cleanup_issue.run(request, flows.StderrReporter()), opts.fmt)

"""The GitHub side of ``manage-env``: comment-pr, close-linked-issue, delete-branch.

codexctl's flags and ``CODEXCTL_*`` fallbacks; each command builds one flow request and
prints the flow's result. Branch rules (only ``codex/issue-N`` and ``codex/ai-repair-N``,
never the default, a protected branch or a fork PR's head) live in the flows.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli import output as out
from cli.commands.github import BranchOpt, LangOpt, RepoOpt
from cli.options import PrOpt, current, opt
from codexstack import flows

CloseIssueOpt = Annotated[
    bool, opt(env="CLOSE_ISSUE", help="Close the issue named by the codex/*-N branch.")
]
DeleteBranchOpt = Annotated[
    bool, opt(env="DELETE_BRANCH", help="Delete the codex/issue-N / codex/ai-repair-N branch.")
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

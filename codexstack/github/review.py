"""``pr review-apply``'s git part: push the agent's review changes to the PR's head branch.

Every refusal comes before any write to GitHub and before any push: a branch name with
shell or ref metacharacters (checked before any request at all when ``--branch`` is given,
else right after reading the PR), a head branch in a fork, the repository's default branch
and a protected branch. The tree is where the slot's sources really are; ``.bin`` (the
agent's tool cache) is removed first, as in codexctl. Nothing staged means nothing pushed,
and the outcome says so, so the caller comments only when something was pushed
(D-REVIEW-APPLY).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from codexstack.errors import ConfigError
from codexstack.github.branches import check_branch_name
from codexstack.github.client import GitHub
from codexstack.github.errors import Refused
from codexstack.github.gitops import DEFAULT_STAGE, Git
from codexstack.github.prs import PullInfo, default_branch, get_pull, is_protected


def commit_message(pr: int) -> str:
    """codexctl's documented commit message (§9.3)."""
    return f"feat: apply Codex review changes for PR #{pr}"


@dataclass(frozen=True)
class ReviewPush:
    """What to push: PR, work tree, ``git add`` list, identity, optional expected branch."""

    pr: int
    workdir: Path
    stage: tuple[str, ...] = DEFAULT_STAGE
    author_name: str = "codex-bot"
    author_email: str = "codex-bot@codex-k8s.local"
    remote: str = "origin"
    branch: str | None = None


@dataclass(frozen=True)
class ReviewOutcome:
    """The PR, its head branch, and whether (and which commit) was pushed."""

    pr: int
    branch: str
    pushed: bool
    commit: str = ""


def check_review_local(request: ReviewPush) -> None:
    """The refusals that need no network: branch name, work tree."""
    if request.branch:
        check_branch_name(request.branch)
    if not (request.workdir / ".git").exists():
        raise ConfigError(f"{request.workdir} is not a git work tree (no .git)")


def check_target(gh: GitHub, request: ReviewPush, pull: PullInfo) -> None:
    """The refusals that need to read GitHub: fork, default and protected branches."""
    branch = check_branch_name(pull.head_ref)
    if request.branch and request.branch != branch:
        raise Refused(f"PR #{pull.number} has head {branch!r}, not {request.branch!r}")
    if pull.is_fork:
        raise Refused(
            f"PR #{pull.number} comes from fork {pull.head_repo or '(deleted)'}: "
            "review changes are never pushed to a fork"
        )
    if branch == default_branch(gh):
        raise Refused(f"PR #{pull.number}: {branch!r} is the default branch; not pushing")
    if is_protected(gh, branch):
        raise Refused(f"PR #{pull.number}: {branch!r} is protected; not pushing")


def push_review(gh: GitHub, request: ReviewPush, warn: Callable[[str], None]) -> ReviewOutcome:
    """Check, stage, commit and push; ``pushed`` is False when nothing was staged."""
    check_review_local(request)
    pull = get_pull(gh, request.pr)
    check_target(gh, request, pull)
    shutil.rmtree(request.workdir / ".bin", ignore_errors=True)
    git = Git(request.workdir)
    git.checkout(pull.head_ref)
    git.stage(request.stage, warn)
    if not git.has_staged():
        return ReviewOutcome(request.pr, pull.head_ref, pushed=False)
    commit = git.commit(commit_message(request.pr), request.author_name, request.author_email)
    git.push(request.remote, pull.head_ref, gh.access.token)
    return ReviewOutcome(request.pr, pull.head_ref, pushed=True, commit=commit)

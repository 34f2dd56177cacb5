"""Branch rules and the two cleanup actions that act on a branch (D-BRANCH-DELETE).

:func:`check_branch_name` is pure and runs before any network call: a name outside
``[A-Za-z0-9._/-]`` or breaking git's ref rules is refused (shell and ref metacharacters,
``..``, a leading ``-``, ``@{``). :func:`delete_branch` and :func:`close_linked_issue` only
act on the agent's own branches, ``codex/issue-N`` and ``codex/ai-repair-N``; they skip fork
PRs and never touch the repository's default or a protected branch. The branch name goes into
the API path URL-escaped. Each returns an :class:`Outcome` saying what was done or why not.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from codexstack.github.client import GitHub
from codexstack.github.errors import BadBranchName, GitHubError
from codexstack.github.prs import PullInfo, default_branch, is_protected

AGENT_BRANCH = re.compile(r"^codex/(issue|ai-repair)-([0-9]+)$")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._/-]+$")


@dataclass(frozen=True)
class Outcome:
    """``done`` or ``skipped``, with the reason in words."""

    action: str
    reason: str
    issue: int = 0

    @property
    def done(self) -> bool:
        return self.action == "done"


def check_branch_name(branch: str) -> str:
    """``branch`` when it is a plain, valid ref name; :class:`BadBranchName` otherwise."""
    problem = ""
    if not branch:
        problem = "is empty"
    elif not _SAFE_NAME.match(branch):
        problem = "contains shell or ref metacharacters (allowed: letters, digits, . _ / -)"
    elif (
        branch.startswith(("-", "/", "."))
        or branch.endswith(("/", ".", ".lock"))
        or ".." in branch
        or "//" in branch
        or "/." in branch
    ):
        problem = "is not a valid git ref name"
    if problem:
        raise BadBranchName(f"branch {branch!r} {problem}")
    return branch


def agent_issue(branch: str) -> int | None:
    """The issue number of an agent branch (``codex/issue-N``, ``codex/ai-repair-N``)."""
    match = AGENT_BRANCH.match(branch)
    return int(match.group(2)) if match else None


def _skip(reason: str) -> Outcome:
    return Outcome("skipped", reason)


def delete_branch(gh: GitHub, branch: str, pull: PullInfo | None = None) -> Outcome:
    """Delete agent branch ``branch`` unless a rule says no."""
    if agent_issue(branch) is None:
        return _skip(f"{branch!r} is not an agent branch (codex/issue-N or codex/ai-repair-N)")
    if pull is not None and pull.is_fork:
        return _skip(f"PR #{pull.number} comes from fork {pull.head_repo or '(deleted)'}")
    if branch == default_branch(gh):
        return _skip(f"{branch!r} is the default branch")
    if is_protected(gh, branch):
        return _skip(f"{branch!r} is protected")
    path = "git/refs/heads/" + urllib.parse.quote(branch, safe="/")
    try:
        gh.rest("DELETE", path, f"delete branch {branch!r}")
    except GitHubError as exc:
        if exc.status in (404, 422):
            return _skip(f"{branch!r} does not exist")
        raise
    return Outcome("done", f"deleted {branch!r}")


def close_linked_issue(gh: GitHub, branch: str, pull: PullInfo | None = None) -> Outcome:
    """Close (as completed) the issue an agent branch was made for."""
    number = agent_issue(branch)
    if number is None:
        return _skip(f"{branch!r} is not an agent branch (codex/issue-N or codex/ai-repair-N)")
    if pull is not None and pull.is_fork:
        return _skip(f"PR #{pull.number} comes from fork {pull.head_repo or '(deleted)'}")
    issue = gh.call(lambda: gh.repo.get_issue(number), f"read issue #{number}")
    if issue.state == "closed":
        return Outcome("skipped", f"issue #{number} is already closed", number)
    gh.call(lambda: issue.edit(state="closed", state_reason="completed"), f"close issue #{number}")
    return Outcome("done", f"closed issue #{number}", number)

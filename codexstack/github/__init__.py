"""The GitHub side of codexstack: issues, PRs, comments, branches, review context, pushes.

REST goes through PyGithub, GraphQL (review threads, minimized comments) through its
requester, git runs for real. :func:`connect` builds the one client from the
flag/environment chains (:mod:`.access`); the operations are plain functions taking it.
Everything is imported lazily, so importing this package costs nothing until used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codexstack.github.client import GitHub, Progress

_EXPORTS = {
    "Access": "access",
    "resolve_access": "access",
    "find_token": "access",
    "find_repo": "access",
    "GitHub": "client",
    "GitHubError": "errors",
    "GitHubUnavailable": "errors",
    "RateLimited": "errors",
    "MissingAccess": "errors",
    "Refused": "errors",
    "BadBranchName": "errors",
    "PlanRoot": "plan",
    "RootNotFound": "plan",
    "resolve_root": "plan",
    "PullInfo": "prs",
    "OpenedPull": "prs",
    "get_pull": "prs",
    "find_pull": "prs",
    "open_draft_pr": "prs",
    "ENV_MARKER": "comments",
    "PostedComment": "comments",
    "upsert_sticky": "comments",
    "post_comment": "comments",
    "Outcome": "branches",
    "AGENT_BRANCH": "branches",
    "agent_issue": "branches",
    "check_branch_name": "branches",
    "delete_branch": "branches",
    "close_linked_issue": "branches",
    "TrustPolicy": "trust",
    "Comment": "trust",
    "Excluded": "trust",
    "TrustedComments": "trust",
    "trusted_comments": "trust",
    "ReviewPush": "review",
    "ReviewOutcome": "review",
    "push_review": "review",
    "check_review_local": "review",
    "commit_message": "review",
    "DEFAULT_STAGE": "gitops",
    "closed_numbers": "states",
    "parse_stage": "gitops",
}

__all__ = [
    "AGENT_BRANCH",
    "DEFAULT_STAGE",
    "ENV_MARKER",
    "Access",
    "BadBranchName",
    "Comment",
    "Excluded",
    "GitHub",
    "GitHubError",
    "GitHubUnavailable",
    "MissingAccess",
    "OpenedPull",
    "Outcome",
    "PlanRoot",
    "PostedComment",
    "PullInfo",
    "RateLimited",
    "Refused",
    "ReviewOutcome",
    "ReviewPush",
    "RootNotFound",
    "TrustPolicy",
    "TrustedComments",
    "agent_issue",
    "check_branch_name",
    "check_review_local",
    "close_linked_issue",
    "closed_numbers",
    "commit_message",
    "connect",
    "delete_branch",
    "find_pull",
    "find_repo",
    "find_token",
    "get_pull",
    "open_draft_pr",
    "parse_stage",
    "post_comment",
    "push_review",
    "resolve_access",
    "resolve_root",
    "trusted_comments",
    "upsert_sticky",
]


def connect(repo: str | None = None, progress: Progress | None = None) -> GitHub:
    """A client for ``repo`` (else ``CODEXCTL_REPO``/``GITHUB_REPOSITORY``) from the env."""
    from codexstack.github.access import resolve_access  # noqa: PLC0415
    from codexstack.github.client import GitHub  # noqa: PLC0415

    return GitHub(resolve_access(repo), progress)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'codexstack.github' has no attribute {name!r}")
    return getattr(import_module(f"codexstack.github.{module}"), name)

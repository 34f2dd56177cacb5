"""Trusted authors: whose GitHub text may reach an agent (D-INJECT-PROMPT).

A login is trusted when it is on the allow-list (``CODEXCTL_ALLOWED_USERS``, a comma list,
matched without regard to letter case as GitHub logins are) and, when the policy asks for it
(``CODEXSTACK_TRUST_REQUIRE_WRITE=1``), also holds write, maintain or admin permission on the
repository. With an empty allow-list and the write rule on, write permission alone decides;
with neither, nobody is trusted. :func:`trusted_comments` returns the issue comments and the
unresolved review-thread comments of trusted authors, every page of them, with minimized
(hidden) comments dropped, and the list of what was left out and why, each also logged.
GraphQL is used here only, since REST shows neither minimized state nor thread resolution.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from codexstack import golang
from codexstack.errors import ConfigError
from codexstack.github.client import GitHub
from codexstack.github.errors import GitHubError

_WRITE = frozenset({"admin", "maintain", "write"})

_COMMENT_FIELDS = """
  pageInfo { hasNextPage endCursor }
  nodes { databaseId author { login } body url createdAt isMinimized minimizedReason }
"""
ISSUE_COMMENTS = f"""
query IssueComments($owner: String!, $name: String!, $number: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    issueOrPullRequest(number: $number) {{
      ... on Issue {{ comments(first: 100, after: $after) {{ {_COMMENT_FIELDS} }} }}
      ... on PullRequest {{ comments(first: 100, after: $after) {{ {_COMMENT_FIELDS} }} }}
    }}
  }}
}}
"""
REVIEW_THREADS = f"""
query ReviewThreads($owner: String!, $name: String!, $number: Int!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    pullRequest(number: $number) {{
      reviewThreads(first: 50, after: $after) {{
        pageInfo {{ hasNextPage endCursor }}
        nodes {{ id isResolved path comments(first: 100) {{ {_COMMENT_FIELDS} }} }}
      }}
    }}
  }}
}}
"""
THREAD_COMMENTS = f"""
query ThreadComments($id: ID!, $after: String) {{
  node(id: $id) {{
    ... on PullRequestReviewThread {{ comments(first: 100, after: $after) {{ {_COMMENT_FIELDS} }} }}
  }}
}}
"""


@dataclass(frozen=True)
class TrustPolicy:
    """Who is trusted: allow-listed logins (lower case), optionally with write permission."""

    allowed: frozenset[str] = frozenset()
    require_write: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TrustPolicy:
        env = os.environ if env is None else env
        users = env.get("CODEXCTL_ALLOWED_USERS", "")
        flag = env.get("CODEXSTACK_TRUST_REQUIRE_WRITE", "").strip()
        try:
            require_write = golang.parse_bool(flag) if flag else False
        except ValueError:
            raise ConfigError(f"CODEXSTACK_TRUST_REQUIRE_WRITE: not a boolean: {flag!r}") from None
        allowed = frozenset(u.strip().lstrip("@").lower() for u in users.split(",") if u.strip())
        return cls(allowed=allowed, require_write=require_write)


@dataclass(frozen=True)
class Comment:
    """One issue or review comment, as the agent may see it."""

    id: int
    author: str
    body: str
    url: str
    created_at: str
    kind: str  # "issue" or "review"
    path: str = ""
    minimized: str = ""  # minimized reason, '' when visible


@dataclass(frozen=True)
class Excluded:
    """A comment left out, and why."""

    comment: Comment
    reason: str


@dataclass(frozen=True)
class TrustedComments:
    """The comments an agent may read, and the ones it may not (with reasons)."""

    comments: tuple[Comment, ...]
    excluded: tuple[Excluded, ...] = ()


@dataclass
class Trust:
    """Decides trust per login for one repository, asking GitHub at most once per login."""

    gh: GitHub
    policy: TrustPolicy
    _cache: dict[str, tuple[bool, str]] = field(default_factory=dict)

    def check(self, login: str) -> tuple[bool, str]:
        """``(trusted, reason)`` for ``login``."""
        key = login.lower()
        if key not in self._cache:
            self._cache[key] = self._decide(login)
        return self._cache[key]

    def _decide(self, login: str) -> tuple[bool, str]:
        if not login:
            return False, "author unknown (deleted account)"
        listed = login.lower() in self.policy.allowed
        if self.policy.allowed and not listed:
            return False, f"{login} is not in CODEXCTL_ALLOWED_USERS"
        if not self.policy.require_write:
            if listed:
                return True, f"{login} is in CODEXCTL_ALLOWED_USERS"
            return False, "CODEXCTL_ALLOWED_USERS is empty: nobody is trusted"
        permission = self.permission(login)
        if permission in _WRITE:
            return True, f"{login} has {permission} permission"
        return False, f"{login} has {permission} permission, not write"

    def permission(self, login: str) -> str:
        try:
            return str(
                self.gh.call(
                    lambda: self.gh.repo.get_collaborator_permission(login),
                    f"read the permission of {login}",
                )
            )
        except GitHubError as exc:
            if exc.status == 404:
                return "none"
            raise


def _comment(node: Mapping[str, Any], kind: str, path: str = "") -> Comment:
    author = node.get("author") or {}
    return Comment(
        id=int(node.get("databaseId") or 0),
        author=str(author.get("login") or ""),
        body=str(node.get("body") or ""),
        url=str(node.get("url") or ""),
        created_at=str(node.get("createdAt") or ""),
        kind=kind,
        path=path,
        minimized=str(node.get("minimizedReason") or "hidden") if node.get("isMinimized") else "",
    )


def _dig(data: Mapping[str, Any], *keys: str) -> Any:
    current: Any = data
    for key in keys:
        current = current.get(key) if isinstance(current, Mapping) else None
    return current


def _pages(
    gh: GitHub,
    query: str,
    variables: dict[str, Any],
    path: tuple[str, ...],
    what: str,
    *,
    after: str | None = None,
) -> Iterator[Mapping[str, Any]]:
    while True:
        data = gh.graphql(query, {**variables, "after": after}, what)
        connection = _dig(data, *path)
        if not isinstance(connection, Mapping):
            raise GitHubError(f"GitHub GraphQL: nothing at {'.'.join(path)} while trying to {what}")
        yield from connection.get("nodes") or []
        info = connection.get("pageInfo") or {}
        if not info.get("hasNextPage"):
            return
        after = info.get("endCursor")


def issue_comments(gh: GitHub, number: int) -> list[Comment]:
    """Every comment of issue or PR ``number`` (minimized ones included, marked)."""
    variables = {"owner": gh.access.owner, "name": gh.access.name, "number": number}
    path = ("repository", "issueOrPullRequest", "comments")
    nodes = _pages(gh, ISSUE_COMMENTS, variables, path, f"read the comments of #{number}")
    return [_comment(node, "issue") for node in nodes]


def review_comments(gh: GitHub, pr: int) -> list[Comment]:
    """Every comment of every unresolved review thread of PR ``pr``."""
    variables = {"owner": gh.access.owner, "name": gh.access.name, "number": pr}
    path = ("repository", "pullRequest", "reviewThreads")
    found: list[Comment] = []
    for thread in _pages(gh, REVIEW_THREADS, variables, path, f"read review threads of #{pr}"):
        if thread.get("isResolved"):
            continue
        where = str(thread.get("path") or "")
        first = thread.get("comments") or {}
        found += [_comment(node, "review", where) for node in first.get("nodes") or []]
        info = first.get("pageInfo") or {}
        if info.get("hasNextPage"):
            rest = _pages(
                gh,
                THREAD_COMMENTS,
                {"id": thread["id"]},
                ("node", "comments"),
                f"read a review thread of #{pr}",
                after=info.get("endCursor"),
            )
            found += [_comment(node, "review", where) for node in rest]
    return found


def trusted_comments(
    gh: GitHub,
    policy: TrustPolicy,
    *,
    issue: int | None = None,
    pr: int | None = None,
    log: Callable[[str], None] | None = None,
) -> TrustedComments:
    """Issue comments of ``issue`` and unresolved review comments of ``pr``, trusted only."""
    trust = Trust(gh, policy)
    candidates = [
        *(issue_comments(gh, issue) if issue else []),
        *(review_comments(gh, pr) if pr else []),
    ]
    kept: list[Comment] = []
    excluded: list[Excluded] = []
    for comment in candidates:
        if comment.minimized:
            reason = f"minimized ({comment.minimized.lower()})"
        else:
            ok, reason = trust.check(comment.author)
            if ok:
                kept.append(comment)
                continue
        excluded.append(Excluded(comment, reason))
        if log is not None:
            log(f"excluded {comment.kind} comment {comment.url or comment.id}: {reason}")
    return TrustedComments(tuple(kept), tuple(excluded))

"""The stand-in's in-memory GitHub: repositories, issues and PRs, comments, threads, branches.

State is one JSON-able dict so that it can be seeded from a file, dumped to one and moved
over HTTP by :class:`~.control.Control`. :func:`normalize` fills every default, so a seed
only says what a test cares about::

    {"tokens": {"tok": "alice"},
     "repos": {"acme/app": {
         "default_branch": "main",
         "branches": {"main": {"protected": true}},
         "collaborators": {"alice": "write"},
         "issues": {"7": {"title": "t", "body": "b", "labels": ["[ai-plan]"]},
                    "8": {"title": "pr", "pull": {"head_ref": "codex/issue-7"}}}}}}

An issue with a ``pull`` member is a pull request (issues and PRs share numbers, as on
GitHub). A comment with ``minimized`` set ("spam", "outdated", ...) is hidden. PR review
threads live in ``pull.threads``: ``{"resolved": false, "path": "a.go", "comments": [...]}``.
"""

from __future__ import annotations

import copy
import threading
from datetime import UTC, datetime
from typing import Any

NOW = "2026-01-01T00:00:00Z"


def now() -> str:
    return datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class State:
    """The data plus a lock; every handler works under ``with state.lock``."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.lock = threading.RLock()
        self.data = normalize(data or {})

    def replace(self, data: dict[str, Any]) -> None:
        with self.lock:
            self.data = normalize(data)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self.data)

    def next_id(self) -> int:
        with self.lock:
            self.data["next_id"] += 1
            return int(self.data["next_id"])

    def repo(self, full_name: str) -> dict[str, Any] | None:
        for name, repo in self.data["repos"].items():
            if name.lower() == full_name.lower():
                return repo  # type: ignore[no-any-return]
        return None


def normalize(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every default filled in (ids, states, empty lists)."""
    data = copy.deepcopy(data)
    data.setdefault("tokens", {})
    data.setdefault("repos", {})
    data.setdefault("next_id", 1000)
    data.setdefault("switches", {})
    counter = [int(data["next_id"])]

    def fresh() -> int:
        counter[0] += 1
        return counter[0]

    for full_name, repo in data["repos"].items():
        repo["full_name"] = full_name
        repo.setdefault("id", fresh())
        repo.setdefault("default_branch", "main")
        repo.setdefault("private", False)
        repo.setdefault("branches", {})
        repo.setdefault("collaborators", {})
        repo.setdefault("issues", {})
        for name, branch in list(repo["branches"].items()):
            branch.setdefault("protected", False)
            branch.setdefault("sha", "0" * 40)
            repo["branches"][name] = branch
        repo["issues"] = {str(k): v for k, v in repo["issues"].items()}
        for number, issue in repo["issues"].items():
            _issue_defaults(issue, int(number), fresh)
    data["next_id"] = counter[0]
    return data


def _comment_defaults(comment: dict[str, Any], fresh: Any) -> None:
    comment.setdefault("id", fresh())
    comment.setdefault("user", "someone")
    comment.setdefault("body", "")
    comment.setdefault("created_at", NOW)
    comment.setdefault("updated_at", comment["created_at"])
    comment.setdefault("minimized", "")


def _issue_defaults(issue: dict[str, Any], number: int, fresh: Any) -> None:
    issue["number"] = number
    issue.setdefault("id", fresh())
    issue.setdefault("title", f"Issue {number}")
    issue.setdefault("body", "")
    issue.setdefault("state", "open")
    issue.setdefault("state_reason", None)
    issue.setdefault("labels", [])
    issue.setdefault("user", "someone")
    issue.setdefault("comments", [])
    for comment in issue["comments"]:
        _comment_defaults(comment, fresh)
    pull = issue.get("pull")
    if pull is not None:
        pull.setdefault("head_ref", f"codex/issue-{number}")
        pull.setdefault("head_repo", "")
        pull.setdefault("base_ref", "")
        pull.setdefault("draft", False)
        pull.setdefault("merged", False)
        pull.setdefault("threads", [])
        for index, thread in enumerate(pull["threads"]):
            thread.setdefault("id", f"PRRT_{number}_{index}")
            thread.setdefault("resolved", False)
            thread.setdefault("path", "")
            thread.setdefault("comments", [])
            for comment in thread["comments"]:
                _comment_defaults(comment, fresh)


def new_issue(
    repo: dict[str, Any], fresh: Any, fields: dict[str, Any], user: str
) -> dict[str, Any]:
    """Add an issue (or PR, with ``pull``) under the next free number."""
    numbers = [int(n) for n in repo["issues"]] or [0]
    number = max(numbers) + 1
    issue = dict(fields, user=user)
    _issue_defaults(issue, number, fresh)
    repo["issues"][str(number)] = issue
    return issue


def new_comment(fresh: Any, body: str, user: str) -> dict[str, Any]:
    """A fresh visible comment by ``user``."""
    stamp = now()
    comment = {"body": body, "user": user, "created_at": stamp, "updated_at": stamp}
    _comment_defaults(comment, fresh)
    return comment

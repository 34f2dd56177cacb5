"""Event payloads of the loop scenarios, shaped like GitHub's webhook payloads (the fields the
workflows read)."""

from __future__ import annotations

from typing import Any

from loop.stage import REPOSITORY

_REPO = {"full_name": REPOSITORY, "default_branch": "main", "name": REPOSITORY.split("/")[1]}


def labeled(number: int, label: str, title: str = "") -> dict[str, Any]:
    """``issues`` / ``labeled``."""
    issue = {"number": number, "title": title or f"Issue {number}", "labels": [{"name": label}]}
    return {"action": "labeled", "label": {"name": label}, "issue": issue, "repository": _REPO}


def issue_closed(number: int) -> dict[str, Any]:
    """``issues`` / ``closed``."""
    return {"action": "closed", "issue": {"number": number, "state": "closed"}, "repository": _REPO}


def commented(number: int, body: str) -> dict[str, Any]:
    """``issue_comment`` / ``created`` on an issue (not a PR)."""
    return {
        "action": "created",
        "issue": {"number": number, "title": f"Issue {number}"},
        "comment": {"body": body},
        "repository": _REPO,
    }


def review(pr: int, branch: str, state: str = "changes_requested") -> dict[str, Any]:
    """``pull_request_review`` / ``submitted``."""
    return {
        "action": "submitted",
        "review": {"state": state, "body": "please change"},
        "pull_request": {"number": pr, "head": {"ref": branch}, "base": {"ref": "main"}},
        "repository": _REPO,
    }


def pr_closed(pr: int, branch: str, *, merged: bool) -> dict[str, Any]:
    """``pull_request`` / ``closed`` (merged or not)."""
    return {
        "action": "closed",
        "pull_request": {
            "number": pr,
            "merged": merged,
            "head": {"ref": branch},
            "base": {"ref": "main"},
        },
        "repository": _REPO,
    }


def push(branch: str, message: str) -> dict[str, Any]:
    """``push`` to a branch."""
    return {
        "ref": f"refs/heads/{branch}",
        "head_commit": {"message": message},
        "repository": _REPO,
    }

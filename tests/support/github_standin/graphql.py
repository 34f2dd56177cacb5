"""The three GraphQL queries the GitHub module sends, answered from the stand-in's state.

The operation is picked by its name (``IssueComments``, ``ReviewThreads``,
``ThreadComments``); cursors are plain indexes; page sizes are GitHub's (100 comments, 50
threads) unless the ``page_size`` switch makes them smaller. An unknown operation gets
GitHub's error shape.
"""

from __future__ import annotations

import re
from typing import Any

from . import shapes
from .state import State


def operation(payload: Any) -> str:
    query = str((payload or {}).get("query", ""))
    match = re.search(r"\b(?:query|mutation)\s+(\w+)", query)
    return match.group(1) if match else ""


def _start(after: Any) -> int:
    text = str(after or "")
    return int(text.removeprefix("cursor:")) if text.startswith("cursor:") else 0


def _size(state: State, default: int) -> int:
    cap = int(state.data["switches"].get("page_size") or 0)
    return min(default, cap) if cap else default


def _comments(state: State, repo: dict[str, Any], items: list[Any], after: Any) -> dict[str, Any]:
    nodes = [shapes.gql_comment(repo, c) for c in items]
    return shapes.connection(nodes, _start(after), _size(state, 100))


def _error(message: str) -> tuple[int, dict[str, Any]]:
    return 200, {"data": None, "errors": [{"type": "NOT_FOUND", "message": message}]}


def answer(state: State, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    name = operation(payload)
    variables = payload.get("variables") or {}
    if name == "ThreadComments":
        for repo in state.data["repos"].values():
            for item in repo["issues"].values():
                for thread in (item.get("pull") or {}).get("threads", []):
                    if thread["id"] == variables.get("id"):
                        page = _comments(state, repo, thread["comments"], variables.get("after"))
                        return 200, {"data": {"node": {"comments": page}}}
        return _error(f"Could not resolve to a node with the global id of '{variables.get('id')}'")
    repo = state.repo(f"{variables.get('owner')}/{variables.get('name')}")
    if repo is None:
        return _error("Could not resolve to a Repository")
    item = repo["issues"].get(str(variables.get("number")))
    if name == "IssueComments":
        if item is None:
            return _error("Could not resolve to an issue or pull request")
        page = _comments(state, repo, item["comments"], variables.get("after"))
        return 200, {"data": {"repository": {"issueOrPullRequest": {"comments": page}}}}
    if name == "ReviewThreads":
        if item is None or item.get("pull") is None:
            return _error("Could not resolve to a PullRequest")
        threads = [
            {
                "id": t["id"],
                "isResolved": t["resolved"],
                "path": t["path"],
                "comments": _comments(state, repo, t["comments"], None),
            }
            for t in item["pull"]["threads"]
        ]
        page = shapes.connection(threads, _start(variables.get("after")), _size(state, 50))
        return 200, {"data": {"repository": {"pullRequest": {"reviewThreads": page}}}}
    return 200, {"errors": [{"message": f"unknown operation {name!r}"}]}

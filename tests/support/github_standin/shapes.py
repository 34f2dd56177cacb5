"""JSON bodies in the shapes GitHub's REST and GraphQL documentation give.

Only the fields a client may read are filled, but each object carries its ``url`` so that
PyGithub, which completes partial objects by fetching that URL, never needs a field that
is missing. ``base`` is the server's own ``http://127.0.0.1:<port>``.
"""

from __future__ import annotations

from typing import Any

DOCS = "https://docs.github.com/rest"


def user(base: str, login: str) -> dict[str, Any]:
    return {
        "login": login,
        "id": abs(hash(login)) % 10_000_000,
        "type": "User",
        "url": f"{base}/users/{login}",
        "html_url": f"https://github.invalid/{login}",
    }


def repository(base: str, repo: dict[str, Any]) -> dict[str, Any]:
    owner, name = repo["full_name"].split("/", 1)
    return {
        "id": repo["id"],
        "node_id": f"R_{repo['id']}",
        "name": name,
        "full_name": repo["full_name"],
        "owner": user(base, owner),
        "private": repo["private"],
        "fork": bool(repo.get("fork", False)),
        "default_branch": repo["default_branch"],
        "url": f"{base}/repos/{repo['full_name']}",
        "html_url": f"https://github.invalid/{repo['full_name']}",
        "clone_url": f"{base}/git/{repo['full_name']}.git",
    }


def _fork_stub(base: str, full_name: str) -> dict[str, Any]:
    owner, name = full_name.split("/", 1)
    return {
        "id": abs(hash(full_name)) % 10_000_000,
        "name": name,
        "full_name": full_name,
        "owner": user(base, owner),
        "fork": True,
        "private": False,
        "default_branch": "main",
        "url": f"{base}/repos/{full_name}",
        "html_url": f"https://github.invalid/{full_name}",
    }


def label(base: str, repo: dict[str, Any], name: str) -> dict[str, Any]:
    return {"name": name, "color": "ededed", "url": f"{base}/repos/{repo['full_name']}/labels/x"}


def issue(base: str, repo: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    url = f"{base}/repos/{repo['full_name']}/issues/{item['number']}"
    body: dict[str, Any] = {
        "id": item["id"],
        "node_id": f"I_{item['id']}",
        "number": item["number"],
        "title": item["title"],
        "body": item["body"],
        "state": item["state"],
        "state_reason": item["state_reason"],
        "labels": [label(base, repo, name) for name in item["labels"]],
        "user": user(base, item["user"]),
        "comments": len(item["comments"]),
        "url": url,
        "comments_url": f"{url}/comments",
        "html_url": f"https://github.invalid/{repo['full_name']}/issues/{item['number']}",
        "created_at": "2026-01-01T00:00:00Z",
    }
    if item.get("pull") is not None:
        body["pull_request"] = {"url": f"{base}/repos/{repo['full_name']}/pulls/{item['number']}"}
    return body


def comment(base: str, repo: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "node_id": f"IC_{item['id']}",
        "body": item["body"],
        "user": user(base, item["user"]),
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
        "url": f"{base}/repos/{repo['full_name']}/issues/comments/{item['id']}",
        "html_url": f"https://github.invalid/{repo['full_name']}#issuecomment-{item['id']}",
    }


def pull(base: str, repo: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    data = item["pull"]
    head_repo = data["head_repo"] or repo["full_name"]
    head_json: dict[str, Any] | None = (
        repository(base, repo) if head_repo == repo["full_name"] else _fork_stub(base, head_repo)
    )
    if data.get("head_repo_deleted"):
        head_json = None
    owner = head_repo.split("/", 1)[0]
    return {
        "id": item["id"],
        "node_id": f"PR_{item['id']}",
        "number": item["number"],
        "title": item["title"],
        "body": item["body"],
        "state": item["state"],
        "draft": data["draft"],
        "merged": data["merged"],
        "labels": [label(base, repo, name) for name in item["labels"]],
        "user": user(base, item["user"]),
        "head": {
            "ref": data["head_ref"],
            "label": f"{owner}:{data['head_ref']}",
            "sha": "1" * 40,
            "repo": head_json,
        },
        "base": {
            "ref": data["base_ref"] or repo["default_branch"],
            "label": f"{repo['full_name'].split('/')[0]}:{data['base_ref']}",
            "sha": "2" * 40,
            "repo": repository(base, repo),
        },
        "url": f"{base}/repos/{repo['full_name']}/pulls/{item['number']}",
        "issue_url": f"{base}/repos/{repo['full_name']}/issues/{item['number']}",
        "html_url": f"https://github.invalid/{repo['full_name']}/pull/{item['number']}",
    }


def branch(base: str, repo: dict[str, Any], name: str, sha: str, protected: bool) -> dict[str, Any]:
    return {
        "name": name,
        "commit": {"sha": sha, "url": f"{base}/repos/{repo['full_name']}/commits/{sha}"},
        "protected": protected,
        "_links": {"self": f"{base}/repos/{repo['full_name']}/branches/{name}"},
    }


def error(message: str, status: int) -> dict[str, Any]:
    return {"message": message, "documentation_url": DOCS, "status": str(status)}


def gql_comment(repo: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    return {
        "databaseId": item["id"],
        "author": {"login": item["user"]} if item["user"] else None,
        "body": item["body"],
        "url": f"https://github.invalid/{repo['full_name']}#comment-{item['id']}",
        "createdAt": item["created_at"],
        "isMinimized": bool(item["minimized"]),
        "minimizedReason": item["minimized"] or None,
    }


def connection(nodes: list[Any], start: int, size: int) -> dict[str, Any]:
    """A GraphQL connection page: ``nodes`` from ``start``, cursors are indexes."""
    page = nodes[start : start + size]
    end = start + len(page)
    return {
        "nodes": page,
        "pageInfo": {"hasNextPage": end < len(nodes), "endCursor": f"cursor:{end}"},
    }

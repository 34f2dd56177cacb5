"""The REST routes of the stand-in (called under the state lock).

Each route returns ``(status, body, headers)``. Lists honour ``per_page``/``page`` and send
a ``Link`` header with ``rel="next"`` and ``rel="last"`` as GitHub does. Paths are
URL-decoded per segment, so an escaped branch name is matched as the branch it names.
"""

from __future__ import annotations

import subprocess
import urllib.parse
from pathlib import Path
from typing import Any, Protocol

from . import shapes
from .state import State, new_comment, new_issue

Result = tuple[int, Any, dict[str, str]]


class HasServer(Protocol):
    server: Any


def _not_found() -> Result:
    return 404, shapes.error("Not Found", 404), {}


def _paginate(base: str, path: str, query: dict[str, str], items: list[Any], cap: int) -> Result:
    per_page = min(int(query.get("per_page", "30")), 100)
    if cap:
        per_page = min(per_page, cap)
    page = max(1, int(query.get("page", "1")))
    last = max(1, -(-len(items) // per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    links = []
    if page < last:
        for rel, number in (("next", page + 1), ("last", last)):
            params = urllib.parse.urlencode({**query, "page": str(number)})
            links.append(f'<{base}{path}?{params}>; rel="{rel}"')
    return 200, chunk, ({"Link": ", ".join(links)} if links else {})


def _bare(server: Any, full_name: str) -> Path | None:
    path = Path(server.git_root) / f"{full_name}.git"
    return path if path.is_dir() else None


def _git(bare: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "--git-dir", str(bare), *args], capture_output=True, text=True, check=False
    )


def _branch_sha(server: Any, repo: dict[str, Any], name: str) -> str | None:
    bare = _bare(server, repo["full_name"])
    if bare is not None:
        done = _git(bare, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}")
        if done.returncode == 0:
            return done.stdout.strip()
    known = repo["branches"].get(name)
    if known is not None and not known.get("deleted"):
        return str(known["sha"])
    return None


def route(
    state: State,
    base: str,
    verb: str,
    parsed: urllib.parse.SplitResult,
    payload: Any,
    login: str,
    handler: HasServer,
) -> Result:
    segments = [urllib.parse.unquote(s) for s in parsed.path.strip("/").split("/")]
    query = dict(urllib.parse.parse_qsl(parsed.query))
    cap = int(state.data["switches"].get("page_size") or 0)
    if len(segments) < 3 or segments[0] != "repos":
        if segments[:1] == ["user"]:
            return 200, shapes.user(base, login), {}
        return _not_found()
    repo = state.repo(f"{segments[1]}/{segments[2]}")
    if repo is None:
        return _not_found()
    rest = segments[3:]
    issues = repo["issues"]
    key = "/".join(rest[:1])
    if not rest and verb == "GET":
        return 200, shapes.repository(base, repo), {}
    if key == "issues" and len(rest) == 2 and rest[1] == "comments":
        return _not_found()
    if key == "issues" and len(rest) >= 2 and rest[1] != "comments":
        item = issues.get(rest[1])
        if item is None:
            return _not_found()
        if len(rest) == 2 and verb == "GET":
            return 200, shapes.issue(base, repo, item), {}
        if len(rest) == 2 and verb == "PATCH":
            for field in ("state", "state_reason", "title", "body", "labels"):
                if isinstance(payload, dict) and field in payload:
                    item[field] = payload[field]
            return 200, shapes.issue(base, repo, item), {}
        if rest[2:] == ["comments"] and verb == "GET":
            rows = [shapes.comment(base, repo, c) for c in item["comments"]]
            return _paginate(base, parsed.path, query, rows, cap)
        if rest[2:] == ["comments"] and verb == "POST":
            text = str((payload or {}).get("body", ""))
            comment = new_comment(state.next_id, text, login)
            item["comments"].append(comment)
            return 201, shapes.comment(base, repo, comment), {}
        return _not_found()
    if key == "issues" and len(rest) == 3 and rest[1] == "comments":
        for item in issues.values():
            for comment in item["comments"]:
                if str(comment["id"]) == rest[2]:
                    if verb == "PATCH":
                        comment["body"] = str((payload or {}).get("body", ""))
                        comment["updated_at"] = "2026-01-02T00:00:00Z"
                    return 200, shapes.comment(base, repo, comment), {}
        return _not_found()
    if key == "pulls":
        return _pulls(state, base, verb, parsed, payload, login, repo, rest, query, cap)
    if key == "branches" and len(rest) >= 2 and verb == "GET":
        name = "/".join(rest[1:])
        sha = _branch_sha(handler.server, repo, name)
        if sha is None:
            return 404, shapes.error("Branch not found", 404), {}
        protected = bool(repo["branches"].get(name, {}).get("protected"))
        return 200, shapes.branch(base, repo, name, sha, protected), {}
    if rest[:3] == ["git", "refs", "heads"] and len(rest) > 3 and verb == "DELETE":
        return _delete_ref(handler.server, repo, "/".join(rest[3:]))
    if key == "collaborators" and len(rest) == 3 and rest[2] == "permission":
        permission = repo["collaborators"].get(rest[1].lower()) or repo["collaborators"].get(
            rest[1]
        )
        if permission is None:
            permission = "read" if not repo["private"] else "none"
        answer = {
            "permission": permission,
            "role_name": permission,
            "user": shapes.user(base, rest[1]),
        }
        return 200, answer, {}
    return _not_found()


def _delete_ref(server: Any, repo: dict[str, Any], name: str) -> Result:
    found = False
    bare = _bare(server, repo["full_name"])
    ref = f"refs/heads/{name}"
    if bare is not None and _git(bare, "rev-parse", "--verify", "--quiet", ref).returncode == 0:
        _git(bare, "update-ref", "-d", ref)
        found = True
    known = repo["branches"].get(name)
    if known is not None and not known.get("deleted"):
        known["deleted"] = True
        found = True
    if not found:
        return 422, shapes.error("Reference does not exist", 422), {}
    return 204, None, {}


def _pulls(
    state: State,
    base: str,
    verb: str,
    parsed: urllib.parse.SplitResult,
    payload: Any,
    login: str,
    repo: dict[str, Any],
    rest: list[str],
    query: dict[str, str],
    cap: int,
) -> Result:
    pulls = [i for i in repo["issues"].values() if i.get("pull") is not None]
    if len(rest) == 1 and verb == "GET":
        wanted = query.get("state", "open")
        head = query.get("head", "")
        rows = []
        for item in sorted(pulls, key=lambda i: -int(i["number"])):
            if wanted != "all" and item["state"] != wanted:
                continue
            if head:
                owner, _, ref = head.partition(":")
                head_repo = item["pull"]["head_repo"] or repo["full_name"]
                if ref != item["pull"]["head_ref"] or head_repo.split("/")[0] != owner:
                    continue
            rows.append(shapes.pull(base, repo, item))
        return _paginate(base, parsed.path, query, rows, cap)
    if len(rest) == 1 and verb == "POST":
        data = payload or {}
        head = str(data.get("head", ""))
        if not head or not data.get("title"):
            return 422, shapes.error("Validation Failed", 422), {}
        pull = {
            "head_ref": head.split(":")[-1],
            "head_repo": "",
            "base_ref": str(data.get("base", "")),
            "draft": bool(data.get("draft", False)),
        }
        fields = {"title": data["title"], "body": data.get("body") or "", "pull": pull}
        item = new_issue(repo, state.next_id, fields, login)
        return 201, shapes.pull(base, repo, item), {}
    if len(rest) == 2 and verb == "GET":
        item = repo["issues"].get(rest[1])
        if item is None or item.get("pull") is None:
            return _not_found()
        return 200, shapes.pull(base, repo, item), {}
    return _not_found()

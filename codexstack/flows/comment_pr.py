"""``manage-env comment-pr``: the one sticky environment comment of a PR.

The body is codexctl's environment comment (slot, host, ``codex.links``) rendered from
``templates/env-comment`` in ``en`` or ``ru``. codexctl posts a new comment on every run; here
the comment carries a hidden marker and is edited in place, so a PR has exactly one.
"""

from __future__ import annotations

from dataclasses import dataclass

from codexstack import github
from codexstack.errors import UsageError
from codexstack.flows._github import connect, env_comment
from codexstack.flows.ci import Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Lines
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """The slot (in ``target``), the PR, the language and the repository."""

    target: Target
    pr: int
    lang: str = "en"
    repo: str | None = None


@dataclass(frozen=True)
class Result(Lines):
    """The comment and what happened to it: ``created``, ``updated`` or ``unchanged``."""

    pr: int
    comment_id: int
    url: str
    action: str

    def values(self) -> dict[str, Value]:
        return {"pr": self.pr, "comment": self.url, "action": self.action}


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Render the body, then create or edit the PR's environment comment."""
    slot = request.target.required_slot()
    if request.pr <= 0:
        raise UsageError("--pr is required and must be > 0 (or CODEXCTL_PR_NUMBER)")
    body = env_comment(request.target, slot, request.lang, progress)
    posted = github.upsert_sticky(connect(request.repo, progress), request.pr, body)
    progress.info(f"environment comment {posted.action} on PR #{request.pr}")
    return Result(request.pr, posted.id, posted.url, posted.action)

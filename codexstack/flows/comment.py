"""``manage-env comment``: the environment comment (slot, host, ``codex.links``) for a PR."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codexstack.flows._github import env_comment
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """The slot (the target's) and the comment's language (``en`` or ``ru``)."""

    target: Target
    lang: str = "en"


@dataclass(frozen=True)
class Result:
    """The comment body (Markdown)."""

    body: str
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return {"body": self.body}

    def text(self) -> str:
        return self.body + "\n"


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Render the comment for the target's slot (env default ``ai``)."""
    slot = request.target.required_slot()
    return Result(env_comment(request.target, slot, request.lang, progress))

"""``issue comment``: post a comment on an issue or PR (workflow messages such as "no free slot").

The body comes from ``--body``/``CODEXCTL_COMMENT_BODY`` or a file; known secrets are masked
before it leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

from codexstack import github
from codexstack.errors import UsageError
from codexstack.flows._github import connect
from codexstack.flows.ci import Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Lines


@dataclass(frozen=True)
class Request:
    """Issue or PR number, the body, the repository."""

    number: int
    body: str
    repo: str | None = None


@dataclass(frozen=True)
class Result(Lines):
    number: int
    comment_id: int
    url: str

    def values(self) -> dict[str, Value]:
        return {"number": self.number, "comment": self.url}


def run(request: Request, progress: Reporter = SILENT) -> Result:
    if request.number <= 0:
        raise UsageError("--issue (or --pr) is required and must be > 0")
    if not request.body.strip():
        raise UsageError("--body is empty (or set CODEXCTL_COMMENT_BODY, or --body-file)")
    posted = github.post_comment(connect(request.repo, progress), request.number, request.body)
    progress.info(f"commented on #{request.number}")
    return Result(request.number, posted.id, posted.url)

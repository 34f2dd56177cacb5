"""``pr detect``: the open pull request whose head is a branch of the repository.

Found: stdout ``codexctl_pr_number: N`` and the same key in ``$GITHUB_OUTPUT``. Not found: a
warning, no output and exit 0, as in codexctl.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codexstack import github
from codexstack.errors import UsageError
from codexstack.flows._github import connect
from codexstack.flows.ci import CiOutputs, Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Lines


@dataclass(frozen=True)
class Request:
    """The branch to look up, and its repository."""

    branch: str
    repo: str | None = None
    ci: CiOutputs = field(default_factory=CiOutputs)


@dataclass(frozen=True)
class Result(Lines):
    """The PR number (0: none) and its URL."""

    number: int = 0
    url: str = ""

    def values(self) -> dict[str, Value]:
        return {"codexctl_pr_number": self.number} if self.number else {}

    def data(self, fmt: str) -> dict[str, Any]:
        if fmt == "kv":
            return dict(self.values())
        return {"codexctl_pr_number": self.number or None, "url": self.url or None}


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Look the PR up; write ``codexctl_pr_number`` only when there is one."""
    branch = request.branch.strip()
    if not branch:
        raise UsageError("--branch is required (or CODEXCTL_BRANCH)")
    pull = github.find_pull(connect(request.repo, progress), branch)
    if pull is None:
        progress.warn(f"no open pull request has head branch {branch!r}")
        return Result()
    result = Result(pull.number, pull.url)
    request.ci.write(result.values())
    return result

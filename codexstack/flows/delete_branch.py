"""``manage-env delete-branch``: delete an agent branch, and nothing else (D-BRANCH-DELETE).

Only ``codex/issue-N`` and ``codex/ai-repair-N`` are deleted, URL-escaped in the API path;
the default branch, protected branches and the heads of fork PRs are never touched. A skip or
a GitHub failure is a warning and exit 0, as in codexctl, whose shipped cleanup calls this for
every closed PR.
"""

from __future__ import annotations

from dataclasses import dataclass

from codexstack import github
from codexstack.errors import CodexstackError, UsageError
from codexstack.flows._github import Outcome, connect, outcome, soft
from codexstack.flows.progress import SILENT, Reporter


@dataclass(frozen=True)
class Request:
    """The branch, and the PR it heads when known (its fork state is checked)."""

    branch: str
    pr: int = 0
    repo: str | None = None


def run(request: Request, progress: Reporter = SILENT) -> Outcome:
    branch = request.branch.strip()
    if not branch:
        raise UsageError("--branch is required (or CODEXCTL_BRANCH)")
    if github.agent_issue(branch) is None:
        return outcome(branch, github.Outcome("skipped", _NOT_AGENT), progress)
    try:
        gh = connect(request.repo, progress)
        pull = github.get_pull(gh, request.pr) if request.pr else None
        return outcome(branch, github.delete_branch(gh, branch, pull), progress)
    except CodexstackError as exc:
        if isinstance(exc, UsageError):
            raise
        return soft(branch, exc, progress)


_NOT_AGENT = "not an agent branch (codex/issue-N or codex/ai-repair-N)"

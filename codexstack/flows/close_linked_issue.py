"""``manage-env close-linked-issue``: close the issue an agent branch was made for.

A no-op unless ``--close-issue`` (``CODEXCTL_CLOSE_ISSUE``) is set. The issue number comes
from ``codex/issue-N`` or ``codex/ai-repair-N``; any other branch, a fork PR, a missing token
or repository is a warning and exit 0 (codexctl); a GitHub failure while closing exits 1.
The issue is closed as *completed*.
"""

from __future__ import annotations

from dataclasses import dataclass

from codexstack import github
from codexstack.flows._github import Outcome, connect, outcome
from codexstack.flows.progress import SILENT, Reporter


@dataclass(frozen=True)
class Request:
    """The branch, whether to close at all, and the PR it heads when known."""

    branch: str
    close: bool = False
    pr: int = 0
    repo: str | None = None


def run(request: Request, progress: Reporter = SILENT) -> Outcome:
    branch = request.branch.strip()
    if not request.close:
        return Outcome(branch, "skipped", "--close-issue is not set")
    if github.agent_issue(branch) is None:
        reason = f"{branch!r} is not an agent branch (codex/issue-N or codex/ai-repair-N)"
        return outcome(branch, github.Outcome("skipped", reason), progress)
    try:
        gh = connect(request.repo, progress)
    except github.MissingAccess as exc:
        progress.warn(f"close-linked-issue: {exc}")
        return Outcome(branch, "skipped", str(exc))
    pull = github.get_pull(gh, request.pr) if request.pr else None
    return outcome(branch, github.close_linked_issue(gh, branch, pull), progress)

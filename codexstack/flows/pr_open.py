"""``pr open``: make sure a branch the agent pushed has a pull request.

codexctl leaves opening the PR to the agent (``gh pr create`` inside the pod), so a PR can go
missing. This opens a *draft* PR from the branch to the base (default: the repository's
default branch) whose body says ``Closes #N``, or returns the open PR the branch already has.
The title defaults to the issue's title. Outputs ``codexctl_pr_number`` (as ``pr detect``),
``pr_url`` and ``pr_created``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codexstack import github
from codexstack.errors import UsageError
from codexstack.flows._github import connect
from codexstack.flows.ci import CiOutputs, Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Lines


@dataclass(frozen=True)
class Request:
    """The head branch, the issue it closes, and the PR's base, title and body."""

    branch: str
    issue: int = 0
    base: str | None = None
    title: str = ""
    body: str = ""
    repo: str | None = None
    ci: CiOutputs = field(default_factory=CiOutputs)


@dataclass(frozen=True)
class Result(Lines):
    """The PR of the branch and whether it was opened now."""

    number: int
    url: str
    created: bool

    def values(self) -> dict[str, Value]:
        return {"codexctl_pr_number": self.number, "pr_url": self.url, "pr_created": self.created}


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Open the draft PR unless the branch has one; write the step outputs."""
    branch = github.check_branch_name(request.branch.strip())
    if request.issue < 0:
        raise UsageError("--issue must be >= 0")
    gh = connect(request.repo, progress)
    title = request.title.strip()
    if not title:
        title = (
            str(gh.call(lambda: gh.repo.get_issue(request.issue).title, "read the issue title"))
            if request.issue
            else branch
        )
    opened = github.open_draft_pr(
        gh, head=branch, base=request.base, title=title, issue=request.issue, body=request.body
    )
    pull = opened.pull
    progress.info(
        f"{'opened draft' if opened.created else 'found open'} PR #{pull.number} for {branch}"
    )
    result = Result(pull.number, pull.url, opened.created)
    request.ci.write(result.values())
    return result

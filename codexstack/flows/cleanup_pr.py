"""``manage-env cleanup-pr``: destroy the slots of a closed PR, then tidy its GitHub side.

Slots: env ``ai`` by PR, and env ``ai-repair`` too when the branch is ``codex/ai-repair-N``
or ``include_ai_repair`` is set, each through the ``manage-env cleanup`` flow (going on past
failures). Then, with ``delete_branch``, the PR's agent branch is deleted and, with
``close_issue``, the issue its name carries is closed, under the branch rules (agent branches
only, never a fork's head, the default or a protected branch). The branch is ``--branch`` or
the PR's head. GitHub failures are warnings (codexctl); the exit code is the slot cleanup's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from codexstack import github
from codexstack.errors import UsageError
from codexstack.flows import _github, cleanup
from codexstack.flows._registry import Registry
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """The PR, its branch (else read from GitHub), and what to do besides the slots."""

    target: Target
    pr: int
    branch: str = ""
    repo: str | None = None
    keep_claim: bool = False
    delete_branch: bool = False
    close_issue: bool = False
    include_ai_repair: bool = False
    lock_wait: float = 900.0
    registry: Registry = field(default_factory=Registry)


def _pull(
    request: Request, progress: Reporter
) -> tuple[github.GitHub | None, github.PullInfo | None]:
    """The client and the PR, or ``(None, None)`` with a warning when GitHub cannot answer."""
    try:
        gh = _github.connect(request.repo, progress)
        return gh, github.get_pull(gh, request.pr)
    except github.MissingAccess as exc:
        progress.warn(f"cleanup-pr: {exc}; the GitHub part is skipped")
    except github.GitHubError as exc:
        progress.warn(f"cleanup-pr: could not read PR #{request.pr}: {exc}")
    return None, None


def run(request: Request, progress: Reporter = SILENT) -> _github.Cleanup:
    """Clean up the PR's slots, then delete its branch and close its issue if asked."""
    if request.pr <= 0:
        raise UsageError("--pr is required and must be > 0 (or CODEXCTL_PR_NUMBER)")
    wants_github = request.delete_branch or request.close_issue or not request.branch
    gh, pull = _pull(request, progress) if wants_github else (None, None)
    branch = request.branch.strip() or (pull.head_ref if pull else "")
    envs = ["ai"]
    if request.include_ai_repair or branch.startswith("codex/ai-repair-"):
        envs.append("ai-repair")
    rows, code = _github.clean_slots(
        [
            cleanup.Request(
                replace(request.target, env=env),
                pr=request.pr,
                keep_claim=request.keep_claim,
                lock_wait=request.lock_wait,
                registry=request.registry,
            )
            for env in envs
        ],
        progress,
    )
    actions: list[_github.Outcome] = []
    if gh is not None and branch:
        client = gh
        if request.delete_branch:
            actions.append(
                _github.guarded(
                    branch, lambda: github.delete_branch(client, branch, pull), progress
                )
            )
        if request.close_issue:
            actions.append(
                _github.guarded(
                    branch, lambda: github.close_linked_issue(client, branch, pull), progress
                )
            )
    return _github.Cleanup(rows, tuple(actions), code)

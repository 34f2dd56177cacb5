"""``manage-env cleanup-issue``: destroy the slots of a closed issue, then its agent branches.

Slots: envs ``ai`` and ``ai-repair`` by issue (an env services.yaml does not define is
skipped with a warning), each through the ``manage-env cleanup`` flow. With
``delete_branch``, ``codex/issue-N`` and ``codex/ai-repair-N`` are deleted under the branch
rules; a missing branch or a GitHub failure is only a warning (codexctl).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

from codexstack import github
from codexstack.errors import UsageError
from codexstack.flows import _github, cleanup
from codexstack.flows._registry import Registry
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """The issue, and whether its agent branches go too."""

    target: Target
    issue: int
    repo: str | None = None
    keep_claim: bool = False
    delete_branch: bool = False
    lock_wait: float = 900.0
    registry: Registry = field(default_factory=Registry)


def run(request: Request, progress: Reporter = SILENT) -> _github.Cleanup:
    """Clean up the issue's slots, then delete its agent branches if asked."""
    if request.issue <= 0:
        raise UsageError("--issue is required and must be > 0 (or CODEXCTL_ISSUE_NUMBER)")
    rows, code = _github.clean_slots(
        [
            cleanup.Request(
                replace(request.target, env=env),
                issue=request.issue,
                keep_claim=request.keep_claim,
                lock_wait=request.lock_wait,
                registry=request.registry,
            )
            for env in ("ai", "ai-repair")
        ],
        progress,
    )
    actions: list[_github.Outcome] = []
    if request.delete_branch:
        try:
            gh = _github.connect(request.repo, progress)
        except github.MissingAccess as exc:
            progress.warn(f"cleanup-issue: {exc}; branches are left alone")
        else:
            for branch in (f"codex/issue-{request.issue}", f"codex/ai-repair-{request.issue}"):
                action = partial(github.delete_branch, gh, branch)
                actions.append(_github.guarded(branch, action, progress))
    return _github.Cleanup(rows, tuple(actions), code)

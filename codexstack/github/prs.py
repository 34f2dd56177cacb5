"""Pull requests: the PR of a branch (``pr detect``), a PR's head facts, opening a draft PR.

:class:`PullInfo` is the plain-data view the safety rules need: head branch, whether the
head lives in a fork, the base repository's default branch. :func:`open_draft_pr` is
idempotent: an open PR from the same head is returned instead of a second one, and a new
PR's body says ``Closes #N`` so merging it closes the issue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codexstack.github.client import GitHub
from codexstack.github.errors import GitHubError


@dataclass(frozen=True)
class PullInfo:
    """What the commands need to know about one pull request."""

    number: int
    url: str
    title: str
    state: str
    merged: bool
    draft: bool
    head_ref: str
    head_repo: str
    base_ref: str
    base_repo: str
    labels: tuple[str, ...] = ()

    @property
    def is_fork(self) -> bool:
        """The head branch lives in another repository (or one that is gone)."""
        return self.head_repo.lower() != self.base_repo.lower()


def _info(pull: Any) -> PullInfo:
    head_repo = pull.head.repo.full_name if pull.head.repo is not None else ""
    return PullInfo(
        number=pull.number,
        url=pull.html_url or "",
        title=pull.title or "",
        state=pull.state or "",
        merged=bool(pull.merged),
        draft=bool(pull.draft),
        head_ref=pull.head.ref,
        head_repo=head_repo,
        base_ref=pull.base.ref,
        base_repo=pull.base.repo.full_name,
        labels=tuple(label.name for label in pull.labels),
    )


def get_pull(gh: GitHub, number: int) -> PullInfo:
    """One PR by number."""
    return gh.call(lambda: _info(gh.repo.get_pull(number)), f"read PR #{number}")


def find_pull(gh: GitHub, branch: str, state: str = "open") -> PullInfo | None:
    """The first PR whose head is ``branch`` of this repository, or None."""
    head = f"{gh.access.owner}:{branch}"

    def first() -> PullInfo | None:
        for pull in gh.repo.get_pulls(state=state, head=head):
            return _info(pull)
        return None

    return gh.call(first, f"look up the PR of branch {branch!r}")


def default_branch(gh: GitHub) -> str:
    """The repository's default branch."""
    return str(gh.repo.default_branch)


def is_protected(gh: GitHub, branch: str) -> bool:
    """Whether ``branch`` exists and is protected; a missing branch is not protected."""
    try:
        return bool(gh.call(lambda: gh.repo.get_branch(branch).protected, f"read {branch!r}"))
    except GitHubError as exc:
        if exc.status == 404:
            return False
        raise


@dataclass(frozen=True)
class OpenedPull:
    """The PR a branch has now, and whether this call created it."""

    pull: PullInfo
    created: bool


def open_draft_pr(
    gh: GitHub, *, head: str, base: str | None, title: str, issue: int | None, body: str = ""
) -> OpenedPull:
    """Open a draft PR from ``head`` (or return the open one); ``Closes #issue`` in its body."""
    existing = find_pull(gh, head)
    if existing is not None:
        return OpenedPull(existing, created=False)
    target = base or default_branch(gh)
    text = body.rstrip()
    if issue:
        closing = f"Closes #{issue}"
        if closing not in text:
            text = f"{text}\n\n{closing}" if text else closing
    pull = gh.call(
        lambda: gh.repo.create_pull(base=target, head=head, title=title, body=text, draft=True),
        f"open a draft PR from {head!r}",
    )
    return OpenedPull(_info(pull), created=True)

"""Comments on issues and PRs: the sticky environment comment and plain comments.

codexctl posts a new environment comment on every run, so a PR collects one per push. Here
the comment carries a hidden marker (an HTML comment GitHub does not render) and is found by
it and edited in place: one comment per PR, whatever the number of runs. A body that is
already current is left alone. Plain comments (the ``github.comment`` hook, ``issue
comment``) are posted as given. Bodies pass through redaction before they leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codexstack.github.client import GitHub
from codexstack.redact import redact

ENV_MARKER = "<!-- codexstack:env-comment -->"


@dataclass(frozen=True)
class PostedComment:
    """Where a comment is and what this call did: ``created``, ``updated`` or ``unchanged``."""

    id: int
    url: str
    action: str


def with_marker(body: str, marker: str) -> str:
    """``body`` with ``marker`` on its own first line (added once)."""
    return body if marker in body else f"{marker}\n{body}"


def _find_marked(gh: GitHub, number: int, marker: str) -> Any:
    def scan() -> Any:
        for comment in gh.repo.get_issue(number).get_comments():
            if marker in (comment.body or ""):
                return comment
        return None

    return gh.call(scan, f"read the comments of #{number}")


def upsert_sticky(gh: GitHub, number: int, body: str, marker: str = ENV_MARKER) -> PostedComment:
    """Create or edit the one comment on issue/PR ``number`` that carries ``marker``."""
    text = redact(with_marker(body, marker))
    existing = _find_marked(gh, number, marker)
    if existing is None:
        created = gh.call(
            lambda: gh.repo.get_issue(number).create_comment(text), f"comment on #{number}"
        )
        return PostedComment(created.id, created.html_url or "", "created")
    if (existing.body or "") == text:
        return PostedComment(existing.id, existing.html_url or "", "unchanged")
    gh.call(lambda: existing.edit(text), f"update the comment on #{number}")
    return PostedComment(existing.id, existing.html_url or "", "updated")


def post_comment(gh: GitHub, number: int, body: str) -> PostedComment:
    """Post a new comment on issue/PR ``number``."""
    text = redact(body)
    created = gh.call(
        lambda: gh.repo.get_issue(number).create_comment(text), f"comment on #{number}"
    )
    return PostedComment(created.id, created.html_url or "", "created")

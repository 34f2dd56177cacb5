"""Issue and review comments as untrusted data: who may speak, and how their text is fenced.

codexctl pastes every comment, from anyone, into a prompt that runs with full access
(D-INJECT-PROMPT). Here a comment enters a prompt only when its author is trusted (the GitHub
layer decides who is; :func:`select_trusted` applies that decision and records who was left
out). Each kept body is cleaned: hidden HTML comments, zero-width, bidi and other invisible
format characters and control characters are removed, line ends normalised; then it is capped
(per comment and in total, newest comments kept first) and wrapped in a fence whose marker
carries a digest of the texts it encloses, so no text can contain, and thus close, its own
fence. :class:`Comment` is the small data type prompts need; it does not depend on GitHub.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

PER_COMMENT_CAP = 4000
TOTAL_CAP = 24000
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# Invisible characters that survive NFKC but hide or reorder text for a reader.
_INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")
_FENCE_WORD = re.compile(r"UNTRUSTED[-_ ]?(?:COMMENT|DATA)", re.IGNORECASE)


@dataclass(frozen=True)
class Comment:
    """One issue or review comment as prompts see it (codexctl's template fields)."""

    author: str
    body: str
    id: int = 0
    url: str = ""
    created_at: str = ""
    issue_number: int = 0
    """Issue comments: the issue it belongs to."""
    pr_number: int = 0
    """Review comments: the PR it belongs to."""
    thread_id: str = ""
    """Review comments: the review thread."""

    @property
    def is_review(self) -> bool:
        """Whether this is a review comment (it has a PR number)."""
        return self.pr_number > 0


def _visible(ch: str) -> bool:
    if ch in "\n\t":
        return True
    if ch in _INVISIBLE:
        return False
    # Cf: zero-width, bidi embeddings/isolates/marks, tag characters; Cc: controls; Co: private.
    return unicodedata.category(ch) not in ("Cf", "Cc", "Co", "Cs")


def clean(text: str) -> str:
    """Strip hidden HTML comments and invisible/control characters; normalise line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _HTML_COMMENT.sub("", text)
    text = "".join(ch for ch in text if _visible(ch))
    # Neutralise anything that looks like our fence markers, whatever the digest.
    return _FENCE_WORD.sub("untrusted text", text).strip()


def cap(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with a visible note of what was cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit].rstrip()}\n[… {len(text) - limit} more characters cut]"


@dataclass(frozen=True)
class Selection:
    """The comments a prompt may carry, and what was left out (for the log, never the prompt)."""

    kept: tuple[Comment, ...]
    excluded_authors: tuple[str, ...] = ()
    dropped_for_size: int = 0


def select_trusted(
    comments: Iterable[Comment],
    is_trusted: Callable[[str], bool],
    *,
    per_comment: int = PER_COMMENT_CAP,
    total: int = TOTAL_CAP,
) -> Selection:
    """Keep trusted authors' comments, cleaned and capped; the newest win the total budget."""
    excluded: list[str] = []
    trusted: list[Comment] = []
    for comment in comments:
        if not is_trusted(comment.author):
            excluded.append(comment.author)
            continue
        body = cap(clean(comment.body), per_comment)
        if body:
            trusted.append(replace(comment, body=body, author=clean(comment.author)))
    budget = total
    kept: list[Comment] = []
    for comment in reversed(trusted):
        if len(comment.body) > budget:
            continue
        budget -= len(comment.body)
        kept.append(comment)
    kept.reverse()
    return Selection(tuple(kept), tuple(sorted(set(excluded))), len(trusted) - len(kept))


def fence_id(comments: Sequence[Comment]) -> str:
    """A marker id derived from every fenced text: a text cannot predict the digest of itself."""
    digest = hashlib.sha256()
    for comment in comments:
        digest.update(comment.author.encode() + b"\0" + comment.body.encode() + b"\0")
    return digest.hexdigest()[:16]


def fenced(comments: Sequence[Comment]) -> tuple[Comment, ...]:
    """The comments with each body wrapped in the untrusted-data fence."""
    tag = fence_id(comments)
    out = []
    for comment in comments:
        body = (
            f"<<<UNTRUSTED-DATA {tag} author={comment.author}>>>\n"
            f"{comment.body}\n"
            f"<<<END-UNTRUSTED-DATA {tag}>>>"
        )
        out.append(replace(comment, body=body))
    return tuple(out)


def issue_fields(comment: Comment) -> dict[str, object]:
    """The ``.IssueComments`` element (codexctl's field names)."""
    return {
        "IssueNumber": comment.issue_number,
        "ID": comment.id,
        "Author": comment.author,
        "URL": comment.url,
        "Body": comment.body,
        "CreatedAt": comment.created_at,
    }


def review_fields(comment: Comment) -> dict[str, object]:
    """The ``.ReviewComments`` element (codexctl's field names)."""
    return {
        "PRNumber": comment.pr_number,
        "ID": comment.id,
        "Author": comment.author,
        "URL": comment.url,
        "Body": comment.body,
        "ThreadID": comment.thread_id,
        "CreatedAt": comment.created_at,
    }

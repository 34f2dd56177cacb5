"""``plan resolve-root``: from a focus issue up its ``AI-PLAN-PARENT: #N`` markers to the root.

An issue carrying the ``[ai-plan]`` label (any letter case) is a root. Otherwise the first
``AI-PLAN-PARENT: #N`` in its body names its parent, which is fetched and tested in turn, for
as many levels as it takes. codexctl stops after one level, matches the label exactly and never
fetches the parent (D-REVIEW-PAGES). A chain that comes back to an issue already seen is
reported as a cycle with the whole chain; a chain that ends at an issue with neither label nor
marker, or at an issue that does not exist, says exactly that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from codexstack.github.client import GitHub
from codexstack.github.errors import GitHubError

PLAN_LABEL = "[ai-plan]"
PARENT_MARKER = re.compile(r"AI-PLAN-PARENT:\s*#(\d+)")
MAX_LEVELS = 100


class RootNotFound(GitHubError):
    """The chain has no root: no label and no marker, a missing parent, or a cycle."""


@dataclass(frozen=True)
class PlanRoot:
    """The root issue, the focus issue it was resolved from, and the chain walked."""

    root: int
    focus: int
    chain: tuple[int, ...]


def has_plan_label(labels: list[str]) -> bool:
    """Whether one of ``labels`` is ``[ai-plan]``, in any letter case."""
    return any(label.strip().lower() == PLAN_LABEL for label in labels)


def parent_of(body: str | None) -> int | None:
    """The issue number of the first ``AI-PLAN-PARENT: #N`` marker, if any."""
    match = PARENT_MARKER.search(body or "")
    return int(match.group(1)) if match else None


def _path(chain: list[int]) -> str:
    return " → ".join(f"#{n}" for n in chain)


def _fetch(gh: GitHub, number: int, chain: list[int]) -> Any:
    try:
        return gh.call(lambda: gh.repo.get_issue(number), f"read issue #{number}")
    except GitHubError as exc:
        if exc.status != 404 or len(chain) == 1:
            raise
        raise RootNotFound(
            f"plan chain {_path(chain)}: #{chain[-2]} names parent #{number}, "
            f"which does not exist in {gh.access.repo}"
        ) from None


def resolve_root(gh: GitHub, focus: int) -> PlanRoot:
    """Walk from ``focus`` to its root issue; raise :class:`RootNotFound` saying why not."""
    chain = [focus]
    while True:
        number = chain[-1]
        issue = _fetch(gh, number, chain)
        if has_plan_label([label.name for label in issue.labels]):
            return PlanRoot(root=number, focus=focus, chain=tuple(chain))
        parent = parent_of(issue.body)
        if parent is None:
            where = "" if len(chain) == 1 else f" (plan chain {_path(chain)})"
            raise RootNotFound(
                f"issue #{number} has no {PLAN_LABEL} label and no 'AI-PLAN-PARENT: #N' "
                f"marker in its body{where}",
                hint=f"label the root issue {PLAN_LABEL} or add 'AI-PLAN-PARENT: #<root>' "
                "to the child's body",
            )
        if parent in chain:
            raise RootNotFound(f"plan chain is a cycle: {_path([*chain, parent])}")
        if len(chain) >= MAX_LEVELS:
            raise RootNotFound(f"plan chain longer than {MAX_LEVELS} levels: {_path(chain)}")
        chain.append(parent)

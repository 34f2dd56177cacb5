"""Which issues and pull requests are closed: an input for slot garbage collection.

A slot bound to a closed issue or PR has no more work to do. :func:`closed_numbers` asks
GitHub once per number (an issue's state covers PRs too, as they share numbers) and answers
with the closed ones; a number that does not exist counts as closed (its slot is orphaned).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from codexstack.github.client import GitHub
from codexstack.github.errors import GitHubError


def _state(gh: GitHub, number: int) -> str:
    return str(gh.repo.get_issue(number).state)


def closed_numbers(gh: GitHub, numbers: Iterable[int]) -> frozenset[int]:
    """The subset of ``numbers`` whose issue or PR is closed (or gone)."""
    closed: set[int] = set()
    for number in sorted({n for n in numbers if n > 0}):
        try:
            state = gh.call(partial(_state, gh, number), f"read #{number}")
        except GitHubError as exc:
            if exc.status not in (404, 410):
                raise
            state = "closed"
        if state == "closed":
            closed.add(number)
    return frozenset(closed)

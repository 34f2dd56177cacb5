"""``plan resolve-root``: the root plan issue of a focus issue, through any number of levels.

Outputs codexctl's ``root`` and ``focus`` (stdout ``root: R`` / ``focus: F``, ``$GITHUB_OUTPUT``
keys ``focus`` and ``root``). Unlike codexctl, parents are followed to the real root with cycle
protection, and the ``[ai-plan]`` label matches in any letter case (see
:mod:`codexstack.github.plan`); no root is an error saying exactly why.
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
    """The focus issue and its repository."""

    issue: int
    repo: str | None = None
    ci: CiOutputs = field(default_factory=CiOutputs)


@dataclass(frozen=True)
class Result(Lines):
    """The root, the focus, and the chain walked from the focus up to the root."""

    root: int
    focus: int
    chain: tuple[int, ...] = ()

    def values(self) -> dict[str, Value]:
        return {"root": self.root, "focus": self.focus}


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Resolve the root; write ``root``/``focus`` to ``$GITHUB_OUTPUT``."""
    if request.issue <= 0:
        raise UsageError("--issue is required and must be > 0 (or CODEXCTL_ISSUE_NUMBER)")
    found = github.resolve_root(connect(request.repo, progress), request.issue)
    if len(found.chain) > 1:
        progress.info("plan chain: " + " → ".join(f"#{n}" for n in found.chain))
    result = Result(found.root, found.focus, found.chain)
    request.ci.write(result.values())
    return result

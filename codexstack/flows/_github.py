"""What the GitHub flows share: the client of a request, and the environment comment body.

:func:`connect` builds the one GitHub client from ``--repo`` and the token/repository chains,
with rate-limit waits reported on the flow's reporter. :func:`env_comment` renders codexctl's
environment comment (slot, host, ``codex.links``) from services.yaml for a slot, in ``en`` or
``ru``, from ``templates/env-comment``. :class:`Outcome` is the result of the branch actions,
:class:`Cleanup` that of ``cleanup-pr`` and ``cleanup-issue`` (slots through the cleanup flow,
then the branch actions, whose failures are only warnings, as in codexctl).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from codexstack import github, slots
from codexstack.errors import CodexstackError, ConfigError, ExitCode
from codexstack.flows import _target, cleanup
from codexstack.flows.ci import Value
from codexstack.flows.progress import Reporter
from codexstack.flows.result import Lines
from codexstack.flows.target import Target

if TYPE_CHECKING:
    from codexstack.github import GitHub

SLOT_ENV_DEFAULT = "ai"


def connect(repo: str | None, progress: Reporter) -> GitHub:
    """A GitHub client for ``repo`` (else ``CODEXCTL_REPO``/``GITHUB_REPOSITORY``)."""
    return github.connect(repo or None, progress=progress.info)


def env_comment(target: Target, slot: int, lang: str, progress: Reporter) -> str:
    """The environment comment of ``slot`` in the target's env (default ``ai``)."""
    target = replace(target.with_env(SLOT_ENV_DEFAULT), slot=slot)
    loaded = _target.load(target, progress)
    model = loaded.model
    host = slots.comment_host(target.env, slot, model.base_domain)
    links = [(link.title, link.path) for link in model.codex.links]
    return slots.env_comment(slot, host, links, lang)


@dataclass(frozen=True)
class Outcome(Lines):
    """What a branch action did (``done``/``skipped``/``failed``) and why; exit 0 as codexctl."""

    branch: str
    action: str
    reason: str
    issue: int = 0

    def values(self) -> dict[str, Value]:
        found: dict[str, Value] = {"branch": self.branch, "action": self.action}
        if self.issue:
            found["issue"] = self.issue
        found["reason"] = self.reason
        return found


def outcome(branch: str, done: github.Outcome, progress: Reporter) -> Outcome:
    """The flow result of a branch rule's outcome; a skip is also a warning."""
    if not done.done:
        progress.warn(f"{branch}: skipped: {done.reason}")
    else:
        progress.info(done.reason)
    return Outcome(branch, done.action, done.reason, done.issue)


def soft(branch: str, error: CodexstackError, progress: Reporter) -> Outcome:
    """A GitHub failure codexctl only warns about (exit 0)."""
    progress.warn(f"{branch}: {error}")
    return Outcome(branch, "failed", str(error))


def guarded(branch: str, action: Callable[[], github.Outcome], progress: Reporter) -> Outcome:
    """Run a branch action; a GitHub failure becomes a warning and a ``failed`` outcome."""
    try:
        return outcome(branch, action(), progress)
    except CodexstackError as exc:
        return soft(branch, exc, progress)


@dataclass(frozen=True)
class Cleanup:
    """The slots cleaned (one row per slot, with its env) and the GitHub actions taken."""

    slots: tuple[dict[str, Any], ...]
    actions: tuple[Outcome, ...] = ()
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return {"slots": list(self.slots), "github": [a.values() for a in self.actions]}

    def text(self) -> str:
        rows = "".join(f"slot {r['slot']} ({r['namespace']}): {r['outcome']}\n" for r in self.slots)
        acts = "".join(f"{a.branch}: {a.action} ({a.reason})\n" for a in self.actions)
        return (rows or "no slot to clean up\n") + acts


def clean_slots(
    requests: list[cleanup.Request], progress: Reporter
) -> tuple[tuple[dict[str, Any], ...], int]:
    """Run the cleanup flow per env; an env other than ``ai`` that is not defined is skipped."""
    rows: list[dict[str, Any]] = []
    codes: set[int] = set()
    for request in requests:
        env = request.target.env
        try:
            result = cleanup.run(request, progress)
        except ConfigError as exc:
            if env == SLOT_ENV_DEFAULT:
                raise
            progress.warn(f"env {env}: skipped ({exc})")
            continue
        rows += [{"env": env, **row} for row in result.data("json")]
        codes.add(result.exit_code)
    worst = next((c for c in (ExitCode.FAILURE, ExitCode.TEMPORARY) if c in codes), ExitCode.OK)
    return tuple(rows), int(worst)

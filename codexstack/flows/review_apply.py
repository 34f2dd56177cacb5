"""``pr review-apply``: commit the agent's review changes in the slot's tree and push them.

The tree is where the slot's sources are: ``<code-root-base>/<slot>/src`` (env ``ai``),
``<code-root-base>/ai-staging/src`` (env ``ai-repair``), or ``--workdir`` (e.g. where the
runner mounts the slot's PVC). What is staged is configurable (default codexctl's ``-u`` plus
``docs proto services libs``); the commit message is codexctl's. Refusals (default or
protected branch, fork head, metacharacters) come before any write to GitHub and any push.
The environment comment is posted (sticky, edited in place) only when something was pushed,
not on every run as in codexctl (D-REVIEW-APPLY).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from codexstack import github, slots
from codexstack.errors import UsageError
from codexstack.flows._github import SLOT_ENV_DEFAULT, connect, env_comment
from codexstack.flows.ci import CiOutputs, Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Lines
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """PR, slot (in ``target``), where the tree is, what to stage, who commits."""

    target: Target
    pr: int
    code_root_base: Path | None = None
    workdir: Path | None = None
    stage: str = ""
    """``git add`` list, comma or space separated (blank: codexctl's set)."""
    lang: str = "en"
    branch: str | None = None
    author_name: str = "codex-bot"
    author_email: str = "codex-bot@codex-k8s.local"
    comment: bool = True
    repo: str | None = None
    ci: CiOutputs = field(default_factory=CiOutputs)


@dataclass(frozen=True)
class Result(Lines):
    """Whether a commit was pushed to the PR's head branch, and the comment posted."""

    pr: int
    branch: str
    pushed: bool
    commit: str = ""
    comment: str = ""

    def values(self) -> dict[str, Value]:
        found: dict[str, Value] = {"pr": self.pr, "branch": self.branch, "pushed": self.pushed}
        if self.commit:
            found["commit"] = self.commit
        if self.comment:
            found["comment"] = self.comment
        return found


def workdir(request: Request, slot: int) -> Path:
    """The tree to commit in."""
    if request.workdir is not None:
        return request.workdir
    if request.code_root_base is None:
        raise UsageError(
            "--code-root-base is required (or CODEXCTL_CODE_ROOT_BASE), or give --workdir"
        )
    return slots.workspace_target(request.code_root_base, request.target.env, slot)


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Check locally, read the PR, refuse or stage/commit/push, then comment if pushed."""
    target = request.target.with_env(SLOT_ENV_DEFAULT)
    request = replace(request, target=target)
    slot = target.required_slot()
    if request.pr <= 0:
        raise UsageError("--pr is required and must be > 0 (or CODEXCTL_PR_NUMBER)")
    push = github.ReviewPush(
        pr=request.pr,
        workdir=workdir(request, slot),
        stage=github.parse_stage(request.stage),
        author_name=request.author_name,
        author_email=request.author_email,
        branch=request.branch or None,
    )
    github.check_review_local(push)
    # services.yaml is read before any network call: a broken file must not follow a push.
    body = env_comment(target, slot, request.lang, progress) if request.comment else ""
    gh = connect(request.repo, progress)
    done = github.push_review(gh, push, progress.warn)
    if not done.pushed:
        progress.info(f"PR #{request.pr}: nothing staged in {push.workdir}; nothing pushed")
        result = Result(request.pr, done.branch, pushed=False)
    else:
        progress.info(f"pushed {done.commit[:12]} to {done.branch} (PR #{request.pr})")
        url = github.upsert_sticky(gh, request.pr, body).url if body else ""
        result = Result(request.pr, done.branch, True, done.commit, url)
    request.ci.write(result.values())
    return result

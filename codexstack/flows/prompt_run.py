"""``prompt run``: render the prompt and config.toml, then run the Codex agent in the slot's pod.

Everything that can be checked without the cluster is checked first (D-KIND-LATE): kind,
language, ``--template``, model and effort, the rendered config.toml (parsed back) and the
rendered prompt. Then, in the agent's pod (``deploy/<codex.agentService|codex>``) through the
Kubernetes exec API: wait for the rollout (``codex.timeouts.rollout``), install the config,
set the git identity, log ``gh`` and ``codex`` in from the pod's own Secrets, and run the pinned
``codex exec --json`` with the prompt on stdin, under ``codex.timeouts.exec``. Events stream to
``request.events`` (the CLI's stdout) as they come; the human summary (duration, turns, tokens)
goes to the reporter and ``$GITHUB_STEP_SUMMARY``. The agent's exit status becomes the result's.
``--infra-unhealthy`` is prompt context only (D-SOFTFAIL); ``soft_fail`` alone turns a failure
into exit 0 with a warning. ``--resume`` continues the session whose id the last run stored on
the workspace (or ``session_id``), never ``resume --last``. A set ``cancel`` event (Ctrl-C,
SIGTERM) stops the remote agent and ends with exit 130.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from codexstack import agent, github, kube
from codexstack.errors import ConfigError, DeployError, ExitCode, Interrupted, Location
from codexstack.flows import _registry, _target
from codexstack.flows.ci import CiOutputs, Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target

_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$")
Sink = Callable[[bytes], None]


@dataclass(frozen=True)
class GitHubContext:
    """What GitHub says about the issue/PR: labels and the comments of trusted authors."""

    labels: tuple[str, ...] = ()
    issue_comments: tuple[agent.Comment, ...] = ()
    review_comments: tuple[agent.Comment, ...] = ()
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Request:
    """One agent run."""

    target: Target
    kind: str = ""
    lang: str = ""
    template: str = ""
    issue: int = 0
    pr: int = 0
    resume: bool = False
    session_id: str = ""
    """Explicit session to resume (default: the one stored on the workspace)."""
    infra_unhealthy: bool = False
    soft_fail: bool = False
    model: str = ""
    effort: str = ""
    github: GitHubContext | None = None
    """GitHub context; None reads it from GitHub for env ``ai`` when a token is set."""
    kubeconfig: str | None = None
    events: Sink = field(default=lambda _b: None)
    cancel: threading.Event | None = None
    environ: Mapping[str, str] | None = None
    ci: CiOutputs = field(default_factory=CiOutputs)


@dataclass(frozen=True)
class Result:
    """How the run ended and what it did."""

    exit_code: int
    namespace: str
    pod: str
    kind: str
    lang: str
    model: str
    effort: str
    session_id: str
    duration_s: float
    turns: int
    tokens: Mapping[str, int]
    agent_exit: int
    soft_failed: bool = False

    def values(self) -> dict[str, Value]:
        """Flat values for ``--output json|kv`` and the summary table."""
        out: dict[str, Value] = {
            "exit_code": self.agent_exit,
            "namespace": self.namespace,
            "pod": self.pod,
            "kind": self.kind,
            "lang": self.lang,
            "model": self.model,
            "reasoning_effort": self.effort,
            "session_id": self.session_id,
            "duration_s": f"{self.duration_s:.1f}",
            "turns": self.turns,
        }
        out.update(self.tokens)
        return out

    def data(self, fmt: str) -> dict[str, Any]:
        del fmt
        return dict(self.values())

    def text(self) -> str:
        """Nothing: stdout carries the agent's events; the summary went to the reporter."""
        return ""


def summary_text(result: Result) -> str:
    """One paragraph for people: what ran, how long, turns and tokens, how it ended."""
    tokens = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.tokens.items() if v)
    ended = "succeeded" if result.agent_exit == 0 else f"failed with exit {result.agent_exit}"
    if result.soft_failed:
        ended += " (soft-fail: exit 0)"
    parts = [
        f"agent {result.kind} ({result.lang}, {result.model}/{result.effort}) in"
        f" {result.namespace}/{result.pod} {ended} after {result.duration_s:.1f} s",
        f"{result.turns} turn{'s' if result.turns != 1 else ''}",
    ]
    if tokens:
        parts.append(tokens)
    if result.session_id:
        parts.append(f"session {result.session_id}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Prepared:
    """Everything rendered and checked before the cluster is touched."""

    loaded: Any
    kind: str
    prompt: agent.RenderedPrompt
    config: agent.RenderedConfig
    choice: agent.ModelChoice
    version: str
    service: str
    scrub: agent.Scrubber


def _cli_version(loaded: Any) -> str:
    version = loaded.model.codex.cli_version.strip() or agent.CODEX_CLI_VERSION
    if not _VERSION.match(version):
        raise ConfigError(
            f"codex.cliVersion {version!r} is not an exact version (x.y.z)",
            location=Location(key="codex.cliVersion"),
        )
    return version


def _agent_comment(comment: Any, issue: int, pr: int) -> agent.Comment:
    review = comment.kind == "review"
    return agent.Comment(
        author=comment.author,
        body=comment.body,
        id=comment.id,
        url=comment.url,
        created_at=comment.created_at,
        issue_number=0 if review else issue,
        pr_number=pr if review else 0,
        thread_id=comment.path if review else "",
    )


def read_github(
    env: str, issue: int, pr: int, environ: Mapping[str, str], progress: Reporter
) -> GitHubContext:
    """Labels and trusted comments of the issue/PR (env ``ai`` with a token; else nothing)."""
    if env != "ai" or not (issue or pr):
        return GitHubContext()
    if not github.find_token(environ) or not github.find_repo(None, environ):
        progress.warn(
            "no GitHub token or repository: the prompt carries no comments and no label"
            " picks the model"
        )
        return GitHubContext()
    gh = github.GitHub(github.resolve_access(None, environ), progress.info)
    if issue:
        labels = gh.call(
            lambda: tuple(x.name for x in gh.repo.get_issue(issue).labels),
            f"read the labels of issue #{issue}",
        )
    else:
        labels = github.get_pull(gh, pr).labels
    trusted = github.trusted_comments(
        gh, github.TrustPolicy.from_env(environ), issue=issue or None, pr=pr or None
    )
    comments = [_agent_comment(c, issue, pr) for c in trusted.comments]
    excluded = tuple(
        f"{e.comment.kind} comment {e.comment.url or e.comment.id}: {e.reason}"
        for e in trusted.excluded
    )
    return GitHubContext(
        labels=tuple(labels),
        issue_comments=tuple(c for c in comments if not c.is_review),
        review_comments=tuple(c for c in comments if c.is_review),
        excluded=excluded,
    )


def prepare(request: Request, progress: Reporter) -> Prepared:
    """Validate and render everything; no cluster call (D-KIND-LATE)."""
    environ = dict(os.environ if request.environ is None else request.environ)
    kind = agent.check_kind(request.kind)
    if request.template.strip() == "" and request.kind.strip() == "":
        kind = agent.check_kind("")
    target = request.target.with_env("ai")
    slot = target.required_slot() if target.env == "ai" else target.slot
    spec = agent.run_vars_spec(
        target.vars,
        slot=slot,
        issue=request.issue,
        pr=request.pr,
        infra_unhealthy=request.infra_unhealthy,
        process_env=environ,
    )
    loaded = _target.load(Target(**{**target.__dict__, "vars": spec}), progress)
    loaded.environment()  # the env must exist (codexctl checks it for prompt run)
    if not loaded.namespace:
        raise ConfigError(
            f"env {loaded.env!r} resolves to no namespace",
            hint="pass --namespace or add namespace.patterns for it",
        )
    codex = loaded.model.codex
    lang = agent.choose_lang(request.lang, environ, loaded.context.env_map, codex.prompt_lang)
    context = request.github
    if context is None:
        context = read_github(loaded.env, request.issue, request.pr, environ, progress)
    choice = agent.choose_model(
        flag_model=request.model,
        flag_effort=request.effort,
        labels=context.labels,
        env_map=loaded.context.env_map,
        file_model=codex.model,
        file_effort=codex.model_reasoning_effort,
        allowed_models=codex.allowed_models,
        allowed_efforts=codex.allowed_reasoning_efforts,
    )
    for warning in choice.warnings:
        progress.warn(warning)
    config = agent.render_config(loaded, choice)
    scrub = agent.Scrubber.from_env(environ, loaded.context.env_map, extra=config.secret_values)
    # Trust was decided by the GitHub layer; here every kept text is cleaned and capped.
    issue_sel = agent.select_trusted(context.issue_comments, lambda _author: True)
    review_sel = agent.select_trusted(context.review_comments, lambda _author: True)
    for dropped in (issue_sel.dropped_for_size, review_sel.dropped_for_size):
        if dropped:
            progress.info(f"left out of the prompt: {dropped} older comments over the size cap")
    inputs = agent.PromptInputs(
        kind, lang, request.template, request.resume, issue_sel.kept, review_sel.kept
    )
    prompt = agent.render_prompt(loaded, inputs, choice, scrub)
    for warning in prompt.warnings:
        progress.warn(warning)
    for note in context.excluded:
        progress.info(f"left out of the prompt: {note}")
    progress.info(
        f"prompt {kind}/{prompt.lang} ({prompt.mode.mode}): {prompt.size} bytes,"
        f" sha256 {prompt.digest[:16]}; config.toml {len(config.text.encode())} bytes"
    )
    service = codex.agent_service.strip() or "codex"
    return Prepared(loaded, kind, prompt, config, choice, _cli_version(loaded), service, scrub)


class _Lines:
    """Split a byte stream into lines for the reporter, scrubbed of secrets."""

    def __init__(self, emit: Callable[[str], None], scrub: agent.Scrubber) -> None:
        self.emit, self.scrub, self.partial = emit, scrub, b""
        self.lines: list[str] = []

    def __call__(self, chunk: bytes) -> None:
        *done, self.partial = (self.partial + chunk).split(b"\n")
        for raw in done:
            self._line(raw)

    def _line(self, raw: bytes) -> None:
        text = self.scrub(raw.decode("utf-8", errors="replace").rstrip("\r"))
        self.lines.append(text)
        self.emit(text)

    def close(self) -> None:
        if self.partial:
            self._line(self.partial)
            self.partial = b""


@dataclass
class _Pod:
    """Exec into one pod, with the run's deadline and cancel event."""

    endpoint: kube.Endpoint
    where: agent.AgentPod
    deadline: float
    cancel: threading.Event | None

    def exec(
        self,
        argv: list[str],
        *,
        stdin: bytes | None = None,
        on_stdout: Sink | None = None,
        on_stderr: Sink | None = None,
    ) -> kube.ExecResult:
        return kube.exec_pod(
            self.endpoint,
            self.where.namespace,
            self.where.pod,
            argv,
            container=self.where.container or None,
            stdin=stdin,
            on_stdout=on_stdout,
            on_stderr=on_stderr,
            timeout=max(1.0, self.deadline - time.monotonic()),
            cancel=self.cancel,
        )

    def stop_agent(self, progress: Reporter) -> None:
        """Stop the remote agent (closing a stream does not kill it on a real kubelet)."""
        try:
            kube.exec_pod(
                self.endpoint,
                self.where.namespace,
                self.where.pod,
                agent.podscript.stop(),
                container=self.where.container or None,
                timeout=30.0,
            )
            progress.info("stopped the agent in the pod")
        except kube.KubeError as exc:
            progress.warn(f"could not stop the agent in the pod: {exc.message}")


def _setup(pod: _Pod, prepared: Prepared, environ: Mapping[str, str], progress: Reporter) -> None:
    def step(line: str) -> None:
        if line.startswith(agent.podscript.STEP_PREFIX):
            text = line.removeprefix(agent.podscript.STEP_PREFIX).strip()
            (progress.warn if " warn" in text or "failed" in text else progress.info)(
                f"pod: {text}"
            )

    config = prepared.config.text.encode()
    name = environ.get("CODEXCTL_GH_USERNAME", "").strip() or "codex-bot"
    email = environ.get("CODEXCTL_GH_EMAIL", "").strip() or "codex-bot@codex-k8s.local"
    lines = _Lines(step, prepared.scrub)
    result = pod.exec(
        agent.podscript.prepare(len(config), prepared.version, name, email),
        stdin=config,
        on_stderr=lines,
    )
    lines.close()
    if result.exit_code != 0:
        raise DeployError(
            f"setting the agent up in the pod failed (exit {result.exit_code}):"
            f" {result.message or '; '.join(lines.lines[-3:])}"
        )


def _session_to_resume(pod: _Pod, request: Request) -> str:
    if request.session_id.strip():
        candidate = request.session_id.strip()
    else:
        out: list[bytes] = []
        found = pod.exec(agent.podscript.read_session(), on_stdout=out.append)
        candidate = b"".join(out).decode(errors="replace").strip()
        if found.exit_code != 0 or not candidate:
            raise DeployError(
                "--resume: no session stored on the slot's workspace",
                hint="run prompt run without --resume first, or pass --session-id",
            )
    if not agent.SESSION_ID.match(candidate):
        raise ConfigError(
            f"invalid session id {candidate!r}", location=Location(key="--session-id")
        )
    return candidate


def _client(prepared: Prepared, request: Request) -> kube.Client:
    environment = prepared.loaded.environment()
    configured = request.kubeconfig or environment.kubeconfig
    path = _registry.kubeconfig_path(configured)
    if path is None:
        return kube.Client(kube.Endpoint.in_cluster())
    return kube.Client.from_kubeconfig(path, environment.context or None)


def _finish(
    request: Request,
    prepared: Prepared,
    pod: agent.AgentPod,
    *,
    agent_exit: int,
    tally: agent.EventTally,
    started: float,
    progress: Reporter,
) -> Result:
    soft = agent_exit != 0 and request.soft_fail
    result = Result(
        exit_code=0 if agent_exit == 0 or soft else (agent_exit if agent_exit > 0 else 1),
        namespace=pod.namespace,
        pod=pod.pod,
        kind=prepared.kind,
        lang=prepared.prompt.lang,
        model=prepared.choice.model.value,
        effort=prepared.choice.effort.value,
        session_id=tally.session_id,
        duration_s=time.monotonic() - started,
        turns=tally.turns,
        tokens=dict(tally.tokens) if tally.has_usage else {},
        agent_exit=agent_exit,
        soft_failed=soft,
    )
    if soft:
        progress.warn(f"the agent failed (exit {agent_exit}); --soft-fail keeps exit 0")
    progress.info(summary_text(result))
    request.ci.summary_table("codexstack prompt run", result.values())
    return result


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Validate and render, then run the agent in the slot's pod; see the module docstring."""
    environ = dict(os.environ if request.environ is None else request.environ)
    prepared = prepare(request, progress)
    codex = prepared.loaded.model.codex
    started = time.monotonic()
    client = _client(prepared, request)
    namespace = prepared.loaded.namespace
    deployment = agent.wait_rollout(
        client, namespace, prepared.service, codex.timeouts.rollout_seconds, progress.info
    )
    where = agent.pick_pod(client, namespace, deployment)
    pod = _Pod(client.endpoint, where, started + codex.timeouts.exec_seconds, request.cancel)
    progress.info(f"agent pod {namespace}/{where.pod} (container {where.container})")
    tally = agent.EventTally()
    try:
        _setup(pod, prepared, environ, progress)
        resume_id = _session_to_resume(pod, request) if request.resume else ""
        prompt = prepared.prompt.text.encode()
        args = agent.podscript.codex_exec_args(
            model=prepared.choice.model.value,
            effort=prepared.choice.effort.value,
            resume_id=resume_id,
        )

        def events(chunk: bytes) -> None:
            request.events(chunk)
            tally.feed(chunk)

        stderr = _Lines(
            lambda line: progress.info(
                f"pod: {line.removeprefix(agent.podscript.STEP_PREFIX).strip()}"
                if line.startswith(agent.podscript.STEP_PREFIX)
                else f"agent: {line}"
            ),
            prepared.scrub,
        )
        ran = pod.exec(
            agent.podscript.run(len(prompt), prepared.version, args),
            stdin=prompt,
            on_stdout=events,
            on_stderr=stderr,
        )
        stderr.close()
        tally.close()
    except kube.ExecCancelled:
        pod.stop_agent(progress)
        raise Interrupted("prompt run interrupted; the agent in the pod was stopped") from None
    except kube.ExecTimeout:
        pod.stop_agent(progress)
        failure = DeployError(
            f"the agent ran past codex.timeouts.exec"
            f" ({codex.timeouts.exec_seconds:.0f} s) and was stopped"
        )
        if not request.soft_fail:
            raise failure from None
        progress.warn(f"{failure.message}; --soft-fail keeps exit 0")
        return _finish(
            request,
            prepared,
            where,
            agent_exit=ExitCode.FAILURE,
            tally=tally,
            started=started,
            progress=progress,
        )
    if tally.session_id:
        pod.exec(agent.podscript.save_session(tally.session_id))
    return _finish(
        request,
        prepared,
        where,
        agent_exit=ran.exit_code,
        tally=tally,
        started=started,
        progress=progress,
    )

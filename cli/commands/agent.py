"""``prompt run``: the Codex agent in the slot's pod, with codexctl's flags and variables.

Flags fall back to ``CODEXSTACK_<NAME>``, then ``CODEXCTL_<NAME>`` (``--kind`` →
``CODEXCTL_KIND``, ``--resume`` → ``CODEXCTL_RESUME``, …). ``--model`` and
``--reasoning-effort`` have no variable of their own: ``CODEXCTL_MODEL`` and
``CODEXCTL_MODEL_REASONING_EFFORT`` rank below issue labels in the model precedence (D-MODEL).
stdout carries the agent's JSONL events only (``-o json|kv`` adds the run's summary as the
last line); the human summary goes to stderr and ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from cli import output as out
from cli.options import IssueOpt, PrOpt, current, flag, opt
from codexstack import flows

Text = Annotated[str, typer.Option()]


@contextmanager
def _cancel_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGINT/SIGTERM while the block runs (the flow stops the remote agent)."""
    cancel = threading.Event()
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda _s, _f: cancel.set())
    try:
        yield cancel
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _events(chunk: bytes) -> None:
    sys.stdout.buffer.write(chunk)
    sys.stdout.buffer.flush()


def prompt_run(
    ctx: typer.Context,
    *,
    issue: IssueOpt = None,
    pr: PrOpt = None,
    kind: Annotated[
        str,
        opt(
            "--kind",
            env="KIND",
            help="dev_issue (default), dev_review, plan_issue, plan_review, ai-repair_issue"
            " or ai-repair_review.",
        ),
    ] = "",
    template: Annotated[
        str,
        opt(
            "--template",
            env="TEMPLATE",
            help="Prompt template file (relative to services.yaml) instead of the built-in.",
        ),
    ] = "",
    lang: Annotated[
        str,
        opt("--lang", env="LANG", help="Prompt language: en or ru (missing ones fall back to en)."),
    ] = "",
    resume: Annotated[
        bool,
        flag(
            "--resume",
            env="RESUME",
            help="Continue the session the last run stored on the slot's workspace.",
        ),
    ] = False,
    session_id: Annotated[
        str,
        opt(
            "--session-id",
            env="SESSION_ID",
            help="Resume this session id instead of the stored one.",
        ),
    ] = "",
    infra_unhealthy: Annotated[
        bool,
        flag(
            "--infra-unhealthy",
            env="INFRA_UNHEALTHY",
            help="Tell the agent the slot is not healthy (prompt context only).",
        ),
    ] = False,
    soft_fail: Annotated[
        bool,
        flag(
            "--soft-fail",
            env="PROMPT_SOFT_FAIL",
            help="Exit 0 even when the agent fails (a warning says so).",
        ),
    ] = False,
    model: Annotated[
        str, typer.Option("--model", help="Model; beats labels, CODEXCTL_MODEL and codex.model.")
    ] = "",
    reasoning_effort: Annotated[
        str,
        typer.Option(
            "--reasoning-effort",
            help="low, medium, high or xhigh; beats labels and CODEXCTL_MODEL_REASONING_EFFORT.",
        ),
    ] = "",
) -> int:
    """Run the Codex agent in the slot's agent pod with the rendered prompt and config.toml.

    Validates and renders everything first; then waits for deploy/codex, installs the config,
    sets the git identity, logs gh and codex in from the pod's Secrets and runs the pinned
    `codex exec --json` with the prompt on stdin. The agent's exit status is ours.
    """
    opts = current(ctx)
    with _cancel_on_signals() as cancel:
        request = flows.prompt_run.Request(
            opts.target,
            kind=kind,
            lang=lang,
            template=template,
            issue=issue or 0,
            pr=pr or 0,
            resume=resume,
            session_id=session_id,
            infra_unhealthy=infra_unhealthy,
            soft_fail=soft_fail,
            model=model,
            effort=reasoning_effort,
            events=_events,
            cancel=cancel,
            ci=flows.CiOutputs.from_environ(),
        )
        result = flows.prompt_run.run(request, flows.StderrReporter())
    return out.finish(result, opts.fmt)

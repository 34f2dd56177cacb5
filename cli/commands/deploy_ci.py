"""``ci apply``: codexctl's CI apply with retries, backoff and ``CODEXCTL_*`` fallbacks (§12).

codexctl's shipped workflows pass every option through ``CODEXCTL_*`` variables, never flags,
so each option here reads its variable when the flag is absent (``CODEXSTACK_*`` first) and
parses it strictly as codexctl does: booleans ``1 t T TRUE true True 0 f F FALSE false
False``, Go durations, integers; a malformed value fails the command (exit 1). The wait
timeout is the per-object readiness budget, the request timeout the API client's.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from cli.commands import deploy_io as io
from cli.options import GlobalOptions, with_globals
from codexstack.errors import CodexstackError

TRUE = {"1", "t", "T", "TRUE", "true", "True"}
FALSE = {"0", "f", "F", "FALSE", "false", "False"}


def _env(name: str) -> str | None:
    for var in (f"CODEXSTACK_{name}", f"CODEXCTL_{name}"):
        value = os.environ.get(var, "").strip()
        if value:
            return value
    return None


def _bool(flag: bool | None, name: str, default: bool) -> bool:
    if flag is not None:
        return flag
    value = _env(name)
    if value is None:
        return default
    if value in TRUE | FALSE:
        return value in TRUE
    raise CodexstackError(f"CODEXCTL_{name}: invalid boolean {value!r}")


def _int(flag: int | None, name: str, default: int) -> int:
    if flag is not None:
        return flag
    value = _env(name)
    try:
        return default if value is None else int(value)
    except ValueError:
        raise CodexstackError(f"CODEXCTL_{name}: invalid integer {value!r}") from None


def _seconds(flag: str | None, name: str, default: str) -> float:
    value = flag if flag is not None else (_env(name) or default)
    try:
        return io.duration(value, f"CODEXCTL_{name}") or 0.0
    except CodexstackError as exc:
        raise CodexstackError(exc.message) from None


def _names(flag: str | None, name: str) -> str | None:
    return flag if flag is not None else _env(name)


def _opt(flag: str, help_: str) -> Any:
    return typer.Option(flag, help=help_, show_default=False)


Flag = Annotated[bool | None, _opt("--preflight/--no-preflight", "Checks first [PREFLIGHT].")]
WaitFlag = Annotated[bool | None, _opt("--wait/--no-wait", "Await readiness [WAIT].")]
ApplyRetries = Annotated[int | None, _opt("--apply-retries", "Total apply attempts (3).")]
WaitRetries = Annotated[int | None, _opt("--wait-retries", "Total readiness attempts (3).")]
ApplyBackoff = Annotated[str | None, _opt("--apply-backoff", "First apply backoff (5s).")]
WaitBackoff = Annotated[str | None, _opt("--wait-backoff", "First wait backoff (5s).")]
WaitTimeout = Annotated[str | None, _opt("--wait-timeout", "Readiness budget (600s).")]
RequestTimeout = Annotated[str | None, _opt("--request-timeout", "API request timeout (600s).")]
Names = Annotated[str | None, typer.Option(help="Comma list of names.", show_default=False)]


@with_globals
def ci_apply(
    opts: GlobalOptions,
    *,
    preflight: Flag = None,
    wait: WaitFlag = None,
    apply_retries: ApplyRetries = None,
    wait_retries: WaitRetries = None,
    apply_backoff: ApplyBackoff = None,
    wait_backoff: WaitBackoff = None,
    wait_timeout: WaitTimeout = None,
    request_timeout: RequestTimeout = None,
    only_services: Names = None,
    skip_services: Names = None,
    only_infra: Names = None,
    skip_infra: Names = None,
) -> int:
    """Apply in CI: retried with backoff, every option also from its CODEXCTL_* variable."""
    from codexstack.deploy.retry import RetryPolicy, apply_with_retries  # noqa: PLC0415

    policy = RetryPolicy(
        apply_attempts=max(1, _int(apply_retries, "APPLY_RETRIES", 3)),
        apply_backoff_s=_seconds(apply_backoff, "APPLY_BACKOFF", "5s"),
        wait_attempts=max(1, _int(wait_retries, "WAIT_RETRIES", 3)),
        wait_backoff_s=_seconds(wait_backoff, "WAIT_BACKOFF", "5s"),
    )
    filters = (
        _names(only_services, "ONLY_SERVICES"),
        _names(skip_services, "SKIP_SERVICES"),
        _names(only_infra, "ONLY_INFRA"),
        _names(skip_infra, "SKIP_INFRA"),
    )
    do_wait = _bool(wait, "WAIT", False)
    do_preflight = _bool(preflight, "PREFLIGHT", False)
    budget = _seconds(wait_timeout, "WAIT_TIMEOUT", "600s")
    api_timeout = _seconds(request_timeout, "REQUEST_TIMEOUT", "600s")
    job = io.Job.create(opts, filters, None, None)
    if do_preflight:
        job.preflight()
    request = job.request(
        wait=do_wait, wait_timeout=budget, hooks=True, request_timeout=api_timeout
    )
    return job.finish(apply_with_retries(request, policy))

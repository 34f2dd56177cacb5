"""``ci apply``: codexctl's CI apply with retries, backoff and ``CODEXCTL_*`` fallbacks (§12).

codexctl's shipped workflows pass every option through ``CODEXCTL_*`` variables, never flags,
so each option reads its variable when the flag is absent (``CODEXSTACK_*`` first), parsed as
codexctl parses it: booleans ``1 t T TRUE true True 0 f F FALSE false False``, Go durations,
integers; a malformed variable fails the command (exit 1). The wait timeout is the per-object
readiness budget, the request timeout the API client's.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli import output as out
from cli.options import current, duration, flag, go_int, opt
from codexstack import flows


def _names(flag_: str, env: str) -> object:
    return opt(flag_, env=env, help="Comma list of names.", show_default=False)


def _count(flag_: str, env: str, help: str) -> object:
    return opt(flag_, env=env, parser=go_int, help=help)


Preflight = Annotated[
    bool, flag("--preflight/--no-preflight", env="PREFLIGHT", help="Checks first.")
]
Wait = Annotated[bool, flag("--wait/--no-wait", env="WAIT", help="Await readiness.")]
ApplyRetries = Annotated[int, _count("--apply-retries", "APPLY_RETRIES", "Total apply attempts.")]
WaitRetries = Annotated[int, _count("--wait-retries", "WAIT_RETRIES", "Total readiness attempts.")]
ApplyBackoff = Annotated[
    float, duration("--apply-backoff", env="APPLY_BACKOFF", default="5s", help="First backoff.")
]
WaitBackoff = Annotated[
    float, duration("--wait-backoff", env="WAIT_BACKOFF", default="5s", help="First backoff.")
]
WaitTimeout = Annotated[
    float, duration("--wait-timeout", env="WAIT_TIMEOUT", default="600s", help="Readiness budget.")
]
RequestTimeout = Annotated[
    float,
    duration("--request-timeout", env="REQUEST_TIMEOUT", default="600s", help="API timeout."),
]
OnlyServices = Annotated[str | None, _names("--only-services", "ONLY_SERVICES")]
SkipServices = Annotated[str | None, _names("--skip-services", "SKIP_SERVICES")]
OnlyInfra = Annotated[str | None, _names("--only-infra", "ONLY_INFRA")]
SkipInfra = Annotated[str | None, _names("--skip-infra", "SKIP_INFRA")]


def ci_apply(
    ctx: typer.Context,
    *,
    preflight: Preflight = False,
    wait: Wait = False,
    apply_retries: ApplyRetries = 3,
    wait_retries: WaitRetries = 3,
    apply_backoff: ApplyBackoff = 5.0,
    wait_backoff: WaitBackoff = 5.0,
    wait_timeout: WaitTimeout = 600.0,
    request_timeout: RequestTimeout = 600.0,
    only_services: OnlyServices = None,
    skip_services: SkipServices = None,
    only_infra: OnlyInfra = None,
    skip_infra: SkipInfra = None,
) -> int:
    """Apply in CI: retried with backoff, every option also from its CODEXCTL_* variable."""
    opts = current(ctx)
    request = flows.ci_apply.Request(
        opts.target,
        filters=(only_services, skip_services, only_infra, skip_infra),
        preflight=preflight,
        wait=wait,
        apply_retries=apply_retries,
        wait_retries=wait_retries,
        apply_backoff=apply_backoff,
        wait_backoff=wait_backoff,
        wait_timeout=wait_timeout,
        request_timeout=request_timeout,
        ci=flows.CiOutputs.from_environ(),
    )
    return out.finish(flows.ci_apply.run(request, flows.StderrReporter()), opts.fmt)

"""What the slot commands share: the loaded config, the registry, the cluster and the engine.

:func:`open_context` loads services.yaml for the env (default ``ai``), picks the registry
(``--registry`` / ``CODEXSTACK_SLOTS_REGISTRY``, else services.yaml ``state.backend``:
``sqlite``, the offline default, or ``lease`` on the cluster, which codexctl's ``configmap``
means too) and the cluster the env deploys to (the env's kubeconfig, else
``$KUBECONFIG``, else ``~/.kube/config``). The engine steps (apply and destroy of stack
``ai-<slot>``) reuse the deploy commands' :class:`~cli.commands.deploy_io.Job` (engine, hooks,
progress), because only the CLI layer may join the slot registry and the deploy layer; both
are imported lazily so ``--help`` stays instant.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli import output as out
from cli.options import GlobalOptions, merged
from cli.output import OutputFormat
from codexstack import flows
from codexstack.errors import CodexstackError, UsageError

if TYPE_CHECKING:
    from codexstack.config.load import LoadedConfig
    from codexstack.kube import Client
    from codexstack.slots import Claim, Slots
    from codexstack.slots.ready import ReadySteps


@dataclass
class SlotContext:
    opts: GlobalOptions
    env: str
    loaded: LoadedConfig
    slots: Slots
    api: Client | None

    @property
    def project(self) -> str:
        return self.loaded.project

    def namespace_for(self, slot: int) -> str:
        return self.loaded.namespace_for(self.env, slot)


def open_context(
    opts: GlobalOptions,
    *,
    registry: str | None = None,
    registry_namespace: str | None = None,
    require_env: bool = True,
) -> SlotContext:
    """Load the config for ``opts.env`` (default ``ai``) and open the slot registry."""
    from codexstack.config.load import load_config  # noqa: PLC0415 (lazy: keeps --help fast)
    from codexstack.kube import Client  # noqa: PLC0415
    from codexstack.slots.backends import RegistrySettings, open_slots  # noqa: PLC0415

    env = opts.env or "ai"
    loaded = load_config(
        opts.config_path,
        env=env,
        vars=opts.vars,
        var_file=str(opts.var_file) if opts.var_file else None,
    )
    environment = loaded.environment(required=require_env)
    kubeconfig = _kubeconfig(environment.kubeconfig)
    state = loaded.model.state
    settings = RegistrySettings(
        backend=registry or state.backend or "sqlite",
        project_root=loaded.root,
        kubeconfig=kubeconfig,
        context=environment.context or None,
        namespace=registry_namespace or state.configmap_namespace or None,
        codexctl_namespace=state.configmap_namespace or None,
        codexctl_prefix=state.prefix,
    )
    slots = open_slots(settings)
    api = Client.from_kubeconfig(kubeconfig, environment.context or None) if kubeconfig else None
    return SlotContext(opts, env, loaded, slots, api)


def _kubeconfig(configured: str) -> Path | None:
    if configured:
        return Path(os.path.expanduser(configured))
    listed = os.environ.get("KUBECONFIG", "")
    if listed.strip():
        return Path(listed.split(os.pathsep)[0])
    default = Path.home() / ".kube" / "config"
    return default if default.is_file() else None


def capacity(flag: int | None, loaded: LoadedConfig) -> int:
    """``--max`` / ``CODEXCTL_DEV_SLOTS_MAX``, else ``maxSlots``, else codexctl's 0 (10000)."""
    return flag if flag else loaded.model.max_slots


def _deploy_request(ctx: SlotContext, claim: Claim, lock_wait: float) -> Any:
    """The deploy CLI's request for the slot's stack (same engine, hooks and progress)."""
    from cli.commands.deploy_io import Job  # noqa: PLC0415

    opts = ctx.opts.merge(env=claim.env, slot=claim.slot, namespace=claim.namespace)
    job = Job.create(opts, (None, None, None, None), None, None, issue=claim.issue, pr=claim.pr)
    return job.request(hooks=True, lock_wait_s=lock_wait)


def provision(ctx: SlotContext, lock_wait: float, claim: Claim) -> None:
    """Apply stack ``ai-<slot>`` (no readiness await: the wait is its own step)."""
    from codexstack.deploy.operations import apply  # noqa: PLC0415

    apply(_deploy_request(ctx, claim, lock_wait))


def destroy(ctx: SlotContext, lock_wait: float, claim: Claim) -> None:
    """Destroy stack ``ai-<slot>`` and remove it from the backend."""
    from codexstack.deploy.operations import destroy as destroy_stack  # noqa: PLC0415

    destroy_stack(_deploy_request(ctx, claim, lock_wait), remove=True)


def ready_steps(
    ctx: SlotContext,
    *,
    wait_timeout: float,
    lock_wait: float,
    code_root_base: str | None,
    source: str | None,
) -> ReadySteps:
    """The cluster questions and engine operations of ensure-ready."""
    from codexstack.slots import namespaces  # noqa: PLC0415
    from codexstack.slots.ready import ReadySteps  # noqa: PLC0415

    api = ctx.api
    sync = (
        partial(sync_step, Path(code_root_base), Path(source))
        if code_root_base and source
        else None
    )
    if api is None:
        return ReadySteps(
            namespace_exists=lambda ns: True,
            provision=partial(provision, ctx, lock_wait),
            sync=sync,
        )
    return ReadySteps(
        namespace_exists=lambda ns: not namespaces.namespace_gone(api, ns),
        provision=partial(provision, ctx, lock_wait),
        wait=lambda claim: namespaces.wait_available(api, claim.namespace, wait_timeout),
        sync=sync,
        env_ready=lambda claim: namespaces.agent_present(api, claim.namespace),
    )


def sync_step(base: Path, source: Path, claim: Claim) -> None:
    """Copy the sources into the slot's workspace under the code-root base."""
    from cli import output  # noqa: PLC0415
    from codexstack.slots.workspace import sync_sources, workspace_target  # noqa: PLC0415

    report = sync_sources(source, workspace_target(base, claim.env, claim.slot))
    output.info(f"sources: {report.copied} copied, {report.unchanged} unchanged -> {report.target}")


def required_slot(opts: GlobalOptions) -> int:
    """The slot after env fallbacks (codexctl D-REQ: requiredness is checked after them)."""
    if not opts.slot:
        raise UsageError("--slot is required (or CODEXCTL_SLOT)")
    return opts.slot


def fail_if(errors: list[str]) -> None:
    """One error for a list of per-slot failures (after every slot was tried)."""
    if errors:
        raise CodexstackError("; ".join(errors))


def seconds(text: str | None, what: str) -> float:
    if not text:
        return 0.0
    from codexstack.golang import DurationError, parse_duration  # noqa: PLC0415

    try:
        return parse_duration(text)
    except DurationError as exc:
        raise UsageError(f"{what}: {exc}") from None


def context(
    ctx: typer.Context, registry: str | None, registry_ns: str | None, **values: Any
) -> SlotContext:
    return open_context(merged(ctx, **values), registry=registry, registry_namespace=registry_ns)


def make_selector(
    slot_ctx: SlotContext, slot: int | None, issue: int | None, pr: int | None
) -> Any:
    from codexstack.slots import Selector  # noqa: PLC0415

    return Selector(slot_ctx.env, issue or 0, pr or 0, slot or 0)


def github_output(values: dict[str, Any]) -> None:
    flows.CiOutputs.from_environ().write(values)


def emit_lines(
    values: dict[str, Any], fmt: OutputFormat, hidden: frozenset[str] = frozenset()
) -> None:
    from codexstack.slots.outputs import text  # noqa: PLC0415

    shown = {k: v for k, v in values.items() if k not in hidden}
    plain = "".join(f"{k}: {text(v)}\n" for k, v in shown.items())
    out.emit(shown, fmt, text=plain)

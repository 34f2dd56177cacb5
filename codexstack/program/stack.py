"""The Pulumi program: one stack's components built from a Plan.

Order of registration is the order of deployment: the explicit Kubernetes provider (the
stack's cluster, server-side apply, or offline rendering), the namespace with its guardrails,
the agent's identity, every infrastructure block (each after the previous one, in file order)
and then the services, each depending on all infrastructure. Unselected units are registered
too, with their current manifests, so that a filtered run keeps them (the deploy layer targets
only the selected ones). What each component gets is computed and checked beforehand by
:func:`codexstack.program.model.describe`. The same function serves the CLI's inline program
and plain ``pulumi up`` through ``__main__.py``.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from codexstack.components import CodexAgent, Infrastructure, Service, Slot
from codexstack.plan import Plan
from codexstack.program.model import StackModel, UnitSpec, describe
from codexstack.program.options import ProgramOptions
from codexstack.program.targets import AGENT_NAME, PROVIDER_NAME, SLOT_NAME


def _supported(**options: Any) -> dict[str, Any]:
    """The options this pulumi-kubernetes SDK knows (newer ones are left out on older pins)."""
    known = inspect.signature(k8s.ProviderArgs.__init__).parameters
    return {k: v for k, v in options.items() if v is not None and k in known}


def provider(plan: Plan, options: ProgramOptions) -> k8s.Provider:
    """The stack's one explicit provider: its cluster, server-side apply, adopt on create.

    ``upsert_existing_objects`` (pulumi-kubernetes 4.29+) lets a create whose response was
    lost (a crash between the API call and the checkpoint) adopt the object instead of
    failing with AlreadyExists; older providers' server-side apply adopts it by itself.
    ``always_render`` (4.29+) writes unchanged objects too; the render stack is new each
    time, so every object is a create and is written either way.
    """
    render = options.render_to
    client = (
        k8s.KubeClientSettingsArgs(timeout=options.request_timeout_s)
        if options.request_timeout_s
        else None
    )
    kubeconfig = os.path.expanduser(plan.cluster.kubeconfig) if plan.cluster.kubeconfig else None
    return k8s.Provider(
        PROVIDER_NAME,
        kubeconfig=None if render else kubeconfig,
        context=None if render else plan.cluster.context,
        enable_server_side_apply=True,
        # ConfigMaps and Secrets change in place, as kubectl apply does, instead of being
        # deleted and re-created under the same name (a window in which pods cannot start).
        enable_config_map_mutable=True,
        enable_secret_mutable=True,
        render_yaml_to_directory=str(render) if render else None,
        kube_client_settings=client,
        **_supported(upsert_existing_objects=True, always_render=True if render else None),
    )


def _after(base: pulumi.ResourceOptions, deps: list[pulumi.Resource]) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions.merge(base, pulumi.ResourceOptions(depends_on=deps))


def register(model: StackModel, base: pulumi.ResourceOptions) -> None:
    """Create the components of ``model`` with their dependencies."""
    frame: list[pulumi.Resource] = []
    if model.namespace is not None:
        ns = model.namespace
        frame.append(
            Slot(
                SLOT_NAME,
                namespace=ns.name,
                settings=ns.settings,
                labels=model.labels,
                extra_labels=ns.extra_labels,
                annotations=ns.annotations,
                object_annotations=model.object_annotations,
                opts=base,
            )
        )
    agent = None
    if model.agent is not None:
        spec = model.agent
        agent = CodexAgent(
            AGENT_NAME,
            namespace=spec.namespace,
            settings=spec.settings,
            labels=model.labels,
            pod_labels=spec.pod_labels,
            with_account=spec.with_account,
            object_annotations=model.object_annotations,
            opts=_after(base, list(frame)),
        )
    infra: list[pulumi.Resource] = []
    keep = _retained() if model.shares_namespace else pulumi.ResourceOptions()
    for unit in model.infrastructure:
        opts = pulumi.ResourceOptions.merge(_after(base, [*frame, *infra[-1:]]), keep)
        infra.append(Infrastructure(unit.unit.name, unit.objects, opts=opts))
    for unit in model.services:
        own = [agent] if agent is not None and _is_agent(model, unit) else []
        Service(unit.unit.name, unit.objects, opts=_after(base, [*frame, *infra[-1:], *own]))


def _retained() -> pulumi.ResourceOptions:
    """Infrastructure shared with the namespace's owner is protected: never deleted here.

    Protection reaches the objects the provider-side ConfigGroup registers (children inherit
    it); destroy skips protected resources and forgets them with the stack.
    """
    return pulumi.ResourceOptions(protect=True)


def _is_agent(model: StackModel, unit: UnitSpec) -> bool:
    return model.agent is not None and unit.unit.name == model.agent.unit


def program(plan: Plan, options: ProgramOptions | None = None) -> None:
    """Register every component of ``plan``'s stack and export its outputs."""
    options = options or ProgramOptions()
    model = describe(plan, options)
    base = pulumi.ResourceOptions(provider=provider(plan, options))
    register(model, base)
    _export(plan)


def _export(plan: Plan) -> None:
    pulumi.export("namespace", plan.namespace)
    pulumi.export("env", plan.env)
    pulumi.export("slot", plan.slot)
    pulumi.export("infrastructure", [u.name for u in plan.infrastructure])
    pulumi.export("services", [u.name for u in plan.services])
    pulumi.export("objects", sum(len(u.manifests) for u in plan.units()))


def make_program(plan: Plan, options: ProgramOptions | None = None) -> Callable[[], None]:
    """A zero-argument program for the Automation API's inline mode (validated eagerly)."""
    options = options or ProgramOptions()
    describe(plan, options)

    def run() -> None:
        program(plan, options)

    return run

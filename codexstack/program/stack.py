"""The Pulumi program: one stack's components built from a Plan.

Order of registration is the order of deployment: the explicit Kubernetes provider (the
stack's cluster, server-side apply, or offline rendering), the namespace with its guardrails,
the agent's identity, every infrastructure block (each after the previous one, in file order)
and then the services, each depending on all infrastructure. Unselected units are registered
too, with their current manifests, so that a filtered run keeps them (the deploy layer targets
only the selected ones). The same function serves the CLI's inline program and plain
``pulumi up`` through ``__main__.py``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from codexstack.components import CodexAgent, Infrastructure, Service, Slot
from codexstack.components.agent_policy import (
    bind_service_account,
    binding_problems,
    find_workload,
)
from codexstack.components.objects import (
    check_unique,
    namespace_overrides,
    stack_labels,
    unit_objects,
)
from codexstack.errors import ConfigError, Location
from codexstack.plan.model import Plan, Unit
from codexstack.program.options import ProgramOptions
from codexstack.program.targets import AGENT_NAME, PROVIDER_NAME, SLOT_NAME

SKIP_AWAIT = "pulumi.com/skipAwait"
TIMEOUT = "pulumi.com/timeoutSeconds"


def provider(plan: Plan, options: ProgramOptions) -> k8s.Provider:
    """The stack's one explicit provider: its cluster, server-side apply, adopt on create.

    ``upsert_existing_objects`` lets a create whose response was lost (a crash between the
    API call and the checkpoint) adopt the object instead of failing with AlreadyExists.
    """
    render = options.render_to
    settings = (
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
        upsert_existing_objects=True,
        render_yaml_to_directory=str(render) if render else None,
        always_render=True if render else None,
        kube_client_settings=settings,
    )


def _with_await(objs: list[dict[str, Any]], timeout_s: int | None) -> list[dict[str, Any]]:
    if timeout_s:
        for obj in objs:
            obj["metadata"].setdefault("annotations", {})[TIMEOUT] = str(timeout_s)
    return objs


def _agent(
    plan: Plan,
    options: ProgramOptions,
    opts: pulumi.ResourceOptions,
) -> tuple[CodexAgent | None, Unit | None]:
    """The CodexAgent for the stack's agent service, when that service is part of the stack."""
    settings = options.agent
    unit = next((u for u in plan.services if u.name == settings.service), None)
    if unit is None or not plan.namespace:
        return None, None
    workload = find_workload((m.obj for m in unit.manifests), settings.service)
    if workload and workload.service_account:
        settings = dataclasses.replace(settings, service_account=workload.service_account)
    problems = binding_problems(
        (m.obj for u in plan.units() for m in u.manifests), plan.namespace, settings.service_account
    )
    if problems:
        raise ConfigError(
            "the manifests grant the agent more than least privilege: " + "; ".join(problems),
            location=Location(key=f"services.{unit.name}"),
        )
    agent = CodexAgent(
        AGENT_NAME,
        namespace=plan.namespace,
        settings=settings,
        labels=stack_labels(plan),
        pod_labels=workload.pod_labels if workload else None,
        opts=opts,
    )
    return agent, unit


def program(plan: Plan, options: ProgramOptions | None = None) -> None:
    """Register every component of ``plan``'s stack and export its outputs."""
    options = options or ProgramOptions()
    owned = options.namespace_owned(plan)
    check_unique(plan.units(), plan.namespace if owned else "")
    k8s_provider = provider(plan, options)
    base = pulumi.ResourceOptions(provider=k8s_provider)
    after: list[pulumi.Resource] = []
    if owned:
        extra_labels, annotations = namespace_overrides(plan)
        after.append(
            Slot(
                SLOT_NAME,
                namespace=plan.namespace,
                labels=stack_labels(plan),
                settings=options.slot_settings(plan),
                extra_labels=extra_labels,
                annotations=annotations,
                opts=base,
            )
        )
    agent, agent_unit = _agent(
        plan,
        options,
        pulumi.ResourceOptions.merge(base, pulumi.ResourceOptions(depends_on=list(after))),
    )

    def objects(unit: Unit) -> list[dict[str, Any]]:
        objs = _with_await(
            unit_objects(plan, unit, owns_namespace=owned),
            options.await_timeout_s if options.wait else None,
        )
        if unit is agent_unit and agent is not None:
            bind_service_account(objs, options.agent.service, options.agent.service_account)
        return objs

    infra: list[pulumi.Resource] = []
    for unit in plan.infrastructure:
        deps = [*after, *infra[-1:]]
        infra.append(
            Infrastructure(
                unit.name,
                objects(unit),
                wait=options.wait,
                opts=pulumi.ResourceOptions.merge(base, pulumi.ResourceOptions(depends_on=deps)),
            )
        )
    for unit in plan.services:
        deps = [*after, *infra[-1:], *([agent] if unit is agent_unit and agent else [])]
        Service(
            unit.name,
            objects(unit),
            wait=options.wait,
            opts=pulumi.ResourceOptions.merge(base, pulumi.ResourceOptions(depends_on=deps)),
        )
    _export(plan)


def _export(plan: Plan) -> None:
    pulumi.export("namespace", plan.namespace)
    pulumi.export("env", plan.env)
    pulumi.export("slot", plan.slot)
    pulumi.export("infrastructure", [u.name for u in plan.infrastructure])
    pulumi.export("services", [u.name for u in plan.services])
    pulumi.export("objects", sum(len(u.manifests) for u in plan.units()))


def make_program(plan: Plan, options: ProgramOptions | None = None) -> Callable[[], None]:
    """A zero-argument program for the Automation API's inline mode."""

    def run() -> None:
        program(plan, options)

    return run

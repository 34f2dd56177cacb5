"""What a stack will contain, computed and checked before Pulumi runs (no Pulumi here).

``describe(plan, options)`` turns a Plan into the exact objects and settings each component
gets: the namespace with its guardrail settings (when the stack owns it), the agent's
identity (bound to the account the agent Deployment names, created only when the manifests do
not bring it), and every unit's labelled objects. All refusals happen here, as ConfigErrors
with locations: an object defined twice, an unnamed object, an agent role or binding that is
not least-privilege. Inside an inline program they would surface only as engine text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from codexstack.components import (
    AgentSettings,
    SlotSettings,
    agent_objects,
    bind_service_account,
    binding_problems,
    check_settings,
    check_unique,
    cluster_rbac,
    find_workload,
    host_path_users,
    namespace_overrides,
    object_key,
    stack_labels,
    unit_objects,
)
from codexstack.errors import ConfigError, Location
from codexstack.plan import Plan, Unit
from codexstack.program.options import ProgramOptions, is_slot

TIMEOUT = "pulumi.com/timeoutSeconds"
SKIP_AWAIT = "pulumi.com/skipAwait"
WAIT_FOR = "pulumi.com/waitFor"
FIELD_MANAGER = "pulumi.com/patchFieldManager"
WORKLOADS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController", "Pod"}
)
"""Kinds ``--wait`` awaits: what runs code (codexctl waits for Deployments only)."""
Obj = dict[str, Any]


@dataclass(frozen=True)
class NamespaceSpec:
    name: str
    settings: SlotSettings
    extra_labels: Mapping[str, str]
    annotations: Mapping[str, str]


@dataclass(frozen=True)
class AgentSpec:
    unit: str
    namespace: str
    settings: AgentSettings
    pod_labels: Mapping[str, str] | None
    with_account: bool


@dataclass(frozen=True)
class UnitSpec:
    unit: Unit
    objects: list[Obj]


@dataclass(frozen=True)
class StackModel:
    labels: Mapping[str, str]
    namespace: NamespaceSpec | None
    agent: AgentSpec | None
    infrastructure: tuple[UnitSpec, ...]
    services: tuple[UnitSpec, ...]
    shares_namespace: bool = False
    """The stack works in another stack's namespace: its infrastructure is kept on destroy."""
    warnings: tuple[str, ...] = ()
    """Decisions the user should hear about (e.g. Pod Security relaxed for hostPath mounts)."""
    object_annotations: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Annotations every object of the stack carries (the server-side apply field manager)."""


def _with_access(plan: Plan, settings: AgentSettings) -> AgentSettings:
    """The program's settings plus what services.yaml switches on (``codex.agentAccess``)."""
    access = plan.agent
    return dataclasses.replace(
        settings,
        service=access.service,
        pod_exec=settings.pod_exec or access.pod_exec,
        redeploy=settings.redeploy or access.redeploy,
        allowed_secrets=tuple(dict.fromkeys(settings.allowed_secrets + access.secrets)),
    )


def _agent(plan: Plan, settings: AgentSettings) -> AgentSpec | None:
    settings = _with_access(plan, settings)
    unit = next((u for u in plan.services if u.name == settings.service), None)
    if unit is None or not plan.namespace:
        return None
    check_settings(settings)
    workload = find_workload((m.obj for m in unit.manifests), settings.service)
    if workload and workload.service_account:
        settings = dataclasses.replace(settings, service_account=workload.service_account)
    all_objs = [m.obj for u in plan.units() for m in u.manifests]
    problems = binding_problems(all_objs, plan.namespace, settings.service_account)
    if problems:
        raise ConfigError(
            "the manifests grant the agent more than least privilege: " + "; ".join(problems),
            location=Location(key=f"services.{unit.name}"),
        )
    brings_account = any(
        o.get("kind") == "ServiceAccount"
        and (o.get("metadata") or {}).get("name") == settings.service_account
        for o in all_objs
    )
    return AgentSpec(
        unit.name,
        plan.namespace,
        settings,
        workload.pod_labels if workload else None,
        not brings_account,
    )


def await_policy(obj: Obj, *, wait: bool, timeout_s: int | None) -> Obj:
    """Decide, per object, whether the engine awaits it (codexctl's ``--wait`` semantics).

    Under ``--wait`` the workloads are awaited (Deployments Available, StatefulSets rolled
    out, Jobs complete ...), with ``timeout_s`` as their budget; everything else is applied
    without an await, as ``kubectl apply`` would: an Ingress without a controller or a claim
    without a provisioner must not hold a deploy for ten minutes. A manifest that states its
    own ``pulumi.com/skipAwait`` or ``pulumi.com/waitFor`` is left as written.
    """
    annotations = obj["metadata"].get("annotations") or {}
    if SKIP_AWAIT in annotations or WAIT_FOR in annotations:
        return obj
    annotations = obj["metadata"].setdefault("annotations", {})
    if wait and obj.get("kind") in WORKLOADS:
        if timeout_s:
            annotations[TIMEOUT] = str(timeout_s)
    else:
        annotations[SKIP_AWAIT] = "true"
    return obj


def field_manager(plan: Plan) -> dict[str, str]:
    """One server-side apply field manager per stack, instead of a random one per object.

    The provider otherwise names a new manager for every create and keeps it in the state; a
    create whose state was lost in a crash is then applied again under another name and
    conflicts with its own first apply (found by battery B1 on a StatefulSet).
    """
    return {FIELD_MANAGER: f"codexstack-{plan.stack}"}


def _unit_spec(
    plan: Plan, unit: Unit, options: ProgramOptions, agent: AgentSpec | None
) -> UnitSpec:
    objs = [
        await_policy(o, wait=options.wait, timeout_s=options.await_timeout_s)
        for o in unit_objects(plan, unit)
    ]
    if agent is not None and unit.name == agent.unit:
        bind_service_account(objs, agent.settings.service, agent.settings.service_account)
    for obj in objs:
        obj["metadata"].setdefault("annotations", {}).update(field_manager(plan))
    return UnitSpec(unit, objs)


def _check_agent_names(
    agent: AgentSpec | None, units: tuple[UnitSpec, ...], labels: Mapping[str, str]
) -> None:
    """The agent's own objects must not collide with the manifests' objects."""
    if agent is None:
        return
    ours = {
        object_key(o)
        for o in agent_objects(
            agent.namespace,
            agent.settings,
            labels,
            agent.pod_labels,
            with_account=agent.with_account,
        )
    }
    for spec in units:
        for obj in spec.objects:
            if object_key(obj) in ours:
                raise ConfigError(
                    f"{object_key(obj)} is created by codexstack for the agent",
                    location=Location(key=f"services.{spec.unit.name}"),
                    hint="remove it from the manifests or rename it",
                )


def _check_host_paths(plan: Plan, settings: SlotSettings) -> None:
    """hostPath under an enforced Pod Security level is an error, never a silent relaxation.

    ``slots.podSecurity: privileged`` is the explicit opt-in (use pvcMounts otherwise).
    """
    enforce = settings.pod_security.enforce if settings.pod_security else ""
    users = host_path_users(m.obj for u in plan.units() for m in u.manifests)
    if users and enforce and enforce != "privileged":
        raise ConfigError(
            f"{', '.join(users)} mount hostPath volumes, which Pod Security '{enforce}' "
            f"forbids in {plan.namespace}",
            location=Location(key="slots.podSecurity"),
            hint="use pvcMounts, or allow it explicitly with slots.podSecurity: privileged",
        )


def _check_slot_rbac(plan: Plan) -> None:
    """A slot stack holds namespaced objects only: no ClusterRole(Binding) rides along."""
    found = cluster_rbac(m.obj for u in plan.units() for m in u.manifests)
    if found and is_slot(plan):
        raise ConfigError(
            f"cluster-scoped RBAC in slot stack {plan.stack}: {', '.join(found)}",
            location=Location(key="services"),
            hint="a slot must not grant anything outside its namespace; use Role/RoleBinding, "
            "or deploy cluster-wide RBAC with a shared environment",
        )


def describe(plan: Plan, options: ProgramOptions | None = None) -> StackModel:
    """The checked content of ``plan``'s stack; raises ConfigError before any engine work."""
    options = options or ProgramOptions()
    owned = options.namespace_owned(plan)
    check_unique(plan.units(), plan.namespace)
    _check_slot_rbac(plan)
    labels = stack_labels(plan)
    namespace = None
    warnings: list[str] = []
    if owned:
        extra, annotations = namespace_overrides(plan)
        settings = options.slot_settings(plan)
        _check_host_paths(plan, settings)
        namespace = NamespaceSpec(plan.namespace, settings, extra, annotations)
    agent = _agent(plan, options.agent)
    if agent is not None:
        warnings.extend(agent.settings.warnings)
    infra = tuple(_unit_spec(plan, u, options, agent) for u in plan.infrastructure)
    services = tuple(_unit_spec(plan, u, options, agent) for u in plan.services)
    _check_agent_names(agent, infra + services, labels)
    shared = bool(plan.namespace) and not owned
    return StackModel(
        labels,
        namespace,
        agent,
        infra,
        services,
        shares_namespace=shared,
        warnings=tuple(warnings),
        object_annotations=field_manager(plan),
    )

"""Pulumi component resources of codexstack: Infrastructure, Service, Slot, CodexAgent.

Only ``codexstack.program`` uses them. The component modules import Pulumi and the Kubernetes
SDK (about a second), so this package exports them lazily; the pure halves (object shaping,
guardrails, the agent policy and its lint in ``objects``, ``guardrails`` and
``agent_policy``) import no Pulumi and are cheap to use from tests and ``render``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack.lazy import exports

TYPE_PREFIX = "codexstack:index:"
"""Type tokens of codexstack components: ``codexstack:index:<Type>``."""

if TYPE_CHECKING:
    from codexstack.components.agent import CodexAgent
    from codexstack.components.agent_policy import (
        AgentSettings,
        agent_objects,
        bind_service_account,
        binding_problems,
        check_rules,
        check_settings,
        cluster_rbac,
        find_workload,
    )
    from codexstack.components.guardrails import (
        SlotSettings,
        guardrail_objects,
        host_path_users,
        namespace_object,
    )
    from codexstack.components.objects import (
        ObjectKey,
        check_unique,
        namespace_overrides,
        object_key,
        stack_labels,
        unit_objects,
    )
    from codexstack.components.slot import Slot
    from codexstack.components.units import Infrastructure, Service

_EXPORTS = {
    "CodexAgent": "agent",
    "AgentSettings": "agent_policy",
    "agent_objects": "agent_policy",
    "bind_service_account": "agent_policy",
    "binding_problems": "agent_policy",
    "check_rules": "agent_policy",
    "check_settings": "agent_policy",
    "cluster_rbac": "agent_policy",
    "find_workload": "agent_policy",
    "SlotSettings": "guardrails",
    "host_path_users": "guardrails",
    "guardrail_objects": "guardrails",
    "namespace_object": "guardrails",
    "ObjectKey": "objects",
    "check_unique": "objects",
    "namespace_overrides": "objects",
    "object_key": "objects",
    "stack_labels": "objects",
    "unit_objects": "objects",
    "Slot": "slot",
    "Infrastructure": "units",
    "Service": "units",
}
__all__ = [
    "AgentSettings",
    "CodexAgent",
    "Infrastructure",
    "ObjectKey",
    "Service",
    "Slot",
    "SlotSettings",
    "agent_objects",
    "bind_service_account",
    "binding_problems",
    "check_rules",
    "check_settings",
    "check_unique",
    "cluster_rbac",
    "find_workload",
    "guardrail_objects",
    "host_path_users",
    "namespace_object",
    "namespace_overrides",
    "object_key",
    "stack_labels",
    "unit_objects",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)

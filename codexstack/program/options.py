"""How the Pulumi program should shape a stack beyond what the Plan says (no Pulumi here).

The Plan says *what* the project contains; these options say how this run deploys it: await
readiness or not (codexctl's ``--wait``), the per-object await budget, offline rendering to a
directory, the namespace guardrails and the agent's identity. The defaults follow the
environment: numbered slots get the full guardrails, shared environments the light ones, and
``ai-repair`` (which works inside the staging namespace) owns no namespace at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from codexstack.components import AgentSettings, SlotSettings
from codexstack.naming import SLOT_ENV
from codexstack.plan import Plan

SHARED_NAMESPACE_ENVS = frozenset({"ai-repair"})
"""Environments that deploy into another environment's namespace and must never own it."""


@dataclass(frozen=True)
class ProgramOptions:
    """Per-run choices of the program; ``None`` fields are derived from the Plan."""

    wait: bool = False
    """Await readiness of workloads (Deployments Available ...); off: nothing is awaited."""
    await_timeout_s: int | None = None
    """Per-workload await budget (``pulumi.com/timeoutSeconds``); provider default: 10 min."""
    render_to: Path | None = None
    """Write manifests to this directory instead of talking to a cluster."""
    slot: SlotSettings | None = None
    agent: AgentSettings = field(default_factory=AgentSettings)
    owns_namespace: bool | None = None
    request_timeout_s: int | None = None
    """Per-request timeout of the provider's Kubernetes client (its default is 32 s)."""

    def slot_settings(self, plan: Plan) -> SlotSettings:
        """The configured guardrails, else full ones for slots and light ones elsewhere."""
        if self.slot is not None:
            return self.slot
        return SlotSettings() if is_slot(plan) else SlotSettings.environment()

    def namespace_owned(self, plan: Plan) -> bool:
        """Whether this stack creates (and on destroy deletes) ``plan.namespace``."""
        if not plan.namespace:
            return False
        if self.owns_namespace is not None:
            return self.owns_namespace
        return plan.env not in SHARED_NAMESPACE_ENVS


def is_slot(plan: Plan) -> bool:
    """A numbered dev-AI slot (env ``ai``, slot > 0)."""
    return plan.env == SLOT_ENV and plan.slot > 0

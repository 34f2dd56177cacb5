"""URNs and URN globs that select parts of a stack: how filters become Pulumi targets.

A filtered apply (``--only-services``, ``--skip-infra`` ...) runs the whole program, so every
unit stays in the desired state, but targets only the selected units: unselected ones are
neither changed nor deleted, whatever their manifests say now. The engine matches ``*`` as
"anything but a colon" and ``**`` as "anything"; a unit's objects are the children of its
ConfigGroup, whose names start with ``<unit>:`` (the group's resource prefix). Every target is
a glob: the engine refuses literal targets that a run does not register.
"""

from __future__ import annotations

from codexstack.components import TYPE_PREFIX
from codexstack.plan.model import Plan, Unit

PROVIDER_NAME = "kubernetes"
SLOT_NAME = "namespace"
AGENT_NAME = "agent"
GROUP_TYPE = "kubernetes:yaml/v2:ConfigGroup"
COMPONENT_TYPES = {"infra": "Infrastructure", "service": "Service"}


def urn(stack: str, project: str, type_chain: str, name: str) -> str:
    """A URN pattern that is always a glob (the leading ``**`` matches nothing here).

    The engine refuses a literal target that the run does not register (a unit without
    objects has no ConfigGroup; a new unit has no state yet); a glob that matches nothing
    is fine.
    """
    return f"urn:pulumi:{stack}::{project}::**{type_chain}::{name}"


def unit_targets(stack: str, project: str, unit: Unit) -> list[str]:
    """The component, its ConfigGroup and (by glob) every object of one unit."""
    component = TYPE_PREFIX + COMPONENT_TYPES[unit.kind]
    group = f"{component}${GROUP_TYPE}"
    return [
        urn(stack, project, component, unit.name),
        urn(stack, project, group, f"{unit.name}-objects"),
        urn(stack, project, f"{group}$**", f"{unit.name}:**"),
    ]


def stack_targets(stack: str, project: str) -> list[str]:
    """What every run may touch: the provider and the namespace with its guardrails."""
    slot = TYPE_PREFIX + "Slot"
    return [
        urn(stack, project, "pulumi:providers:kubernetes", PROVIDER_NAME),
        urn(stack, project, slot, SLOT_NAME),
        urn(stack, project, f"{slot}$**", f"{SLOT_NAME}-**"),
    ]


def agent_targets(stack: str, project: str) -> list[str]:
    agent = TYPE_PREFIX + "CodexAgent"
    return [
        urn(stack, project, agent, AGENT_NAME),
        urn(stack, project, f"{agent}$**", f"{AGENT_NAME}-**"),
    ]


def plan_targets(
    plan: Plan, project: str, agent_service: str = "codex", *, filtered: bool | None = None
) -> list[str] | None:
    """Targets for the Plan's selection, or None for an unfiltered run.

    ``filtered`` says whether the run had filters; a filtered run is targeted even when every
    unit the Plan still holds is selected, because a unit removed from services.yaml is not
    in the Plan at all and must not be deleted by a run that did not select it. ``None``
    infers it from the units (for callers that only have the Plan).
    """
    units = plan.units()
    if filtered is None:
        filtered = not all(u.selected for u in units)
    if not filtered:
        return None
    targets = stack_targets(plan.stack, project)
    for unit in units:
        if unit.selected:
            targets.extend(unit_targets(plan.stack, project, unit))
            if unit.kind == "service" and unit.name == agent_service:
                targets.extend(agent_targets(plan.stack, project))
    return targets

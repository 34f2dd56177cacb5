"""URN globs that fence parts of a stack off a run: how filters become Pulumi excludes.

A filtered apply (``--only-services``, ``--skip-infra`` ...) runs the whole program, so every
unit stays in the desired state, and *excludes* every unit that is not selected: units the
filters leave out, and units still in the stack's state that services.yaml no longer has (a
run that did not select them must not delete them). Excludes rather than targets, because
the engine plans deletes for the dependents of a target: every service depends on the
infrastructure and the namespace, so targeting those would put a removed service up for
deletion. The engine matches ``*`` as "anything but a colon" and ``**`` as "anything"; a
unit's objects are the children of its ConfigGroup, whose names start with ``<unit>:``.
"""

from __future__ import annotations

from collections.abc import Iterable

from codexstack.components import TYPE_PREFIX
from codexstack.plan import Plan, UnitKind

PROVIDER_NAME = "kubernetes"
SLOT_NAME = "namespace"
AGENT_NAME = "agent"
GROUP_TYPE = "kubernetes:yaml/v2:ConfigGroup"
COMPONENT_TYPES: dict[UnitKind, str] = {"infra": "Infrastructure", "service": "Service"}
UNIT_KINDS = {TYPE_PREFIX + v: k for k, v in COMPONENT_TYPES.items()}


def urn(stack: str, project: str, type_chain: str, name: str) -> str:
    """A URN pattern that is always a glob (the leading ``**`` matches nothing here)."""
    return f"urn:pulumi:{stack}::{project}::**{type_chain}::{name}"


def unit_patterns(stack: str, project: str, kind: UnitKind, name: str) -> list[str]:
    """The component, its ConfigGroup and (by glob) every object of one unit."""
    component = TYPE_PREFIX + COMPONENT_TYPES[kind]
    group = f"{component}${GROUP_TYPE}"
    return [
        urn(stack, project, component, name),
        urn(stack, project, group, f"{name}-objects"),
        urn(stack, project, f"{group}$**", f"{name}:**"),
    ]


def agent_patterns(stack: str, project: str) -> list[str]:
    agent = TYPE_PREFIX + "CodexAgent"
    return [
        urn(stack, project, agent, AGENT_NAME),
        urn(stack, project, f"{agent}$**", f"{AGENT_NAME}-**"),
    ]


def units_in(urns: Iterable[str]) -> set[tuple[UnitKind, str]]:
    """The (kind, name) of every unit component among ``urns`` (a stack's resources)."""
    found: set[tuple[UnitKind, str]] = set()
    for item in urns:
        type_chain, name = item.split("::")[-2:]
        kind = UNIT_KINDS.get(type_chain)
        if kind is not None:
            found.add((kind, name))
    return found


def plan_excludes(
    plan: Plan,
    project: str,
    deployed: Iterable[tuple[UnitKind, str]] = (),
    agent_service: str = "codex",
    *,
    filtered: bool = False,
) -> list[str] | None:
    """Excludes for a filtered run (None when the run is not filtered).

    ``deployed`` are the units the stack's state holds; those missing from the Plan are
    excluded too, so that a filtered run never deletes them.
    """
    if not filtered:
        return None
    selected = {(u.kind, u.name) for u in plan.units() if u.selected}
    known = {(u.kind, u.name) for u in plan.units()} | set(deployed)
    excludes = [
        pattern
        for kind, name in sorted(known - selected)
        for pattern in unit_patterns(plan.stack, project, kind, name)
    ]
    if ("service", agent_service) not in selected:
        excludes.extend(agent_patterns(plan.stack, project))
    return excludes

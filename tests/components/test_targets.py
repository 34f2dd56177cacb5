"""Filters become Pulumi targets that select exactly the chosen units' resources.

The URNs are the ones the program registers under mocks; the matcher is a transcription of
the engine's glob rules (pkg/resource/deploy/deployment.go: ``*`` = ``[^:]*``, ``**`` = ``.*``).
"""

from __future__ import annotations

import dataclasses
import re

from codexstack.plan.model import Plan
from codexstack.program.targets import plan_targets
from tests.components.conftest import run_under_mocks
from tests.components.plans import make_plan


def _engine_match(pattern: str, urn: str) -> bool:
    if "*" not in pattern:
        return pattern == urn
    segments = ["[^:]*".join(re.escape(p) for p in seg.split("*")) for seg in pattern.split("**")]
    return re.fullmatch(".*".join(segments), urn) is not None


def _select(plan: Plan, services: set[str], infra: set[str]) -> Plan:
    def pick(units, names):  # type: ignore[no-untyped-def]
        return tuple(dataclasses.replace(u, selected=u.name in names) for u in units)

    return dataclasses.replace(
        plan,
        services=pick(plan.services, services),
        infrastructure=pick(plan.infrastructure, infra),
    )


def _targeted(plan: Plan) -> set[str]:
    # The mock monitor keeps the root stack in the type chain; the engine leaves it out.
    urns = [
        r.urn.replace("urn:pulumi:stack::project::", f"urn:pulumi:{plan.stack}::demo::").replace(
            "pulumi:pulumi:Stack$", ""
        )
        for r in run_under_mocks(plan).resources
    ]
    targets = plan_targets(plan, "demo")
    assert targets is not None
    return {u.split("::")[-1] for u in urns if any(_engine_match(t, u) for t in targets)}


def test_no_filter_means_no_targets():
    assert plan_targets(make_plan("dev"), "demo") is None


def test_only_api_targets_api_and_the_stack_frame_but_no_other_unit():
    plan = _select(make_plan("ai", 5), {"api"}, set())
    names = _targeted(plan)
    assert {"api", "api-objects", "kubernetes", "namespace"} <= names
    assert {"web", "web-objects", "postgres-objects", "agent", "codex-objects"}.isdisjoint(names)
    assert any(n.startswith("namespace-") for n in names)


def test_selecting_the_agent_service_targets_its_identity():
    names = _targeted(_select(make_plan("ai", 5), {"codex"}, {"redis"}))
    assert {"codex-objects", "agent", "agent-role-codex-agent", "redis-objects"} <= names
    assert "api-objects" not in names


def test_globs_for_children_match_only_their_unit():
    plan = _select(make_plan("dev"), {"api"}, set())
    targets = plan_targets(plan, "demo") or []
    child = (
        "urn:pulumi:dev::demo::codexstack:index:Service$kubernetes:yaml/v2:ConfigGroup"
        "$kubernetes:apps/v1:Deployment::{}:demo-dev/{}"
    )
    assert any(_engine_match(t, child.format("api", "api")) for t in targets)
    assert not any(_engine_match(t, child.format("api-gateway", "api")) for t in targets)
    assert not any(_engine_match(t, child.format("web", "api")) for t in targets)


def test_a_filtered_run_is_targeted_even_when_every_remaining_unit_is_selected():
    plan = make_plan("dev")
    targets = plan_targets(plan, "demo", filtered=True)
    assert targets is not None
    removed = (
        "urn:pulumi:dev::demo::codexstack:index:Service$kubernetes:yaml/v2:ConfigGroup"
        "$kubernetes:apps/v1:Deployment::gone:demo-dev/gone"
    )
    assert not any(_engine_match(t, removed) for t in targets)
    assert plan_targets(plan, "demo", filtered=False) is None

"""Filters become Pulumi excludes that fence off exactly the unselected and removed units.

The URNs are the ones the program registers under mocks; the matcher is a transcription of
the engine's glob rules (pkg/resource/deploy/deployment.go: ``*`` = ``[^:]*``, ``**`` = ``.*``).
"""

from __future__ import annotations

import dataclasses
import re

from codexstack.plan.model import Plan, Unit
from codexstack.program.targets import plan_excludes, units_in
from tests.components.conftest import run_under_mocks
from tests.components.plans import make_plan


def _engine_match(pattern: str, urn: str) -> bool:
    if "*" not in pattern:
        return pattern == urn
    segments = ["[^:]*".join(re.escape(p) for p in seg.split("*")) for seg in pattern.split("**")]
    return re.fullmatch(".*".join(segments), urn) is not None


def _select(plan: Plan, services: set[str], infra: set[str]) -> Plan:
    def pick(units: tuple[Unit, ...], names: set[str]) -> tuple[Unit, ...]:
        return tuple(dataclasses.replace(u, selected=u.name in names) for u in units)

    return dataclasses.replace(
        plan,
        services=pick(plan.services, services),
        infrastructure=pick(plan.infrastructure, infra),
    )


def _urns(plan: Plan) -> list[str]:
    # The mock monitor keeps the root stack in the type chain; the engine leaves it out.
    prefix = re.compile(r"^urn:pulumi:[^:]*::[^:]*::")
    return [
        prefix.sub(f"urn:pulumi:{plan.stack}::demo::", r.urn).replace("pulumi:pulumi:Stack$", "")
        for r in run_under_mocks(plan).resources
    ]


def _excluded(plan: Plan, urns: list[str], **kwargs: object) -> set[str]:
    excludes = plan_excludes(plan, "demo", units_in(urns), filtered=True, **kwargs)  # type: ignore[arg-type]
    assert excludes is not None
    return {u.split("::")[-1] for u in urns if any(_engine_match(e, u) for e in excludes)}


def test_an_unfiltered_run_excludes_nothing():
    assert plan_excludes(make_plan("dev"), "demo") is None


def test_only_api_fences_off_every_other_service_and_the_agent():
    plan = _select(make_plan("ai", 5), {"api"}, {"namespace", "postgres", "redis"})
    names = _excluded(plan, _urns(plan))
    assert {"web", "web-objects", "codex-objects", "agent", "agent-role-codex-agent"} <= names
    assert {"api", "api-objects", "kubernetes", "namespace", "postgres-objects"}.isdisjoint(names)


def test_a_unit_removed_from_services_yaml_is_fenced_off_too():
    full = make_plan("dev")
    deployed = _urns(full)
    trimmed = dataclasses.replace(full, services=tuple(u for u in full.services if u.name != "web"))
    names = _excluded(trimmed, deployed)
    assert {"web", "web-objects"} <= names
    assert "api-objects" not in names


def test_globs_for_children_match_only_their_unit():
    plan = _select(make_plan("dev"), {"web"}, set())
    excludes = plan_excludes(plan, "demo", filtered=True) or []
    child = (
        "urn:pulumi:dev::demo::codexstack:index:Service$kubernetes:yaml/v2:ConfigGroup"
        "$kubernetes:apps/v1:Deployment::{}:demo-dev/{}"
    )
    assert any(_engine_match(e, child.format("api", "api")) for e in excludes)
    assert not any(_engine_match(e, child.format("api-gateway", "api")) for e in excludes)
    assert not any(_engine_match(e, child.format("web", "api")) for e in excludes)

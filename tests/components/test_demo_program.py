"""The embedded demo's dev, staging and slot stacks under Pulumi mocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from codexstack import naming
from codexstack.components.agent_policy import lint_rules
from codexstack.plan.project import PlanRequest, load_plan
from tests.components.conftest import run_under_mocks

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo" / "services.yaml"


@pytest.mark.parametrize(
    ("env", "slot", "namespace"),
    [
        ("dev", 0, "demo-shop-dev"),
        ("staging", 0, "demo-shop-staging"),
        ("ai", 5, "demo-shop-dev-5"),
    ],
)
def test_demo_objects_are_namespaced_labelled_and_stably_named(env: str, slot: int, namespace: str):
    plan = load_plan(PlanRequest(DEMO, env, slot=slot))
    assert plan.namespace == namespace
    first = run_under_mocks(plan, project="demo-shop")
    objs = first.k8s_objects()
    expected = sum(len(u.manifests) for u in plan.units())
    assert (
        len(
            [
                o
                for o in objs
                if o["kind"]
                not in ("ResourceQuota", "LimitRange", "NetworkPolicy", "Role", "RoleBinding")
            ]
        )
        == expected
    )
    for obj in objs:
        meta = obj["metadata"]
        if obj["kind"] == "Namespace":
            assert meta["name"] == namespace
            assert "namespace" not in meta
        else:
            assert meta["namespace"] == namespace, obj
        assert meta["labels"][naming.MANAGED_BY] == "codexstack"
        assert meta["labels"][naming.LABEL_ENV] == env
    second = run_under_mocks(load_plan(PlanRequest(DEMO, env, slot=slot)), project="demo-shop")
    assert sorted(r.urn for r in first.resources) == sorted(r.urn for r in second.resources)


def test_the_demo_slot_agent_reads_no_secrets():
    reg = run_under_mocks(load_plan(PlanRequest(DEMO, "ai", slot=5)), project="demo-shop")
    (role,) = [o for o in reg.k8s_objects() if o["kind"] == "Role"]
    assert lint_rules(role["rules"]) == []
    assert all("secrets" not in rule["resources"] for rule in role["rules"])
    accounts = [o for o in reg.k8s_objects() if o["kind"] == "ServiceAccount"]
    assert [a["metadata"]["name"] for a in accounts] == ["codex"]

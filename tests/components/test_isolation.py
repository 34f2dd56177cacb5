"""Issue 14 defects 9 and 10: isolation holes and RBAC lint gaps, each shown to be closed.

Every test here failed before the fix: exec into other pods passed the lint, bindings through
the service-account groups or the account's user name escaped the check, a slot stack could
carry a ClusterRoleBinding, and the agent's egress reached private and cluster ranges in
every environment (``ai-repair`` included).
"""

from __future__ import annotations

from typing import Any

import pytest

from codexstack.components.agent_policy import (
    DEFAULT_RULES,
    AgentSettings,
    agent_objects,
    binding_problems,
    lint_rules,
)
from codexstack.errors import ConfigError
from codexstack.program.model import describe
from tests.components.conftest import run_under_mocks
from tests.components.plans import make_plan, unit


@pytest.mark.parametrize("verb", ["create", "get"])
@pytest.mark.parametrize("sub", ["exec", "attach"])
def test_exec_and_attach_are_linted_for_both_verbs_they_connect_with(sub: str, verb: str):
    problems = lint_rules([{"apiGroups": [""], "resources": [f"pods/{sub}"], "verbs": [verb]}])
    assert problems
    assert "runs code in another pod" in problems[0]


def test_the_default_role_has_no_exec_and_stays_clean():
    assert lint_rules(DEFAULT_RULES) == []
    assert not any("pods/exec" in rule.get("resources", ()) for rule in DEFAULT_RULES)


ADMIN = {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "admin"}


def _admin_binding(subject: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "everyone-admin", "namespace": "ns"},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "ClusterRole",
            "name": "admin",
        },
        "subjects": [subject],
    }


@pytest.mark.parametrize(
    "subject",
    [
        {"kind": "Group", "name": "system:serviceaccounts"},
        {"kind": "Group", "name": "system:serviceaccounts:ns"},
        {"kind": "Group", "name": "system:authenticated"},
        {"kind": "User", "name": "system:serviceaccount:ns:codex"},
    ],
)
def test_bindings_through_groups_or_the_user_name_are_checked(subject: dict[str, str]):
    problems = binding_problems([_admin_binding(subject)], "ns", "codex")
    assert problems
    assert "ClusterRole admin" in problems[0]


def test_other_groups_and_users_are_not_the_agent():
    for subject in (
        {"kind": "Group", "name": "system:serviceaccounts:other"},
        {"kind": "User", "name": "system:serviceaccount:other:codex"},
    ):
        assert binding_problems([_admin_binding(subject)], "ns", "codex") == []


def test_a_slot_stack_refuses_cluster_scoped_rbac():
    crb = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "pwn"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
        "subjects": [{"kind": "ServiceAccount", "name": "web", "namespace": "demo-ai-3"}],
    }
    with pytest.raises(ConfigError, match="cluster-scoped RBAC in slot stack ai-3"):
        describe(make_plan("ai", 3, extra_services=(unit("service", "rbac", crb),)))
    describe(make_plan("staging", extra_services=(unit("service", "rbac", crb),)))


@pytest.mark.parametrize(("env", "slot"), [("ai", 5), ("ai-repair", 0), ("ai-staging", 0)])
def test_every_environment_that_runs_the_agent_fences_it(env: str, slot: int):
    reg = run_under_mocks(make_plan(env, slot))
    (fence,) = [
        o
        for o in reg.k8s_objects()
        if o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == "codex-agent-egress"
    ]
    spec = fence["spec"]
    assert spec["policyTypes"] == ["Ingress", "Egress"]
    assert spec["ingress"] == []
    internet = spec["egress"][0]["to"][0]["ipBlock"]
    assert internet["cidr"] == "0.0.0.0/0"
    for private in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"):
        assert private in internet["except"]
    assert {"to": [{"podSelector": {}}]} in spec["egress"]  # its own namespace
    assert any(rule.get("ports") for rule in spec["egress"])  # DNS


def test_pod_exec_is_off_by_default_and_switching_it_on_warns():
    def granted(settings: AgentSettings) -> set[str]:
        role = next(o for o in agent_objects("ns", settings, {}) if o["kind"] == "Role")
        return {r for rule in role["rules"] for r in rule["resources"]}

    off = AgentSettings()
    assert not granted(off) & {"pods/exec", "pods/portforward"}
    assert off.warnings == ()
    on = AgentSettings(pod_exec=True)
    assert {"pods/exec", "pods/portforward"} <= granted(on)
    assert on.warnings
    assert "reads every Secret" in on.warnings[0]

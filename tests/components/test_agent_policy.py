"""Battery S1 as a lint: what the agent's role may never contain."""

from __future__ import annotations

import pytest

from codexstack.components.agent_policy import (
    DEFAULT_RULES,
    AgentSettings,
    agent_objects,
    binding_problems,
    lint_rules,
)


def test_the_default_role_is_clean():
    assert lint_rules(DEFAULT_RULES) == []


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}, "secrets"),
        ({"apiGroups": [""], "resources": ["secrets/status"], "verbs": ["list"]}, "secrets"),
        ({"apiGroups": ["*"], "resources": ["pods"], "verbs": ["get"]}, "wildcard"),
        ({"apiGroups": [""], "resources": ["*"], "verbs": ["get"]}, "wildcard"),
        ({"apiGroups": [""], "resources": ["pods"], "verbs": ["*"]}, "'*'"),
        (
            {
                "apiGroups": ["rbac.authorization.k8s.io"],
                "resources": ["roles"],
                "verbs": ["escalate"],
            },
            "escalate",
        ),
        (
            {
                "apiGroups": ["rbac.authorization.k8s.io"],
                "resources": ["rolebindings"],
                "verbs": ["create"],
            },
            "RBAC writes",
        ),
        (
            {
                "apiGroups": ["rbac.authorization.k8s.io"],
                "resources": ["clusterroles"],
                "verbs": ["bind"],
            },
            "bind",
        ),
        (
            {
                "apiGroups": [""],
                "resources": ["users", "serviceaccounts"],
                "verbs": ["impersonate"],
            },
            "impersonate",
        ),
        ({"apiGroups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"]}, "token"),
        ({"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["patch"]}, "start pods"),
        ({"apiGroups": [""], "resources": ["pods"], "verbs": ["create"]}, "start pods"),
        ({"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["create"]}, "start pods"),
        (
            {"apiGroups": [""], "resources": ["pods/ephemeralcontainers"], "verbs": ["patch"]},
            "another pod",
        ),
        ({"nonResourceURLs": ["/metrics"], "verbs": ["get"]}, "cluster-scoped"),
    ],
)
def test_each_unsafe_rule_is_named(rule, problem):
    problems = lint_rules([rule])
    assert problems
    assert problem in problems[0]


def test_pod_restart_and_scaling_stay_allowed():
    assert (
        lint_rules(
            [
                {"apiGroups": [""], "resources": ["pods"], "verbs": ["delete"]},
                {"apiGroups": ["apps"], "resources": ["deployments/scale"], "verbs": ["patch"]},
            ]
        )
        == []
    )


def _binding(kind: str, ref_kind: str, ref: str) -> dict:
    return {
        "kind": kind,
        "metadata": {"name": "b"},
        "roleRef": {"kind": ref_kind, "name": ref},
        "subjects": [{"kind": "ServiceAccount", "name": "codex", "namespace": "ns"}],
    }


def test_bindings_of_the_agent_must_point_at_linted_roles():
    role = {
        "kind": "Role",
        "metadata": {"name": "extra"},
        "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}],
    }
    assert binding_problems([_binding("RoleBinding", "Role", "extra"), role], "ns", "codex")
    assert binding_problems([_binding("ClusterRoleBinding", "ClusterRole", "view")], "ns", "codex")
    assert binding_problems([_binding("RoleBinding", "ClusterRole", "view")], "ns", "codex")
    other = _binding("ClusterRoleBinding", "ClusterRole", "admin")
    other["subjects"][0]["name"] = "someone-else"
    assert binding_problems([other], "ns", "codex") == []


def test_agent_objects_are_namespaced_and_bind_only_the_agent():
    objs = agent_objects("ns", AgentSettings(), {"l": "v"}, {"app": "codex"})
    assert [o["kind"] for o in objs] == ["ServiceAccount", "Role", "RoleBinding", "NetworkPolicy"]
    assert all(o["metadata"]["namespace"] == "ns" for o in objs)
    egress = objs[3]["spec"]["egress"][0]["to"][0]["ipBlock"]
    assert "169.254.0.0/16" in egress["except"]  # cloud metadata

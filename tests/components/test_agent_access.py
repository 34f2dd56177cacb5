"""``codex.agentAccess``: from services.yaml through the plan to the agent's objects.

Off by default: no exec, no workload writes, no admission guard. ``podExec`` adds exec and
port-forward and a warning; ``redeploy`` adds the writes a filtered apply needs, never on
anything but Deployments, Services and ConfigMaps, together with the namespace's own
``ValidatingAdmissionPolicy`` and binding (the allow-list written into the policy). A name that
is not a Secret name is a configuration error at its line, before anything runs; the codexctl
reading of the same file is unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codexstack.components.agent_admission import guard_name
from codexstack.components.agent_policy import (
    DEFAULT_RULES,
    POD_RUNNERS,
    REDEPLOY_RULES,
    AgentSettings,
    agent_objects,
    check_settings,
    lint_rules,
)
from codexstack.errors import ConfigError
from codexstack.plan import PlanRequest, load_plan
from codexstack.program.model import describe

REPO = Path(__file__).resolve().parents[2]


def demo_with(tmp_path: Path, access: str) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(
        REPO / "examples" / "demo", target, ignore=shutil.ignore_patterns(".codexstack")
    )
    services = target / "services.yaml"
    text = services.read_text()
    assert "\ncodex:\n" in text
    services.write_text(text.replace("\ncodex:\n", "\ncodex:\n  agentAccess:\n" + access, 1))
    return services


def writes(settings: AgentSettings) -> set[str]:
    role = next(o for o in agent_objects("ns", settings, {}) if o["kind"] == "Role")
    return {
        r
        for rule in role["rules"]
        if set(rule["verbs"]) & {"create", "update", "patch"}
        for r in rule["resources"]
    }


def test_off_by_default() -> None:
    objs = agent_objects("ns", AgentSettings(), {})
    assert not [o for o in objs if o["kind"].startswith("ValidatingAdmission")]
    assert not writes(AgentSettings()) & POD_RUNNERS


def test_redeploy_grants_the_filtered_apply_and_installs_the_namespace_guard() -> None:
    settings = AgentSettings(redeploy=True, allowed_secrets=("db", "api-keys"))
    scale = {"deployments/scale", "statefulsets/scale"}  # granted by default
    assert writes(AgentSettings()) == scale
    assert writes(settings) == scale | {"deployments", "services", "configmaps"}
    objs = {o["kind"]: o for o in agent_objects("demo-7", settings, {"team": "x"})}
    policy = objs["ValidatingAdmissionPolicy"]
    binding = objs["ValidatingAdmissionPolicyBinding"]
    assert policy["metadata"]["name"] == binding["metadata"]["name"] == guard_name("demo-7")
    assert "namespace" not in policy["metadata"]  # cluster-scoped, named after its namespace
    only_here = {"matchLabels": {"kubernetes.io/metadata.name": "demo-7"}}
    assert policy["spec"]["matchConstraints"]["namespaceSelector"] == only_here
    assert binding["spec"]["matchResources"]["namespaceSelector"] == only_here
    assert binding["spec"]["policyName"] == policy["metadata"]["name"]
    variables = {v["name"]: v["expression"] for v in policy["spec"]["variables"]}
    assert variables["allowedSecrets"] == "['api-keys', 'db']"
    (condition,) = policy["spec"]["matchConditions"]
    assert "'system:serviceaccount:demo-7:codex'" in condition["expression"]


def test_a_name_that_could_break_the_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="not a Secret name"):
        agent_objects("ns", AgentSettings(redeploy=True, allowed_secrets=("a'] + ['b",)), {})


def test_services_yaml_switches_reach_the_stack(tmp_path: Path) -> None:
    services = demo_with(
        tmp_path, "    podExec: true\n    redeploy: yes\n    secrets: [postgres-credentials]\n"
    )
    plan = load_plan(PlanRequest(services, "ai", slot=3, process_env={}))
    assert plan.agent.pod_exec
    assert plan.agent.redeploy
    assert plan.agent.secrets == ("postgres-credentials",)
    model = describe(plan)
    assert model.agent is not None
    assert model.agent.settings.redeploy
    assert model.agent.settings.allowed_secrets == ("postgres-credentials",)
    assert any("codex.agentAccess.podExec" in w for w in model.warnings)
    default = load_plan(PlanRequest(REPO / "examples/demo/services.yaml", "ai", slot=3))
    assert not describe(default).warnings


@pytest.mark.parametrize(
    ("block", "at", "named"),
    [
        ("    redeploy: true\n    secrets: [Not_A_Name]\n", "  agentAccess:", "Not_A_Name"),
        ("    podExec: maybe\n", "    podExec: maybe", "podExec"),
    ],
    ids=["bad-secret-name", "bad-switch"],
)
def test_a_bad_value_fails_at_its_line(tmp_path: Path, block: str, at: str, named: str) -> None:
    services = demo_with(tmp_path, block)
    with pytest.raises(ConfigError) as caught:
        load_plan(PlanRequest(services, "ai", slot=3, process_env={}))
    text = str(caught.value)
    assert "codex.agentAccess" in text
    assert named in text
    line = services.read_text().splitlines().index(at) + 1
    assert f"services.yaml:{line}:" in text


def test_the_lint_refuses_workload_writes_without_the_guard() -> None:
    assert any("deployments" in p for p in lint_rules(REDEPLOY_RULES))
    assert lint_rules(REDEPLOY_RULES, guarded=True) == []
    check_settings(AgentSettings(redeploy=True))
    patching = ({"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["patch"]},)
    with pytest.raises(ConfigError, match="can start pods"):
        check_settings(AgentSettings(rules=DEFAULT_RULES + patching))
    check_settings(AgentSettings(rules=DEFAULT_RULES + patching, redeploy=True))
    # The guard judges creates and updates of pod templates, nothing else.
    unjudged = (
        {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["delete"]},
        {"apiGroups": [""], "resources": ["replicationcontrollers"], "verbs": ["create"]},
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]},
    )
    assert len(lint_rules(unjudged, guarded=True)) == 3

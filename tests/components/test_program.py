"""The program under Pulumi mocks: dev, staging and a slot, object by object."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pulumi_kubernetes as k8s
import pytest

from codexstack import naming
from codexstack.components.agent_policy import AgentSettings, lint_rules
from codexstack.components.guardrails import PodSecurity, SlotSettings
from codexstack.errors import ConfigError
from codexstack.program.model import FIELD_MANAGER, describe
from codexstack.program.options import ProgramOptions
from tests.components.conftest import Registration, run_under_mocks
from tests.components.plans import configmap, deployment, make_plan, unit

GROUP = "kubernetes:yaml/v2:ConfigGroup"
CLUSTER_SCOPED = {"Namespace"}


def _meta(obj: dict[str, Any]) -> dict[str, Any]:
    return obj["metadata"]


@pytest.mark.parametrize(("env", "slot"), [("dev", 0), ("staging", 0), ("ai", 3)])
def test_every_object_lands_in_the_stack_namespace_with_ownership_labels(env: str, slot: int):
    plan = make_plan(env, slot)
    reg = run_under_mocks(plan)
    objs = reg.k8s_objects()
    assert len(objs) >= 9
    for obj in objs:
        meta = _meta(obj)
        if obj["kind"] in CLUSTER_SCOPED:
            assert meta["name"] == plan.namespace
        else:
            assert meta["namespace"] == plan.namespace, obj
        labels = meta["labels"]
        assert labels[naming.MANAGED_BY] == "codexstack"
        assert labels[naming.LABEL_PROJECT] == "demo"
        assert labels[naming.LABEL_ENV] == env
        assert labels.get(naming.LABEL_SLOT) == (str(slot) if slot else None)


def test_unit_objects_carry_their_unit_label_and_keep_their_own_labels():
    reg = run_under_mocks(make_plan("dev"))
    api = reg.one(GROUP, "api-objects")
    deploy = next(o for o in api.inputs["objs"] if o["kind"] == "Deployment")
    assert deploy["metadata"]["labels"][naming.LABEL_UNIT] == "api"
    assert deploy["metadata"]["labels"]["app"] == "api"
    assert deploy["spec"]["selector"] == {"matchLabels": {"app": "api"}}
    assert api.inputs["resourcePrefix"] == "api"


def test_the_namespace_has_one_owner_and_keeps_the_manifest_labels():
    plan = make_plan("dev")
    reg = run_under_mocks(plan)
    namespaces = [o for o in reg.k8s_objects() if o["kind"] == "Namespace"]
    assert len(namespaces) == 1
    labels = namespaces[0]["metadata"]["labels"]
    assert labels["team"] == "core"
    assert labels["pod-security.kubernetes.io/audit"] == "baseline"
    ns = reg.one("kubernetes:core/v1:Namespace", "namespace-namespace-demo-dev")
    assert ns.parent_types[-1] == "codexstack:index:Slot"


def test_shared_environments_get_labels_but_no_blocking_guardrails():
    reg = run_under_mocks(make_plan("staging"))
    kinds = {o["kind"] for o in reg.k8s_objects()}
    assert "ResourceQuota" not in kinds
    assert "LimitRange" not in kinds
    assert set(_policies(reg)) == {"codex-agent-egress"}


def _policies(reg: Registration) -> dict[str, dict[str, Any]]:
    return {
        o["metadata"]["name"]: o["spec"] for o in reg.k8s_objects() if o["kind"] == "NetworkPolicy"
    }


def test_a_slot_is_fenced_quota_limits_and_default_deny():
    plan = make_plan("ai", 7)
    reg = run_under_mocks(plan)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for obj in reg.k8s_objects():
        by_kind.setdefault(obj["kind"], []).append(obj)
    quota = by_kind["ResourceQuota"][0]["spec"]["hard"]
    assert {"requests.cpu", "limits.memory", "pods"} <= set(quota)
    limits = by_kind["LimitRange"][0]["spec"]["limits"][0]
    assert set(limits["defaultRequest"]) == set(limits["default"]) == {"cpu", "memory"}
    policies = _policies(reg)
    deny = policies["codexstack-default-deny"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    same_ns = policies["codexstack-allow-namespace"]
    assert same_ns["ingress"] == [{"from": [{"podSelector": {}}]}]
    dns = policies["codexstack-allow-dns"]["egress"][0]
    assert {p["port"] for p in dns["ports"]} == {53}
    assert {p["protocol"] for p in dns["ports"]} == {"UDP", "TCP"}
    ingress = policies["codexstack-allow-ingress-controller"]["ingress"][0]["from"][0]
    assert ingress["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"
    }
    ns = by_kind["Namespace"][0]["metadata"]["labels"]
    assert ns["pod-security.kubernetes.io/enforce"] == "baseline"
    assert ns["pod-security.kubernetes.io/warn"] == "restricted"
    assert ns[naming.LABEL_SLOT] == "7"


def test_the_agent_role_reads_no_secrets_and_is_bound_in_its_namespace():
    plan = make_plan("ai", 2)
    reg = run_under_mocks(plan)
    role = reg.one("kubernetes:rbac.authorization.k8s.io/v1:Role", "agent-role-codex-agent")
    rules = role.inputs["rules"]
    assert lint_rules(rules) == []
    for rule in rules:
        assert "secrets" not in rule["resources"]
        assert "*" not in rule["verbs"]
        assert "*" not in rule["resources"]
    binding = reg.one(
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "agent-rolebinding-codex-agent"
    )
    assert binding.inputs["subjects"] == [
        {"kind": "ServiceAccount", "name": "codex", "namespace": plan.namespace}
    ]
    assert binding.inputs["roleRef"]["kind"] == "Role"
    assert not [o for o in reg.k8s_objects() if o["kind"].startswith("Cluster")]
    codex = reg.one(GROUP, "codex-objects").inputs["objs"][0]
    assert codex["spec"]["template"]["spec"]["serviceAccountName"] == "codex"
    egress = _policies(reg)["codex-agent-egress"]
    assert egress["podSelector"] == {"matchLabels": {"app": "codex"}}


def test_an_agent_manifest_naming_its_own_account_keeps_it():
    plan = make_plan(
        "ai",
        2,
        codex=False,
        extra_services=(
            unit("service", "codex", deployment("codex", "demo-ai-2", serviceAccountName="agent")),
        ),
    )
    reg = run_under_mocks(plan)
    binding = reg.one(
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "agent-rolebinding-agent-agent"
    )
    assert binding.inputs["subjects"][0]["name"] == "agent"


def test_names_are_stable_and_independent_of_content():
    first = {r.urn for r in run_under_mocks(make_plan("ai", 4)).resources}
    changed = make_plan("ai", 4, codex=True)
    api = changed.services[0]
    new_api = dataclasses.replace(
        api,
        manifests=tuple(
            dataclasses.replace(m, obj={**m.obj, "data": {"LOG_LEVEL": "debug"}})
            if m.kind == "ConfigMap"
            else m
            for m in api.manifests
        ),
    )
    changed = dataclasses.replace(changed, services=(new_api, *changed.services[1:]))
    second = {r.urn for r in run_under_mocks(changed).resources}
    assert first == second
    names = {r.name for r in run_under_mocks(make_plan("ai", 4)).resources}
    assert {"api-objects", "postgres-objects", "namespace", "agent", "kubernetes"} <= names


def _annotations(reg: Registration) -> dict[str, dict[str, str]]:
    """Await annotations per unit object (the field manager is checked on its own)."""
    return {
        f"{o['kind']}/{o['metadata']['name']}": {
            k: v for k, v in o["metadata"].get("annotations", {}).items() if k != FIELD_MANAGER
        }
        for g in reg.of_type(GROUP)
        for o in g.inputs["objs"]
    }


def test_every_object_is_applied_by_the_stacks_own_field_manager():
    reg = run_under_mocks(make_plan("ai", 8))
    objs = reg.k8s_objects()
    assert {o["kind"] for o in objs} >= {"Namespace", "Role", "NetworkPolicy", "Deployment"}
    for obj in objs:
        assert obj["metadata"]["annotations"][FIELD_MANAGER] == "codexstack-ai-8", obj["kind"]


def test_without_wait_nothing_is_awaited():
    for found in _annotations(run_under_mocks(make_plan("dev"))).values():
        assert found["pulumi.com/skipAwait"] == "true"


def test_wait_awaits_workloads_only_with_their_budget():
    on = _annotations(
        run_under_mocks(make_plan("dev"), ProgramOptions(wait=True, await_timeout_s=90))
    )
    assert on["Deployment/api"] == {"pulumi.com/timeoutSeconds": "90"}
    assert on["Service/api"] == {"pulumi.com/skipAwait": "true"}
    assert on["ConfigMap/api-config"] == {"pulumi.com/skipAwait": "true"}


def test_a_manifest_await_annotation_is_respected():
    ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": "web",
            "namespace": "demo-dev",
            "annotations": {"pulumi.com/skipAwait": "false"},
        },
    }
    plan = make_plan("dev", extra_services=(unit("service", "edge", ingress),))
    on = _annotations(run_under_mocks(plan, ProgramOptions(wait=True)))
    assert on["Ingress/web"] == {"pulumi.com/skipAwait": "false"}


def test_the_provider_is_explicit_server_side_and_adopts_existing_objects(tmp_path):
    reg = run_under_mocks(make_plan("dev"))
    (prov,) = reg.of_type("pulumi:providers:kubernetes")
    assert prov.inputs["enableServerSideApply"] == "true"
    if "upsert_existing_objects" in inspect.signature(k8s.ProviderArgs.__init__).parameters:
        assert prov.inputs["upsertExistingObjects"] == "true"
    offline = run_under_mocks(make_plan("dev"), ProgramOptions(render_to=tmp_path))
    (prov,) = offline.of_type("pulumi:providers:kubernetes")
    assert prov.inputs["renderYamlToDirectory"] == str(tmp_path)
    assert "kubeconfig" not in prov.inputs


def test_ai_repair_uses_the_staging_namespace_without_owning_it():
    plan = make_plan("ai-repair", namespace="demo-ai-staging")
    reg = run_under_mocks(plan)
    assert not reg.of_type("kubernetes:core/v1:Namespace")
    assert not [o for o in reg.k8s_objects() if o["kind"] == "Namespace"]
    assert describe(plan).shares_namespace
    assert not describe(make_plan("staging")).shares_namespace
    assert all(
        o["metadata"]["namespace"] == "demo-ai-staging"
        for o in reg.k8s_objects()
        if o["kind"] != "Namespace"
    )


def test_an_object_defined_twice_is_a_config_error():
    plan = make_plan(
        "dev", extra_services=(unit("service", "other", configmap("api-config", "demo-dev")),)
    )
    with pytest.raises(ConfigError, match="ConfigMap demo-dev/api-config is defined twice"):
        run_under_mocks(plan)


def test_an_agent_role_with_secret_access_is_refused():
    bad = AgentSettings(rules=({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]},))
    with pytest.raises(ConfigError, match="no access to secrets"):
        run_under_mocks(make_plan("ai", 1), ProgramOptions(agent=bad))


def test_a_manifest_binding_the_agent_to_a_cluster_role_is_refused():
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "codex-edit", "namespace": "demo-ai-1"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit"},
        "subjects": [{"kind": "ServiceAccount", "name": "codex"}],
    }
    plan = make_plan("ai", 1, extra_services=(unit("service", "rbac", binding),))
    with pytest.raises(ConfigError, match="ClusterRole edit"):
        run_under_mocks(plan)


def test_an_agent_account_brought_by_the_manifests_is_bound_not_created_twice():
    account = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": "codex", "namespace": "demo-ai-2"},
    }
    codex = deployment("codex", "demo-ai-2", serviceAccountName="codex")
    plan = make_plan(
        "ai", 2, codex=False, extra_services=(unit("service", "codex", account, codex),)
    )
    reg = run_under_mocks(plan)
    assert not reg.of_type("kubernetes:core/v1:ServiceAccount")
    accounts = [o for o in reg.k8s_objects() if o["kind"] == "ServiceAccount"]
    assert len(accounts) == 1
    binding = reg.one(
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "agent-rolebinding-codex-agent"
    )
    assert binding.inputs["subjects"][0]["name"] == "codex"


def test_a_manifest_object_named_like_the_agent_role_is_refused_before_pulumi():
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "codex-agent", "namespace": "demo-ai-2"},
        "rules": [],
    }
    plan = make_plan("ai", 2, extra_services=(unit("service", "rbac", role),))
    with pytest.raises(ConfigError, match="created by codexstack for the agent"):
        describe(plan)


def test_host_path_mounts_need_an_explicit_privileged_opt_in():
    """Issue 14 defect 9: before, enforcement was relaxed to privileged with a warning."""
    mounted = deployment(
        "tools", "demo-ai-6", volumes=[{"name": "src", "hostPath": {"path": "/srv/src"}}]
    )
    plan = make_plan("ai", 6, extra_services=(unit("service", "tools", mounted),))
    with pytest.raises(ConfigError, match="Deployment/tools mount hostPath") as caught:
        describe(plan)
    assert caught.value.hint is not None
    assert "slots.podSecurity: privileged" in caught.value.hint
    opted_in = ProgramOptions(slot=SlotSettings(pod_security=PodSecurity(enforce="privileged")))
    model = describe(plan, opted_in)
    assert model.namespace is not None
    assert model.namespace.settings.pod_security is not None
    assert model.namespace.settings.pod_security.enforce == "privileged"
    plain = describe(make_plan("ai", 6))
    assert plain.warnings == ()
    assert plain.namespace is not None
    assert plain.namespace.settings.pod_security is not None
    assert plain.namespace.settings.pod_security.enforce == "baseline"


def test_shared_environments_never_enforce_pod_security():
    reg = run_under_mocks(make_plan("dev"))
    (ns,) = [o for o in reg.k8s_objects() if o["kind"] == "Namespace"]
    labels = ns["metadata"]["labels"]
    assert "pod-security.kubernetes.io/enforce" not in labels
    assert labels["pod-security.kubernetes.io/warn"] == "baseline"

"""Battery S2 in full: the agent's permissions on the real apiserver, cell by cell.

A slot stack (``ai-<N>``) of the demo is applied; then, for every resource and verb of a wide
matrix (namespaced in its own namespace and in another, and cluster-scoped ones), the real
authorizer is asked as the agent's service account (a SubjectAccessReview with the account's
user name and groups — what ``kubectl auth can-i --as`` sends). The answers must equal what the
agent's Role grants, cell for cell: a failed review is a test failure, never a "no".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from codexstack import kube
from codexstack.cluster.health import ClusterStatus
from codexstack.components.agent_policy import DEFAULT_RULES
from tests.integration.apply_support import USED_NAMESPACES, cs, demo, sweep

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1800), pytest.mark.usefixtures("sweep")]
__all__ = ["demo", "sweep"]  # fixtures

VERBS = (
    "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection",
    "escalate", "bind", "impersonate",
)  # fmt: skip
NAMESPACED = (
    ("", "pods"), ("", "pods/log"), ("", "pods/exec"), ("", "pods/attach"),
    ("", "pods/portforward"), ("", "pods/ephemeralcontainers"), ("", "secrets"),
    ("", "configmaps"), ("", "services"), ("", "endpoints"), ("", "events"),
    ("", "serviceaccounts"), ("", "serviceaccounts/token"), ("", "persistentvolumeclaims"),
    ("", "resourcequotas"), ("", "limitranges"), ("apps", "deployments"),
    ("apps", "deployments/scale"), ("apps", "statefulsets"), ("apps", "statefulsets/scale"),
    ("apps", "replicasets"), ("apps", "daemonsets"), ("batch", "jobs"), ("batch", "cronjobs"),
    ("networking.k8s.io", "networkpolicies"), ("networking.k8s.io", "ingresses"),
    ("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "rolebindings"),
    ("discovery.k8s.io", "endpointslices"),
)  # fmt: skip
CLUSTER = (
    ("", "namespaces"), ("", "nodes"), ("", "persistentvolumes"),
    ("rbac.authorization.k8s.io", "clusterroles"),
    ("rbac.authorization.k8s.io", "clusterrolebindings"),
    ("apiextensions.k8s.io", "customresourcedefinitions"), ("storage.k8s.io", "storageclasses"),
    ("admissionregistration.k8s.io", "validatingwebhookconfigurations"),
)  # fmt: skip


def granted(group: str, resource: str, verb: str) -> bool:
    return any(
        group in rule.get("apiGroups", ())
        and resource in rule.get("resources", ())
        and verb in rule.get("verbs", ())
        for rule in DEFAULT_RULES
    )


@pytest.fixture
def slot_namespace(demo: Path, cluster: ClusterStatus) -> Iterator[str]:
    slot = 70 + uuid.uuid4().int % 9
    ns = f"demo-shop-dev-{slot}"
    USED_NAMESPACES.append(ns)
    cs(demo, cluster, "apply", "--env", "ai", "--slot", str(slot))
    yield ns
    cs(demo, cluster, "destroy", "--env", "ai", "--slot", str(slot), "--remove")


def test_s2_the_agents_permissions_are_exactly_its_role(
    slot_namespace: str, cluster: ClusterStatus
) -> None:
    api = kube.Client.from_kubeconfig(Path(cluster.kubeconfig))
    ns = slot_namespace
    user = f"system:serviceaccount:{ns}:codex"
    groups = ["system:serviceaccounts", f"system:serviceaccounts:{ns}", "system:authenticated"]

    def allowed(verb: str, group: str, resource: str, where: str | None) -> bool:
        name, _, sub = resource.partition("/")
        attributes = {"verb": verb, "group": group, "resource": name, "subresource": sub}
        if where is not None:
            attributes["namespace"] = where
        review = {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SubjectAccessReview",
            "spec": {"user": user, "groups": groups, "resourceAttributes": attributes},
        }
        path = kube.path_of("apis", "authorization.k8s.io", "v1", "subjectaccessreviews")
        answer = api.request("POST", path, review).expect()  # a failure fails the test
        status = answer["status"]
        assert "evaluationError" not in status, status
        return bool(status.get("allowed"))

    wrong: list[str] = []
    cells = 0
    for group, resource in NAMESPACED:
        for verb in VERBS:
            cells += 2
            want = granted(group, resource, verb)
            if allowed(verb, group, resource, ns) != want:
                wrong.append(f"{verb} {group or 'core'}/{resource} in {ns}: expected {want}")
            if allowed(verb, group, resource, "default"):
                wrong.append(f"{verb} {group or 'core'}/{resource} in default: allowed")
    for group, resource in CLUSTER:
        for verb in VERBS:
            cells += 1
            if allowed(verb, group, resource, None):
                wrong.append(f"{verb} {group or 'core'}/{resource} (cluster-scoped): allowed")
    print(f"S2 figures: {cells} cells checked, {len(wrong)} wrong")
    assert wrong == []
    assert cells > 700

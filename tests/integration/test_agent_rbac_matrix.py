"""Battery S2: the agent's service account, asked of the real API, can do exactly its role.

The agent's objects (``agent_objects``: ServiceAccount, Role, RoleBinding) are applied into a
fresh namespace; then the apiserver's authorizer is asked for every verb on every resource the
rules could concern, in the agent's namespace and in another one, as the service account (a
``SubjectAccessReview`` per cell: the check ``kubectl auth can-i --as`` makes, without a
process per question). The expected answer comes from the rules themselves, so the matrix is
complete by construction; an evaluation error fails the test instead of reading as "no".
``kubectl auth can-i`` itself is asked the key questions too: exit 0 is yes, exit 1 with "no"
is no, anything else (an error) fails.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from codexstack import kube
from codexstack.cluster.health import ClusterStatus
from codexstack.components.agent_policy import DEFAULT_RULES, AgentSettings, agent_objects

SAR = "/apis/authorization.k8s.io/v1/subjectaccessreviews"
NS = "codexstack-s2-agent"
OTHER = "codexstack-s2-other"
VERBS = ("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection")
RESOURCES = {
    "": (
        "pods",
        "pods/log",
        "pods/exec",
        "pods/attach",
        "pods/portforward",
        "services",
        "endpoints",
        "configmaps",
        "secrets",
        "persistentvolumeclaims",
        "events",
        "serviceaccounts",
        "serviceaccounts/token",
        "resourcequotas",
        "namespaces",
    ),
    "apps": (
        "deployments",
        "deployments/scale",
        "replicasets",
        "statefulsets",
        "statefulsets/scale",
        "daemonsets",
    ),
    "batch": ("jobs", "cronjobs"),
    "networking.k8s.io": ("ingresses", "networkpolicies"),
    "discovery.k8s.io": ("endpointslices",),
    "rbac.authorization.k8s.io": ("roles", "rolebindings"),
}
SPECIAL = (
    ("escalate", "rbac.authorization.k8s.io", "roles"),
    ("bind", "rbac.authorization.k8s.io", "roles"),
    ("impersonate", "", "serviceaccounts"),
)

pytestmark = pytest.mark.integration


def allowed(verb: str, group: str, resource: str) -> bool:
    return any(
        group in rule.get("apiGroups", ())
        and resource in rule.get("resources", ())
        and verb in rule.get("verbs", ())
        for rule in DEFAULT_RULES
    )


@pytest.fixture(scope="module")
def agent(kubectl: list[str]) -> Iterator[str]:
    objs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}} for n in (NS, OTHER)]
    objs += agent_objects(NS, AgentSettings(), {"app.kubernetes.io/part-of": "s2"})
    text = "\n---\n".join(json.dumps(o) for o in objs)
    subprocess.run(
        [*kubectl, "apply", "-f", "-"], input=text, text=True, check=True, capture_output=True
    )
    yield f"system:serviceaccount:{NS}:codex"
    subprocess.run(
        [*kubectl, "delete", "namespace", NS, OTHER, "--wait=false"],
        capture_output=True,
        check=False,
    )


def can_i(kubectl: list[str], user: str, verb: str, group: str, resource: str, ns: str) -> bool:
    kind, _, sub = resource.partition("/")
    target = f"{kind}.{group}" if group else kind
    argv = [*kubectl, "auth", "can-i", verb, target, "-n", ns, "--as", user]
    if sub:
        argv.append(f"--subresource={sub}")
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    answer = done.stdout.strip()
    if done.returncode == 0 and answer == "yes":
        return True
    if done.returncode == 1 and answer == "no":
        return False
    raise AssertionError(
        f"kubectl auth can-i {verb} {target} {sub} failed (exit {done.returncode}):"
        f" {answer!r} {done.stderr.strip()!r}"
    )


def review(client: kube.Client, user: str, verb: str, group: str, resource: str, ns: str) -> bool:
    kind, _, sub = resource.partition("/")
    attributes = {"namespace": ns, "verb": verb, "group": group, "resource": kind}
    if sub:
        attributes["subresource"] = sub
    body = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SubjectAccessReview",
        "spec": {
            "user": user,
            "groups": [
                "system:serviceaccounts",
                f"system:serviceaccounts:{NS}",
                "system:authenticated",
            ],
            "resourceAttributes": attributes,
        },
    }
    status = client.request("POST", SAR, body).expect().get("status", {})
    if status.get("evaluationError"):
        raise AssertionError(f"{verb} {group}/{resource}: {status['evaluationError']}")
    return bool(status.get("allowed"))


def test_the_full_matrix_matches_the_role(cluster: ClusterStatus, agent: str) -> None:
    client = kube.Client.from_kubeconfig(Path(cluster.kubeconfig))
    wrong = []
    asked = 0
    for group, resources in RESOURCES.items():
        for resource in resources:
            for verb in VERBS:
                asked += 2
                expected = allowed(verb, group, resource)
                if review(client, agent, verb, group, resource, NS) != expected:
                    wrong.append(f"{verb} {group}/{resource} in {NS}")
                if review(client, agent, verb, group, resource, OTHER):
                    wrong.append(f"{verb} {group}/{resource} in {OTHER}")
    for verb, group, resource in SPECIAL:
        asked += 1
        if review(client, agent, verb, group, resource, NS):
            wrong.append(f"{verb} {group}/{resource}")
    assert not wrong, wrong
    assert asked > 400


def test_kubectl_can_i_agrees_on_the_key_questions(kubectl: list[str], agent: str) -> None:
    for verb, resource in (
        ("create", "pods/exec"),
        ("get", "pods/exec"),
        ("create", "pods/portforward"),
        ("get", "secrets"),
        ("list", "secrets"),
        ("create", "pods"),
    ):
        assert not can_i(kubectl, agent, verb, "", resource, NS)
    for verb, resource in (("get", "pods/log"), ("delete", "pods"), ("list", "events")):
        assert can_i(kubectl, agent, verb, "", resource, NS)


def test_a_kubectl_error_is_not_a_no(kubectl: list[str], agent: str) -> None:
    with pytest.raises(AssertionError, match="failed"):
        can_i([*kubectl[:1], "--kubeconfig=/nonexistent"], agent, "get", "", "pods", NS)

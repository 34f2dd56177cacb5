"""Battery S2: the agent's service account, asked of the real API, can do exactly its role.

For each setting of ``codex.agentAccess`` (default, ``podExec``, ``redeploy``, both) the agent's
objects (``agent_objects``: ServiceAccount, Role, RoleBinding, and with ``redeploy`` the
admission guard) are applied into a fresh namespace. Then the apiserver's authorizer is asked
for every verb on every resource the rules could concern, in the agent's namespace and in
another one, as the service account: a ``SubjectAccessReview`` per cell, the check
``kubectl auth can-i --as`` makes, without a process per question. The expected answer comes
from the granted rules themselves, so the matrix is complete by construction; an evaluation
error fails the test instead of reading as "no". ``kubectl auth can-i`` itself is asked the
key questions too: exit 0 is yes, exit 1 with "no" is no, anything else (an error) fails.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from codexstack import kube
from codexstack.cluster.health import ClusterStatus
from codexstack.components.agent_policy import AgentSettings, agent_objects

SAR = "/apis/authorization.k8s.io/v1/subjectaccessreviews"
OTHER = "codexstack-s2-other"
VARIANTS = {
    "default": AgentSettings(),
    "podExec": AgentSettings(pod_exec=True),
    "redeploy": AgentSettings(redeploy=True, allowed_secrets=("db",)),
    "podExec+redeploy": AgentSettings(pod_exec=True, redeploy=True),
}
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
        "limitranges",
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


def allowed(settings: AgentSettings, verb: str, group: str, resource: str) -> bool:
    return any(
        group in rule.get("apiGroups", ())
        and resource in rule.get("resources", ())
        and verb in rule.get("verbs", ())
        for rule in settings.granted_rules
    )


@dataclass(frozen=True)
class Agent:
    user: str
    namespace: str
    settings: AgentSettings


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def agent(kubectl: list[str], request: pytest.FixtureRequest) -> Iterator[Agent]:
    ns = f"codexstack-s2-{request.param.lower().replace('+', '-')}"
    settings = VARIANTS[request.param]
    objs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}} for n in (ns, OTHER)]
    objs += agent_objects(ns, settings, {"app.kubernetes.io/part-of": "s2"})
    text = "\n---\n".join(json.dumps(o) for o in objs)
    subprocess.run(
        [*kubectl, "apply", "-f", "-"], input=text, text=True, check=True, capture_output=True
    )
    yield Agent(f"system:serviceaccount:{ns}:codex", ns, settings)
    guard = [
        f"{o['kind'].lower()}/{o['metadata']['name']}"
        for o in objs
        if "namespace" not in o["metadata"] and o["kind"] != "Namespace"
    ]
    subprocess.run(
        [*kubectl, "delete", "namespace", ns, "--wait=false"], capture_output=True, check=False
    )
    if guard:
        subprocess.run([*kubectl, "delete", *guard], capture_output=True, check=False)


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


def review(client: kube.Client, who: Agent, verb: str, group: str, resource: str, ns: str) -> bool:
    kind, _, sub = resource.partition("/")
    attributes = {"namespace": ns, "verb": verb, "group": group, "resource": kind}
    if sub:
        attributes["subresource"] = sub
    body = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SubjectAccessReview",
        "spec": {
            "user": who.user,
            "groups": [
                "system:serviceaccounts",
                f"system:serviceaccounts:{who.namespace}",
                "system:authenticated",
            ],
            "resourceAttributes": attributes,
        },
    }
    status = client.request("POST", SAR, body).expect().get("status", {})
    if status.get("evaluationError"):
        raise AssertionError(f"{verb} {group}/{resource}: {status['evaluationError']}")
    return bool(status.get("allowed"))


def test_the_full_matrix_matches_the_role(cluster: ClusterStatus, agent: Agent) -> None:
    client = kube.Client.from_kubeconfig(Path(cluster.kubeconfig))
    ns = agent.namespace
    wrong = []
    asked = 0
    for group, resources in RESOURCES.items():
        for resource in resources:
            for verb in VERBS:
                asked += 2
                expected = allowed(agent.settings, verb, group, resource)
                if review(client, agent, verb, group, resource, ns) != expected:
                    wrong.append(f"{verb} {group}/{resource} in {ns}")
                if review(client, agent, verb, group, resource, OTHER):
                    wrong.append(f"{verb} {group}/{resource} in {OTHER}")
    for verb, group, resource in SPECIAL:
        asked += 1
        if review(client, agent, verb, group, resource, ns):
            wrong.append(f"{verb} {group}/{resource}")
    assert not wrong, wrong
    assert asked > 400


def test_kubectl_can_i_agrees_on_the_key_questions(kubectl: list[str], agent: Agent) -> None:
    ns, user, settings = agent.namespace, agent.user, agent.settings
    for verb, resource in (("get", "secrets"), ("list", "secrets"), ("create", "pods")):
        assert not can_i(kubectl, user, verb, "", resource, ns)
    for verb, resource in (("create", "pods/exec"), ("get", "pods/exec")):
        assert can_i(kubectl, user, verb, "", resource, ns) is settings.pod_exec
    assert can_i(kubectl, user, "create", "", "pods/portforward", ns) is settings.pod_exec
    assert can_i(kubectl, user, "patch", "apps", "deployments", ns) is settings.redeploy
    assert not can_i(kubectl, user, "patch", "apps", "statefulsets", ns)
    for verb, resource in (("get", "pods/log"), ("delete", "pods"), ("list", "events")):
        assert can_i(kubectl, user, verb, "", resource, ns)


def test_a_kubectl_error_is_not_a_no(kubectl: list[str], agent: Agent) -> None:
    with pytest.raises(AssertionError, match="failed"):
        can_i([*kubectl[:1], "--kubeconfig=/nonexistent"], agent.user, "get", "", "pods", OTHER)

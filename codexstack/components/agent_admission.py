"""The admission policy that keeps the agent from escalating through the workloads it may patch.

An agent that may patch Deployments (to restart or re-deploy its own services) could otherwise
rewrite a pod spec to run as another service account, mount any Secret, or reach the node.
This ``ValidatingAdmissionPolicy`` (GA since Kubernetes 1.30) applies to requests made by an
agent service account (``system:serviceaccount:<ns>:<agent>``) in namespaces labelled
``codexstack.io/agent-guard=enabled`` and refuses a pod template (Pod, Deployment, ReplicaSet,
StatefulSet, DaemonSet, Job, CronJob) that:
- names a service account other than the one the object already had (``default`` when new);
- mounts a Secret volume, projects one, or reads one through ``env``/``envFrom`` unless it is
  on the namespace's allow-list (annotation ``codexstack.io/agent-secrets: a,b``);
- uses ``hostPath``, ``privileged`` containers, or the host's network, PID or IPC namespace.
Everyone else (the runner's apply, controllers) is not matched. The objects are plain dicts,
tested against a real apiserver.
"""

from __future__ import annotations

from typing import Any

POLICY = "codexstack-agent-guard"
NAMESPACE_LABEL = "codexstack.io/agent-guard"
SECRETS_ANNOTATION = "codexstack.io/agent-secrets"
_WORKLOADS = ("deployments", "replicasets", "statefulsets", "daemonsets")

_POD_SPEC = (
    "object.kind == 'Pod' ? object.spec : "
    "(object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec"
    " : object.spec.template.spec)"
)
_OLD_SA = (
    "oldObject == null ? 'default' : "
    "(oldObject.kind == 'Pod' ? oldObject.spec : "
    "(oldObject.kind == 'CronJob' ? oldObject.spec.jobTemplate.spec.template.spec"
    " : oldObject.spec.template.spec)).?serviceAccountName.orValue('default')"
)
_ALLOWED = (
    f"namespaceObject.metadata.?annotations[?'{SECRETS_ANNOTATION}'].orValue('')"
    ".split(',').map(s, s.trim())"
)
_CONTAINERS = (
    "variables.spec.containers + variables.spec.?initContainers.orValue([])"
    " + variables.spec.?ephemeralContainers.orValue([])"
)
_VALIDATIONS: tuple[tuple[str, str], ...] = (
    (
        "variables.spec.?serviceAccountName.orValue('default') == variables.oldServiceAccount",
        "the agent may not change a pod's service account",
    ),
    (
        "variables.spec.?volumes.orValue([]).all(v, !has(v.hostPath))",
        "the agent may not mount hostPath volumes",
    ),
    (
        "!variables.spec.?hostNetwork.orValue(false) && !variables.spec.?hostPID.orValue(false)"
        " && !variables.spec.?hostIPC.orValue(false)",
        "the agent may not use the host's network, PID or IPC namespace",
    ),
    (
        "variables.containers.all(c, !c.?securityContext.?privileged.orValue(false))",
        "the agent may not run privileged containers",
    ),
    (
        "variables.spec.?volumes.orValue([]).all(v, !has(v.secret)"
        " || v.secret.secretName in variables.allowedSecrets)"
        " && variables.spec.?volumes.orValue([]).all(v, !has(v.projected)"
        " || v.projected.sources.all(s, !has(s.secret)"
        " || s.secret.name in variables.allowedSecrets))",
        "the agent may not mount a Secret outside the namespace's allow-list",
    ),
    (
        "variables.containers.all(c, c.?env.orValue([]).all(e,"
        " !has(e.valueFrom) || !has(e.valueFrom.secretKeyRef)"
        " || e.valueFrom.secretKeyRef.name in variables.allowedSecrets)"
        " && c.?envFrom.orValue([]).all(f, !has(f.secretRef)"
        " || f.secretRef.name in variables.allowedSecrets))",
        "the agent may not read a Secret outside the namespace's allow-list through env",
    ),
)


def policy(agent_service_accounts: tuple[str, ...] = ("codex",)) -> dict[str, Any]:
    """The ``ValidatingAdmissionPolicy`` (cluster-scoped)."""
    users = " || ".join(
        f"request.userInfo.username == 'system:serviceaccount:' + request.namespace + ':{sa}'"
        for sa in agent_service_accounts
    )
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": POLICY},
        "spec": {
            "failurePolicy": "Fail",
            "matchConstraints": {
                "resourceRules": [
                    {
                        "apiGroups": [""],
                        "apiVersions": ["v1"],
                        "operations": ["CREATE", "UPDATE"],
                        "resources": ["pods"],
                    },
                    {
                        "apiGroups": ["apps"],
                        "apiVersions": ["v1"],
                        "operations": ["CREATE", "UPDATE"],
                        "resources": list(_WORKLOADS),
                    },
                    {
                        "apiGroups": ["batch"],
                        "apiVersions": ["v1"],
                        "operations": ["CREATE", "UPDATE"],
                        "resources": ["jobs", "cronjobs"],
                    },
                ]
            },
            "matchConditions": [{"name": "agent-only", "expression": users}],
            "variables": [
                {"name": "spec", "expression": _POD_SPEC},
                {"name": "oldServiceAccount", "expression": _OLD_SA},
                {"name": "allowedSecrets", "expression": _ALLOWED},
                {"name": "containers", "expression": _CONTAINERS},
            ],
            "validations": [{"expression": e, "message": m} for e, m in _VALIDATIONS],
        },
    }


def binding() -> dict[str, Any]:
    """The binding that enforces the policy in namespaces labelled for it."""
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": POLICY},
        "spec": {
            "policyName": POLICY,
            "validationActions": ["Deny"],
            "matchResources": {"namespaceSelector": {"matchLabels": {NAMESPACE_LABEL: "enabled"}}},
        },
    }

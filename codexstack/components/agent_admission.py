"""The admission policy that keeps the agent from escalating through the workloads it may patch.

An agent that may patch Deployments (``codex.agentAccess.redeploy``, to re-deploy its own
services) could otherwise rewrite a pod spec to run as another service account, mount any
Secret, or reach the node. The stack then installs this ``ValidatingAdmissionPolicy`` (GA
since Kubernetes 1.30) and its binding, one pair per namespace (named after it, so every stack
owns its own and its teardown removes them; no two stacks share a cluster-scoped object). It
applies to requests made by the agent's service account (``system:serviceaccount:<ns>:<sa>``)
in that namespace and refuses a pod template (Pod, Deployment, ReplicaSet, StatefulSet,
DaemonSet, Job, CronJob) that:
- names a service account other than the one the object already had (``default`` when new);
- mounts a Secret volume, projects one, or reads one through ``env``/``envFrom`` unless it is
  on the allow-list (``codex.agentAccess.secrets``, written into the policy);
- uses ``hostPath``, ``privileged`` containers, or the host's network, PID or IPC namespace.
Everyone else (the runner's apply, controllers) is not matched. The objects are plain dicts,
tested against a real apiserver.
"""

from __future__ import annotations

import re
from typing import Any

POLICY = "codexstack-agent-guard"
SECRET_NAME = re.compile(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?")
"""A Secret's name (DNS subdomain): also what keeps the CEL list literal below well-formed."""
_WORKLOADS = ("deployments", "replicasets", "statefulsets", "daemonsets")
GUARDED = frozenset({"pods", *_WORKLOADS, "jobs", "cronjobs"})
"""What the policy judges on create and update (a patch is an update to admission)."""

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


def guard_name(namespace: str) -> str:
    """The policy's and the binding's name for ``namespace``."""
    return f"{POLICY}-{namespace}"


def _allowed(secrets: tuple[str, ...]) -> str:
    bad = [s for s in secrets if not SECRET_NAME.fullmatch(s)]
    if bad:
        raise ValueError(f"not a Secret name: {', '.join(map(repr, bad))}")
    return "[" + ", ".join(f"'{s}'" for s in sorted(set(secrets))) + "]"


def _in_namespace(namespace: str) -> dict[str, Any]:
    return {"matchLabels": {"kubernetes.io/metadata.name": namespace}}


def policy(
    namespace: str,
    service_accounts: tuple[str, ...] = ("codex",),
    allowed_secrets: tuple[str, ...] = (),
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The ``ValidatingAdmissionPolicy`` guarding ``namespace`` (cluster-scoped)."""
    users = " || ".join(
        f"request.userInfo.username == 'system:serviceaccount:{namespace}:{sa}'"
        for sa in service_accounts
    )
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": guard_name(namespace), "labels": dict(labels or {})},
        "spec": {
            "failurePolicy": "Fail",
            "matchConstraints": {
                "namespaceSelector": _in_namespace(namespace),
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
                ],
            },
            "matchConditions": [{"name": "agent-only", "expression": users}],
            "variables": [
                {"name": "spec", "expression": _POD_SPEC},
                {"name": "oldServiceAccount", "expression": _OLD_SA},
                {"name": "allowedSecrets", "expression": _allowed(allowed_secrets)},
                {"name": "containers", "expression": _CONTAINERS},
            ],
            "validations": [{"expression": e, "message": m} for e, m in _VALIDATIONS],
        },
    }


def binding(namespace: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """The binding that enforces ``namespace``'s policy there (and nowhere else)."""
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": guard_name(namespace), "labels": dict(labels or {})},
        "spec": {
            "policyName": guard_name(namespace),
            "validationActions": ["Deny"],
            "matchResources": {"namespaceSelector": _in_namespace(namespace)},
        },
    }

"""The agent's pod: wait for its Deployment's rollout, then pick the pod to exec into.

``prompt run`` targets ``deploy/<agent service>`` as codexctl's ``kubectl exec deploy/codex``
does: the rollout must be complete (``kubectl rollout status`` semantics: the controller saw
the latest generation, every replica is updated and available, no old replica is left) within
``codex.timeouts.rollout``; then the newest Running and Ready pod of the Deployment's selector
is used, with the Deployment's first container.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from codexstack.errors import DeployError
from codexstack.kube import Client, KubeError, path_of

POLL = 1.0


@dataclass(frozen=True)
class AgentPod:
    """Where the agent runs."""

    namespace: str
    pod: str
    container: str


def rollout_state(deployment: dict[str, Any]) -> tuple[bool, str]:
    """Whether a Deployment's rollout is complete, and what it waits for if not."""
    meta, spec = deployment.get("metadata", {}), deployment.get("spec", {})
    status = deployment.get("status", {})
    want = int(spec.get("replicas", 1))
    if int(status.get("observedGeneration", 0)) < int(meta.get("generation", 0)):
        return False, "waiting for the controller to see the latest spec"
    updated = int(status.get("updatedReplicas", 0))
    total = int(status.get("replicas", 0))
    available = int(status.get("availableReplicas", 0))
    if updated < want:
        return False, f"{updated} of {want} replicas updated"
    if total > updated:
        return False, f"{total - updated} old replicas pending termination"
    if available < updated:
        return False, f"{available} of {updated} updated replicas available"
    return True, f"{available} of {want} replicas available"


def wait_rollout(
    client: Client,
    namespace: str,
    name: str,
    timeout: float,
    say: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """The Deployment once rolled out; :class:`DeployError` after ``timeout`` seconds."""
    path = path_of("apis", "apps", "v1", "namespaces", namespace, "deployments", name)
    deadline = time.monotonic() + timeout
    last = ""
    while True:
        answer = client.request("GET", path)
        if answer.status == 404:
            detail = f"deployment {name} does not exist in {namespace}"
        else:
            deployment = answer.expect()
            done, detail = rollout_state(deployment)
            if done:
                return deployment
        if detail != last:
            say(f"rollout of deploy/{name}: {detail}")
            last = detail
        if time.monotonic() >= deadline:
            raise DeployError(
                f"deploy/{name} in {namespace} did not roll out in {timeout:.0f} s: {detail}",
                hint="codex.timeouts.rollout sets the limit",
            )
        time.sleep(POLL)


def _ready(pod: dict[str, Any]) -> bool:
    if pod.get("metadata", {}).get("deletionTimestamp"):
        return False
    status = pod.get("status", {})
    conditions = status.get("conditions") or []
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
    return status.get("phase") == "Running" and ready


def pick_pod(client: Client, namespace: str, deployment: dict[str, Any]) -> AgentPod:
    """The newest Running and Ready pod of the Deployment, with its first container."""
    name = deployment["metadata"]["name"]
    labels = (deployment.get("spec", {}).get("selector") or {}).get("matchLabels") or {}
    if not labels:
        raise DeployError(f"deploy/{name} has no matchLabels selector to find its pods by")
    selector = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
    try:
        pods = client.list(
            path_of("api", "v1", "namespaces", namespace, "pods"), {"labelSelector": selector}
        )
    except KubeError as exc:
        raise DeployError(f"listing the pods of deploy/{name}: {exc.message}") from exc
    ready = sorted(
        (p for p in pods if _ready(p)),
        key=lambda p: str(p["metadata"].get("creationTimestamp", "")),
    )
    if not ready:
        raise DeployError(f"deploy/{name} in {namespace} has no Running and Ready pod")
    containers = deployment["spec"]["template"]["spec"].get("containers") or [{}]
    return AgentPod(namespace, ready[-1]["metadata"]["name"], str(containers[0].get("name", "")))

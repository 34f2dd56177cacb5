"""The registry's few questions about slot namespaces on a real cluster.

Release needs "is this namespace gone?" (a terminating namespace still counts as present),
orphan reports need "which slot namespaces exist?" (namespaces carrying the slot label that
the deploy layer sets) and their fix needs "delete this namespace"; ensure-ready needs "are
its Deployments Available?" and "is the agent there?". Each is a plain function over
:class:`KubeApi`, handed to the slot operations as a callable.
"""

from __future__ import annotations

import time

from codexstack.errors import DeployError
from codexstack.slots.kubeapi import KubeApi, path_of
from codexstack.slots.registry import RegistryError

SLOT_LABEL = "codexstack.io/slot"


def namespace_gone(api: KubeApi, namespace: str) -> bool:
    """True when the namespace does not exist (not even terminating)."""
    if not namespace:
        return True
    answer = api.request("GET", path_of("api", "v1", "namespaces", namespace))
    if answer.status in (200, 404):
        return answer.status == 404
    raise RegistryError(
        f"cannot read namespace {namespace}: HTTP {answer.status}: {answer.message}",
        status=answer.status,
    )


def slot_namespaces(api: KubeApi, selector: str = SLOT_LABEL) -> set[str]:
    """Live (not terminating) namespaces matching the selector (slot namespaces by default)."""
    answer = api.request(
        "GET", path_of("api", "v1", "namespaces"), query={"labelSelector": selector}
    )
    if answer.status != 200:
        raise RegistryError(
            f"cannot list namespaces: HTTP {answer.status}: {answer.message}", status=answer.status
        )
    items = answer.body.get("items") or []
    # A terminating namespace is on its way out: neither a live slot nor an orphan.
    live = [i for i in items if (i.get("status") or {}).get("phase") != "Terminating"]
    return {str((i.get("metadata") or {}).get("name")) for i in live}


def delete_namespace(api: KubeApi, namespace: str) -> None:
    """Ask for the namespace's deletion (it terminates asynchronously); absent is fine."""
    answer = api.request("DELETE", path_of("api", "v1", "namespaces", namespace))
    if answer.status not in (200, 202, 404):
        raise RegistryError(
            f"cannot delete namespace {namespace}: HTTP {answer.status}: {answer.message}",
            status=answer.status,
        )


def agent_present(api: KubeApi, namespace: str, deployment: str = "codex") -> bool:
    """``codexctl_env_ready``: the namespace and the agent's Deployment exist (existence only)."""
    if not namespace or namespace_gone(api, namespace):
        return False
    path = path_of("apis", "apps", "v1", "namespaces", namespace, "deployments", deployment)
    return api.request("GET", path).status == 200


def unavailable_deployments(api: KubeApi, namespace: str) -> list[str]:
    """Deployments of the namespace whose Available condition is not True."""
    answer = api.request(
        "GET", path_of("apis", "apps", "v1", "namespaces", namespace, "deployments")
    )
    if answer.status != 200:
        raise RegistryError(
            f"cannot list deployments in {namespace}: HTTP {answer.status}: {answer.message}",
            status=answer.status,
        )
    waiting = []
    for item in answer.body.get("items") or []:
        conditions = (item.get("status") or {}).get("conditions") or []
        if not any(c.get("type") == "Available" and c.get("status") == "True" for c in conditions):
            waiting.append(str((item.get("metadata") or {}).get("name")))
    return sorted(waiting)


def wait_available(api: KubeApi, namespace: str, timeout: float, poll: float = 1.0) -> None:
    """``kubectl wait --for=condition=Available deployment --all``: DeployError on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        waiting = unavailable_deployments(api, namespace)
        if not waiting:
            return
        if time.monotonic() >= deadline:
            raise DeployError(
                f"deployments in {namespace} not Available after {timeout:g}s: {', '.join(waiting)}"
            )
        time.sleep(poll)

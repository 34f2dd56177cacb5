"""The registry's few questions about slot namespaces on a real cluster.

Release needs "is this namespace gone?" (a terminating namespace still counts as present),
orphan reports need "which slot namespaces exist?" (namespaces carrying the slot label that
the deploy layer sets) and their fix needs "delete this namespace" (cleanup too, for one a hook
left behind); ensure-ready needs "are
its Deployments Available?" and "is the agent there?". Each is a plain function over
:class:`~codexstack.kube.Client`, handed to the slot operations as a callable.
"""

from __future__ import annotations

import time

from codexstack.errors import DeployError
from codexstack.kube import Client, path_of
from codexstack.naming import MANAGED_BY, MANAGED_BY_VALUE
from codexstack.slots.kubecall import refused, send

SLOT_LABEL = "codexstack.io/slot"


def namespace_gone(api: Client, namespace: str) -> bool:
    """True when the namespace does not exist (not even terminating)."""
    if not namespace:
        return True
    answer = send(api, "GET", path_of("api", "v1", "namespaces", namespace))
    if answer.status in (200, 404):
        return answer.status == 404
    raise refused(answer, f"read namespace {namespace}")


def slot_namespaces(api: Client, selector: str = SLOT_LABEL) -> set[str]:
    """Live (not terminating) namespaces matching the selector (slot namespaces by default)."""
    answer = send(api, "GET", path_of("api", "v1", "namespaces"), query={"labelSelector": selector})
    if answer.status != 200:
        raise refused(answer, "list namespaces")
    items = answer.body.get("items") or []
    # A terminating namespace is on its way out: neither a live slot nor an orphan.
    live = [i for i in items if (i.get("status") or {}).get("phase") != "Terminating"]
    return {str((i.get("metadata") or {}).get("name")) for i in live}


def delete_namespace(api: Client, namespace: str) -> None:
    """Ask for the namespace's deletion (it terminates asynchronously); absent is fine."""
    answer = send(api, "DELETE", path_of("api", "v1", "namespaces", namespace))
    if answer.status not in (200, 202, 404):
        raise refused(answer, f"delete namespace {namespace}")


def delete_if_left(api: Client, namespace: str) -> bool:
    """Delete the namespace when it is live and labelled codexstack's; True when asked to.

    A destroyed slot stack takes its namespace with it; one that was never applied owns none,
    yet destroy's ``beforeAll`` hooks may have created it (``codex.ensure-codex-secrets``
    does, to hold the agent's Secrets). A namespace without codexstack's label is left alone.
    """
    answer = send(api, "GET", path_of("api", "v1", "namespaces", namespace))
    if answer.status == 404:
        return False
    if answer.status != 200:
        raise refused(answer, f"read namespace {namespace}")
    meta = answer.body.get("metadata") or {}
    ours = (meta.get("labels") or {}).get(MANAGED_BY) == MANAGED_BY_VALUE
    if not ours or meta.get("deletionTimestamp"):
        return False
    delete_namespace(api, namespace)
    return True


def agent_present(api: Client, namespace: str, deployment: str = "codex") -> bool:
    """``codexctl_env_ready``: the namespace and the agent's Deployment exist (existence only)."""
    if not namespace or namespace_gone(api, namespace):
        return False
    path = path_of("apis", "apps", "v1", "namespaces", namespace, "deployments", deployment)
    return send(api, "GET", path).status == 200


def unavailable_deployments(api: Client, namespace: str) -> list[str]:
    """Deployments of the namespace whose Available condition is not True."""
    answer = send(api, "GET", path_of("apis", "apps", "v1", "namespaces", namespace, "deployments"))
    if answer.status != 200:
        raise refused(answer, f"list deployments in {namespace}")
    waiting = []
    for item in answer.body.get("items") or []:
        conditions = (item.get("status") or {}).get("conditions") or []
        if not any(c.get("type") == "Available" and c.get("status") == "True" for c in conditions):
            waiting.append(str((item.get("metadata") or {}).get("name")))
    return sorted(waiting)


def wait_available(api: Client, namespace: str, timeout: float, poll: float = 1.0) -> None:
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

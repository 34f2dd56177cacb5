"""``--preflight``: real checks before a run, all reported together (D-PREFLIGHT).

codexctl only looks for binaries on PATH. codexstack checks what makes a run fail: the tools
(the engine, kubectl when hooks need it), the cluster answering, the caller being allowed the
verbs the stack needs on every kind it contains (SelfSubjectAccessReview, per namespace), the
target namespace not being deleted (a slot in teardown: "slot being deleted", battery C3) and
the stack not being locked by another run. Each check yields a :class:`Check`; the failures
are raised as one error listing them all.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexstack import kube
from codexstack.deploy.engine import Engine
from codexstack.deploy.kube import client_for
from codexstack.deploy.locks import engine_locks, is_stale, local_lock
from codexstack.deploy.state import ProjectState, file_backend_dir
from codexstack.deploy.workspace import pulumi_project
from codexstack.errors import CodexstackError, DeployError, StackBusyError
from codexstack.plan import Plan

VERBS = ("get", "list", "watch", "create", "patch", "delete")
"""Server-side apply creates and patches; awaits list and watch; pruning deletes."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.name, "ok": self.ok, "detail": self.detail}


class SlotBeingDeleted(StackBusyError):
    """The target namespace is terminating: the slot is being torn down."""


def check_tools(engine: Engine, kubectl: str | None) -> Iterator[Check]:
    pulumi = engine.root / "bin" / "pulumi" if engine.root else shutil.which("pulumi")
    present = bool(pulumi) and os.access(str(pulumi), os.X_OK)
    yield Check("tool pulumi", present, str(pulumi or "not found"))
    if kubectl is not None:
        found = shutil.which(kubectl) or (kubectl if os.access(kubectl, os.X_OK) else None)
        yield Check("tool kubectl", bool(found), found or f"{kubectl} not found")


def check_lock(plan: Plan, project_dir: Path) -> Iterator[Check]:
    state = ProjectState(project_dir)
    try:
        with local_lock(state.stack_dir(plan.stack), plan.stack):
            pass
    except StackBusyError as exc:
        yield Check("stack not locked", False, exc.message)
        return
    backend_dir = file_backend_dir(state.backend_url())
    held = (
        [
            lock
            for lock in engine_locks(backend_dir, pulumi_project(plan), plan.stack)
            if not is_stale(lock)
        ]
        if backend_dir
        else []
    )
    yield Check("stack not locked", not held, "; ".join(map(str, held)) or plan.stack)


def _kinds(plan: Plan) -> set[tuple[str, str, str]]:
    """(apiVersion, kind, namespace) of everything the stack writes."""
    found = {(m.api_version, m.kind, m.namespace) for u in plan.units() for m in u.manifests}
    if plan.namespace:
        found |= {
            ("v1", "Namespace", ""),
            ("v1", "ResourceQuota", plan.namespace),
            ("v1", "LimitRange", plan.namespace),
            ("v1", "ServiceAccount", plan.namespace),
            ("networking.k8s.io/v1", "NetworkPolicy", plan.namespace),
            ("rbac.authorization.k8s.io/v1", "Role", plan.namespace),
            ("rbac.authorization.k8s.io/v1", "RoleBinding", plan.namespace),
        }
    return found


def _resources(client: kube.Client, api_version: str) -> dict[str, tuple[str, bool]]:
    """Discovery of one group version: kind -> (resource name, namespaced); {} if not served."""
    base = ("api", api_version) if "/" not in api_version else ("apis", *api_version.split("/"))
    answer = client.request("GET", kube.path_of(*base))
    if answer.status == 404:  # a custom kind whose CRD comes with the stack
        return {}
    if not answer.ok:
        raise kube.KubeError(f"discovery of {api_version}: HTTP {answer.status}: {answer.message}")
    return {
        str(r["kind"]): (str(r["name"]), bool(r.get("namespaced")))
        for r in answer.body.get("resources") or []
        if "/" not in str(r.get("name", ""))  # subresources (pods/log) share the kind
    }


def _allowed(client: kube.Client, attributes: dict[str, str]) -> bool:
    review = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "spec": {"resourceAttributes": attributes},
    }
    path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
    return bool((client.request("POST", path, review).expect().get("status") or {}).get("allowed"))


def check_access(plan: Plan, client: kube.Client) -> Iterator[Check]:
    """SelfSubjectAccessReview for each verb on each (resource, namespace) of the stack."""
    denied: list[str] = []
    discovered: dict[str, dict[str, tuple[str, bool]]] = {}
    try:
        for api_version, kind, namespace in sorted(_kinds(plan)):
            if api_version not in discovered:
                discovered[api_version] = _resources(client, api_version)
            if kind not in discovered[api_version]:
                continue
            resource, namespaced = discovered[api_version][kind]
            ns = (namespace or plan.namespace) if namespaced else None
            group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
            for verb in VERBS:
                attributes = {"group": group, "resource": resource, "verb": verb}
                if ns:
                    attributes["namespace"] = ns
                if not _allowed(client, attributes):
                    denied.append(
                        f"{verb} {resource}{'.' + group if group else ''}"
                        + (f" in {ns}" if ns else "")
                    )
    except kube.KubeError as exc:
        yield Check("permissions", False, exc.message[:300])
        return
    yield Check(
        "permissions",
        not denied,
        "denied: " + ", ".join(denied)
        if denied
        else f"{len(VERBS)} verbs on every kind of the stack",
    )


def check_cluster(plan: Plan) -> Iterator[Check]:
    try:
        client = client_for(plan.cluster)
        version = client.request("GET", "/version").expect().get("gitVersion", "?")
    except Exception as exc:  # any failure here means "not reachable"
        yield Check("cluster reachable", False, f"{type(exc).__name__}: {exc}"[:300])
        return
    try:
        yield Check("cluster reachable", True, f"Kubernetes {version}")
        if plan.namespace:
            yield from check_namespace(plan.namespace, client)
        yield from check_access(plan, client)
    finally:
        client.close()


def check_namespace(namespace: str, client: kube.Client) -> Iterator[Check]:
    try:
        answer = client.request("GET", kube.path_of("api", "v1", "namespaces", namespace))
    except kube.KubeError as exc:
        yield Check("namespace usable", False, f"{namespace}: {exc.message}")
        return
    if answer.status == 404:
        yield Check("namespace usable", True, f"{namespace} will be created")
        return
    if not answer.ok:
        yield Check("namespace usable", False, f"{namespace}: HTTP {answer.status}")
        return
    phase = (answer.body.get("status") or {}).get("phase", "")
    ok = phase != "Terminating"
    yield Check(
        "namespace usable",
        ok,
        f"{namespace} is {phase}"
        if ok
        else f"slot being deleted: namespace {namespace} is terminating",
    )


def run_checks(
    plan: Plan, project_dir: Path, engine: Engine, kubectl: str | None = None
) -> list[Check]:
    """Every check, in order; nothing raises here."""
    checks: list[Check] = [*check_tools(engine, kubectl), *check_lock(plan, project_dir)]
    checks.extend(check_cluster(plan))
    return checks


def preflight(
    plan: Plan, project_dir: Path, engine: Engine, kubectl: str | None = None
) -> list[Check]:
    """Run the checks; raise one error naming every failure (busy ones exit 75)."""
    checks = run_checks(plan, project_dir, engine, kubectl)
    failed = [c for c in checks if not c.ok]
    if failed:
        raise _error(failed)
    return checks


def _error(failed: Iterable[Check]) -> CodexstackError:
    failed = list(failed)
    text = "preflight failed:\n  " + "\n  ".join(f"{c.name}: {c.detail}" for c in failed)
    if any(c.detail.startswith("slot being deleted") for c in failed):
        return SlotBeingDeleted(text, hint="wait until the namespace is gone, then retry")
    if all(c.name == "stack not locked" for c in failed):
        return StackBusyError(text)
    return DeployError(text)

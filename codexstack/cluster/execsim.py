"""kwok's exec simulation: an exec into a simulated pod runs a local command in a set directory.

The local cluster has no container runtime, so ``kubectl exec`` (and codexstack's exec client)
would have nowhere to go. kwok serves the kubelet API on loopback and, for pods matched by an
``Exec`` or ``ClusterExec`` object (``kwok.x-k8s.io/v1alpha1``), runs the requested command
as a local process with the object's working directory and environment. ``cluster up`` installs
the two CRDs (:func:`ensure_crds`) and starts kwok with them enabled; :func:`map_workspace`
points every pod of a slot namespace at that slot's workspace directory, with an environment
built like a kubelet's (the container's ``env``: literal values and ``secretKeyRef``s resolved
from the namespace's Secrets), a private ``HOME`` under the workspace's ``.codexstack/`` and
the stand-in agent's directory first on ``PATH``. The real exec path still runs end to end:
client → apiserver → kubelet API (kwok) → process.
"""

from __future__ import annotations

import base64
import functools
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from codexstack import kube
from codexstack.cluster import probes
from codexstack.cluster.components import KWOK_CRDS, NODE_IP
from codexstack.cluster.layout import Layout, Ports, default_state_dir
from codexstack.errors import DeployError

GROUP = "kwok.x-k8s.io"
VERSION = "v1alpha1"
CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
_SCOPES = {"Exec": "Namespaced", "ClusterExec": "Cluster"}
# Seen by every simulated process; the pod's own variables come on top (kubelet-like: a pod
# does not inherit the environment of whoever started the cluster).
BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
WORKSPACE_ENV = "CODEXSTACK_WORKSPACE"
"""Where the pod's ``/workspace`` really is (the commands ``prompt run`` sends read it)."""


def kwok_environment() -> dict[str, str]:
    """The environment kwok itself runs with: nothing of the caller's beyond locale and PATH."""
    keep = ("LANG", "LC_ALL", "TZ")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["PATH"] = BASE_PATH
    env["HOME"] = "/nonexistent"
    return env


def crd(kind: str) -> dict[str, Any]:
    """A minimal CRD for one of kwok's exec kinds (kwok reads spec; status is its own)."""
    plural = kind.lower() + "s"
    schema = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{GROUP}"},
        "spec": {
            "group": GROUP,
            "scope": _SCOPES[kind],
            "names": {
                "kind": kind,
                "listKind": f"{kind}List",
                "plural": plural,
                "singular": kind.lower(),
            },
            "versions": [
                {
                    "name": VERSION,
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": schema},
                    "subresources": {"status": {}},
                }
            ],
        },
    }


def admin(layout: Layout, ports: Ports) -> kube.Client:
    """The cluster's admin client (its own PKI)."""
    return kube.Client(probes.admin_endpoint(ports.apiserver, layout.pki))


def _established(client: kube.Client, name: str) -> tuple[bool, str]:
    answer = client.request("GET", f"{CRD_PATH}/{name}")
    if answer.status != 200:
        return False, f"HTTP {answer.status}"
    conditions = (answer.body.get("status") or {}).get("conditions") or []
    ok = any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions)
    return ok, "" if ok else "not established yet"


def ensure_crds(layout: Layout, ports: Ports, timeout: float) -> None:
    """Create the Exec/ClusterExec CRDs if missing and wait until the apiserver serves them."""
    client = admin(layout, ports)
    for kind in KWOK_CRDS:
        obj = crd(kind)
        name = obj["metadata"]["name"]
        client.request("POST", CRD_PATH, obj).expect(ok=(409,))
        ok, detail = probes.wait_until(
            functools.partial(_established, client, name), timeout=timeout
        )
        if not ok:
            raise DeployError(f"CRD {name} not established in {timeout:.0f} s: {detail}")


def resolve_env(
    container: Mapping[str, Any], secrets: Mapping[str, Mapping[str, str]]
) -> dict[str, str]:
    """A container's ``env`` as a kubelet would set it: literals and Secret keys (base64 data)."""
    out: dict[str, str] = {}
    for item in container.get("env") or []:
        name = item.get("name", "")
        if "value" in item:
            out[name] = str(item["value"])
            continue
        ref = (item.get("valueFrom") or {}).get("secretKeyRef")
        if not ref:
            continue
        data = secrets.get(ref.get("name", ""), {})
        if ref.get("key") in data:
            out[name] = base64.b64decode(data[ref["key"]]).decode()
        elif not ref.get("optional"):
            raise DeployError(f"secret {ref.get('name')}/{ref.get('key')} for ${name} is missing")
    return out


def cluster_exec(
    namespace: str,
    workdir: Path,
    *,
    env: Mapping[str, str],
    containers: Sequence[str] = (),
    bin_dirs: Sequence[Path] = (),
) -> dict[str, Any]:
    """The ClusterExec sending exec into any pod of ``namespace`` to ``workdir``."""
    home = workdir / ".codexstack" / "home"
    path = ":".join([*(str(d) for d in bin_dirs), BASE_PATH])
    envs = {**env, "HOME": str(home), "PATH": path, WORKSPACE_ENV: str(workdir)}
    target: dict[str, Any] = {
        "local": {
            "workDir": str(workdir),
            "envs": [{"name": k, "value": envs[k]} for k in sorted(envs)],
        }
    }
    if containers:
        target["containers"] = list(containers)
    return {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "ClusterExec",
        "metadata": {"name": f"codexstack-workspace-{namespace}"},
        "spec": {"selector": {"matchNamespaces": [namespace]}, "execs": [target]},
    }


def map_workspace(
    namespace: str,
    workdir: Path,
    *,
    state_dir: Path | None = None,
    deployment: str = "codex",
    bin_dirs: Sequence[Path] = (),
) -> dict[str, Any]:
    """Point exec into ``namespace``'s pods at ``workdir``, with the agent container's env.

    The environment is the first container of ``deployment`` as a kubelet would build it;
    the ClusterExec is replaced when it exists, so a re-run picks up changed Secrets.
    """
    layout = Layout((state_dir or default_state_dir()).resolve())
    ports = layout.load_ports()
    if ports is None:
        raise DeployError(f"no local cluster in {layout.root}", hint="run `codexstack cluster up`")
    client = admin(layout, ports)
    base = kube.path_of("apis", "apps", "v1", "namespaces", namespace, "deployments", deployment)
    spec = client.request("GET", base).expect()["spec"]["template"]["spec"]
    secrets = {
        item["metadata"]["name"]: item.get("data") or {}
        for item in client.list(kube.path_of("api", "v1", "namespaces", namespace, "secrets"))
    }
    containers = spec.get("containers") or []
    env = resolve_env(containers[0], secrets) if containers else {}
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / ".codexstack" / "home").mkdir(parents=True, exist_ok=True)
    obj = cluster_exec(
        namespace,
        workdir,
        env=env,
        containers=[c["name"] for c in containers],
        bin_dirs=bin_dirs,
    )
    path = f"/apis/{GROUP}/{VERSION}/clusterexecs/{obj['metadata']['name']}"
    client.apply(path, obj, manager="codexstack-execsim")
    return obj


def ensure_node_address(layout: Layout, ports: Ports, node: str) -> None:
    """Point the node's InternalIP at kwok's kubelet API on loopback.

    kwok keeps addresses a node already has, so a node made by an older ``cluster up`` (with a
    pod-range address nothing listens on) is corrected here once.
    """
    client = admin(layout, ports)
    path = kube.path_of("api", "v1", "nodes", node)
    addresses = client.request("GET", path).expect().get("status", {}).get("addresses") or []
    if {"type": "InternalIP", "address": NODE_IP} in addresses:
        return
    patch = {
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": NODE_IP},
                {"type": "Hostname", "address": node},
            ]
        }
    }
    client.request("PATCH", f"{path}/status", patch, content_type=kube.MERGE_PATCH).expect()

"""The safe defaults of a stack's namespace, as plain objects: what the ``Slot`` component owns.

A slot namespace gets Pod Security Admission labels, a ResourceQuota, a LimitRange (which
also gives every container the requests the quota demands) and a default-deny NetworkPolicy
for ingress and egress, with allowances for traffic inside the namespace, DNS and the
ingress controller. ``SlotSettings`` makes each part configurable or switchable off; the
defaults are for slots, and ``SlotSettings.environment()`` is the lighter default of shared
environments (labels only), where a quota or a deny policy would surprise existing users.
The builders are pure so the exact objects are tested and rendered without Pulumi.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from codexstack.render import pod_spec

Obj = dict[str, Any]

DEFAULT_QUOTA: Mapping[str, str] = MappingProxyType(
    {
        "requests.cpu": "4",
        "requests.memory": "8Gi",
        "limits.cpu": "8",
        "limits.memory": "16Gi",
        "pods": "50",
        "persistentvolumeclaims": "10",
        "requests.storage": "50Gi",
        "services.loadbalancers": "0",
        "services.nodeports": "0",
    }
)


@dataclass(frozen=True)
class PodSecurity:
    """Pod Security Admission levels (privileged, baseline, restricted) per mode."""

    enforce: str = "baseline"
    warn: str = "restricted"
    audit: str = "restricted"
    version: str = "latest"

    def labels(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for mode in ("enforce", "warn", "audit"):
            level = getattr(self, mode)
            if level:
                out[f"pod-security.kubernetes.io/{mode}"] = level
                out[f"pod-security.kubernetes.io/{mode}-version"] = self.version
        return out


@dataclass(frozen=True)
class ContainerLimits:
    """LimitRange values for containers: defaults, default requests and the maximum."""

    default: Mapping[str, str] = field(default_factory=lambda: {"cpu": "1", "memory": "1Gi"})
    default_request: Mapping[str, str] = field(
        default_factory=lambda: {"cpu": "50m", "memory": "64Mi"}
    )
    max: Mapping[str, str] = field(default_factory=lambda: {"cpu": "4", "memory": "8Gi"})


@dataclass(frozen=True)
class PeerSelector:
    """Pods in namespaces matched by name (``kubernetes.io/metadata.name``) and pod labels."""

    namespace: str
    pod_labels: Mapping[str, str] = field(default_factory=dict)

    def peer(self) -> Obj:
        peer: Obj = {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": self.namespace}}
        }
        if self.pod_labels:
            peer["podSelector"] = {"matchLabels": dict(self.pod_labels)}
        return peer


@dataclass(frozen=True)
class SlotSettings:
    """What the Slot component puts around a namespace; ``None`` switches a part off."""

    pod_security: PodSecurity | None = field(default_factory=PodSecurity)
    quota: Mapping[str, str] | None = field(default_factory=lambda: dict(DEFAULT_QUOTA))
    limits: ContainerLimits | None = field(default_factory=ContainerLimits)
    network_policy: bool = True
    dns: PeerSelector = field(
        default_factory=lambda: PeerSelector("kube-system", {"k8s-app": "kube-dns"})
    )
    ingress_controllers: tuple[PeerSelector, ...] = (PeerSelector("ingress-nginx"),)

    @classmethod
    def environment(cls) -> SlotSettings:
        """Shared environments (dev, staging): Pod Security warns and audits, nothing blocks."""
        audit_only = PodSecurity(enforce="", warn="baseline", audit="baseline")
        return cls(pod_security=audit_only, quota=None, limits=None, network_policy=False)


def host_path_users(objs: Iterable[Mapping[str, Any]]) -> list[str]:
    """``Kind/name`` of every workload that mounts a hostPath volume (codexctl hostMounts).

    Pod Security ``baseline`` forbids hostPath: the program refuses such a stack unless the
    project chose ``privileged`` explicitly.
    """
    users = []
    for obj in objs:
        pod = pod_spec(obj)
        volumes = pod.get("volumes") if pod else None
        if any(isinstance(v, Mapping) and "hostPath" in v for v in volumes or ()):
            users.append(f"{obj['kind']}/{(obj.get('metadata') or {}).get('name', '?')}")
    return users


def namespace_object(
    name: str,
    settings: SlotSettings,
    labels: Mapping[str, str],
    annotations: Mapping[str, str] | None = None,
) -> Obj:
    """The Namespace, with Pod Security labels on top of the given ones."""
    pss = settings.pod_security.labels() if settings.pod_security else {}
    meta: Obj = {"name": name, "labels": {**labels, **pss}}
    if annotations:
        meta["annotations"] = dict(annotations)
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta}


def _meta(name: str, namespace: str, labels: Mapping[str, str]) -> Obj:
    return {"name": name, "namespace": namespace, "labels": dict(labels)}


def quota_object(namespace: str, quota: Mapping[str, str], labels: Mapping[str, str]) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": _meta("codexstack-quota", namespace, labels),
        "spec": {"hard": dict(quota)},
    }


def limit_range_object(namespace: str, limits: ContainerLimits, labels: Mapping[str, str]) -> Obj:
    item = {
        "type": "Container",
        "default": dict(limits.default),
        "defaultRequest": dict(limits.default_request),
        "max": dict(limits.max),
    }
    return {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": _meta("codexstack-limits", namespace, labels),
        "spec": {"limits": [item]},
    }


def _policy(name: str, namespace: str, labels: Mapping[str, str], spec: Obj) -> Obj:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _meta(name, namespace, labels),
        "spec": spec,
    }


def network_policy_objects(
    namespace: str, settings: SlotSettings, labels: Mapping[str, str]
) -> list[Obj]:
    """Default deny in both directions, then the three allowances (policies add up)."""
    every_pod: Obj = {}
    dns_ports = [{"protocol": p, "port": 53} for p in ("UDP", "TCP")]
    policies = [
        _policy(
            "codexstack-default-deny",
            namespace,
            labels,
            {"podSelector": every_pod, "policyTypes": ["Ingress", "Egress"]},
        ),
        _policy(
            "codexstack-allow-namespace",
            namespace,
            labels,
            {
                "podSelector": every_pod,
                "policyTypes": ["Ingress", "Egress"],
                "ingress": [{"from": [{"podSelector": every_pod}]}],
                "egress": [{"to": [{"podSelector": every_pod}]}],
            },
        ),
        _policy(
            "codexstack-allow-dns",
            namespace,
            labels,
            {
                "podSelector": every_pod,
                "policyTypes": ["Egress"],
                "egress": [{"to": [settings.dns.peer()], "ports": dns_ports}],
            },
        ),
    ]
    if settings.ingress_controllers:
        policies.append(
            _policy(
                "codexstack-allow-ingress-controller",
                namespace,
                labels,
                {
                    "podSelector": every_pod,
                    "policyTypes": ["Ingress"],
                    "ingress": [{"from": [p.peer() for p in settings.ingress_controllers]}],
                },
            )
        )
    return policies


def guardrail_objects(
    namespace: str, settings: SlotSettings, labels: Mapping[str, str]
) -> list[Obj]:
    """Everything inside the namespace that the settings ask for (the Namespace excluded)."""
    objs: list[Obj] = []
    if settings.quota:
        objs.append(quota_object(namespace, settings.quota, labels))
    if settings.limits:
        objs.append(limit_range_object(namespace, settings.limits, labels))
    if settings.network_policy:
        objs.extend(network_policy_objects(namespace, settings, labels))
    return objs

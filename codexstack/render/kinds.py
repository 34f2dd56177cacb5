"""Which Kubernetes kinds live in a namespace: the scope registry behind namespace injection.

codexctl skips namespace injection only for six kinds and so puts a namespace on every other
cluster-scoped object (CRDs, StorageClass, PriorityClass, ...), which the API server then
rejects or ignores (defect D-NSINJECT). codexstack decides from a table of the built-in
cluster-scoped kinds, extended with the kinds of any ``CustomResourceDefinition`` with
``spec.scope: Cluster`` found in the same render (the offline half of CRD discovery; the
deploy layer can add what the live cluster reports). The codexctl list is kept for the
compatibility mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

CODEXCTL_UNNAMESPACED: Final = frozenset(
    {
        "Namespace",
        "ClusterRole",
        "ClusterRoleBinding",
        "PersistentVolume",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
    }
)
"""The exact (case-sensitive) kinds codexctl 1.0.x never gives a namespace."""

BUILTIN_CLUSTER_SCOPED: Final = frozenset(
    {
        "APIService",
        "CSIDriver",
        "CSINode",
        "CertificateSigningRequest",
        "ClusterRole",
        "ClusterRoleBinding",
        "ClusterTrustBundle",
        "ComponentStatus",
        "CustomResourceDefinition",
        "DeviceClass",
        "FlowSchema",
        "IPAddress",
        "IngressClass",
        "MutatingAdmissionPolicy",
        "MutatingAdmissionPolicyBinding",
        "MutatingWebhookConfiguration",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PodSecurityPolicy",
        "PriorityClass",
        "PriorityLevelConfiguration",
        "ResourceSlice",
        "RuntimeClass",
        "SelfSubjectAccessReview",
        "SelfSubjectReview",
        "SelfSubjectRulesReview",
        "ServiceCIDR",
        "StorageClass",
        "StorageVersion",
        "StorageVersionMigration",
        "SubjectAccessReview",
        "TokenReview",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
        "VolumeAttachment",
    }
)
"""Kinds of the built-in API groups (Kubernetes 1.30+) that are cluster-scoped."""

LIST_KINDS: Final = frozenset({"List"})
"""Wrapper kinds whose ``items`` are the real objects (kubectl unpacks them)."""


@dataclass(frozen=True)
class KindScopes:
    """Decides whether a kind is namespaced; ``codexctl=True`` reproduces codexctl's short list."""

    cluster_scoped: frozenset[str] = BUILTIN_CLUSTER_SCOPED
    codexctl: bool = False

    def is_namespaced(self, kind: str) -> bool:
        """True when objects of ``kind`` belong in a namespace (unknown kinds: yes)."""
        if self.codexctl:
            return kind not in CODEXCTL_UNNAMESPACED
        return kind not in self.cluster_scoped and kind not in LIST_KINDS

    def with_kinds(self, kinds: Iterable[str]) -> KindScopes:
        """A registry that also treats ``kinds`` as cluster-scoped."""
        extra = frozenset(kinds) - self.cluster_scoped
        if not extra:
            return self
        return KindScopes(cluster_scoped=self.cluster_scoped | extra, codexctl=self.codexctl)


def cluster_scoped_crd_kinds(docs: Iterable[Mapping[str, Any]]) -> set[str]:
    """Kinds declared cluster-scoped by the CustomResourceDefinitions among ``docs``."""
    found: set[str] = set()
    for doc in docs:
        if doc.get("kind") != "CustomResourceDefinition":
            continue
        spec = doc.get("spec")
        if not isinstance(spec, Mapping) or str(spec.get("scope", "")).strip() != "Cluster":
            continue
        names = spec.get("names")
        kind = names.get("kind") if isinstance(names, Mapping) else None
        if isinstance(kind, str) and kind:
            found.add(kind)
    return found

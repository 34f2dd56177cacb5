"""The live side of adoption: objects read, dry-run applied, taken over, listed and deleted.

A :class:`Live` wraps one ``codexstack.kube`` client for the stack's cluster (the caller's
``connect`` builds it, so tests and the deploy layer share one seam). It resolves kinds to
resource paths through API discovery (cached per group/version), reads objects with their
``managedFields``, makes server-side apply calls as the stack's field manager (dry-run to see
conflicts, forced to take fields over) and lists a namespace's objects of every listable kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from codexstack import kube

Obj = dict[str, Any]
SKIPPED = frozenset({"events", "bindings", "localsubjectaccessreviews", "endpoints"})
"""Namespaced resources never worth listing for leftovers (written by the cluster itself)."""


@dataclass(frozen=True)
class Resource:
    group_version: str
    plural: str
    kind: str
    namespaced: bool
    verbs: frozenset[str]

    def path(self, namespace: str, name: str = "") -> str:
        base = ("api",) if "/" not in self.group_version else ("apis",)
        parts = [*base, *self.group_version.split("/")]
        if self.namespaced:
            parts += ["namespaces", namespace]
        parts.append(self.plural)
        if name:
            parts.append(name)
        return kube.path_of(*parts)


@dataclass
class Live:
    """Discovery-backed reads and writes of whole objects on one cluster."""

    client: kube.Client
    _groups: dict[str, list[Resource]] = field(default_factory=dict)

    def resources(self, group_version: str) -> list[Resource]:
        if group_version not in self._groups:
            prefix = ("api",) if "/" not in group_version else ("apis",)
            answer = self.client.request("GET", kube.path_of(*prefix, *group_version.split("/")))
            found = answer.body.get("resources") or [] if answer.status == 200 else []
            self._groups[group_version] = [
                Resource(
                    group_version,
                    str(r["name"]),
                    str(r["kind"]),
                    bool(r.get("namespaced")),
                    frozenset(r.get("verbs") or ()),
                )
                for r in found
                if "/" not in str(r["name"])
            ]
        return self._groups[group_version]

    def resource(self, obj: Mapping[str, Any]) -> Resource | None:
        """The resource of ``obj``'s apiVersion and kind (None: not served, e.g. CRD to come)."""
        kind = str(obj.get("kind", ""))
        return next(
            (r for r in self.resources(str(obj.get("apiVersion", ""))) if r.kind == kind), None
        )

    def get(self, resource: Resource, namespace: str, name: str) -> Obj | None:
        """The live object; None when it is absent or we may not read it (the engine will
        meet the same refusal and report it in its own words)."""
        answer = self.client.request("GET", resource.path(namespace, name))
        if answer.status in (401, 403, 404):
            return None
        return answer.expect()

    def apply(
        self,
        resource: Resource,
        obj: Obj,
        namespace: str,
        *,
        manager: str,
        force: bool,
        dry_run: bool,
    ) -> kube.Response:
        """One server-side apply; the answer is returned whatever its status."""
        query = {"fieldManager": manager, "force": "true" if force else "false"}
        if dry_run:
            query["dryRun"] = "All"
        path = resource.path(namespace, str(obj["metadata"]["name"]))
        return self.client.request("PATCH", path, obj, query, content_type=kube.APPLY_PATCH)

    def namespace_objects(self, namespace: str) -> Iterator[Obj]:
        """Every object in ``namespace`` of every listable, deletable namespaced kind."""
        for resource in self._namespaced_kinds():
            try:
                items = self.client.list(resource.path(namespace))
            except kube.KubeError as exc:
                # An identity that may not list a kind (the agent's own service account
                # re-deploying one service) cannot have left objects of it behind either.
                if exc.status == 403:
                    continue
                raise
            for item in items:
                item.setdefault("apiVersion", resource.group_version)
                item.setdefault("kind", resource.kind)
                yield item

    def delete(self, obj: Mapping[str, Any]) -> bool:
        """Delete ``obj`` (background propagation); False when it was already gone."""
        resource = self.resource(obj)
        if resource is None:
            return False
        meta = obj.get("metadata") or {}
        path = resource.path(str(meta.get("namespace") or ""), str(meta["name"]))
        answer = self.client.request("DELETE", path, {"propagationPolicy": "Background"})
        if answer.status == 404:
            return False
        answer.expect()
        return True

    def _namespaced_kinds(self) -> list[Resource]:
        versions = ["v1"]
        groups = self.client.request("GET", "/apis").expect()
        for group in groups.get("groups") or []:
            preferred = (group.get("preferredVersion") or {}).get("groupVersion")
            if preferred:
                versions.append(str(preferred))
        return [
            r
            for gv in versions
            for r in self.resources(gv)
            if r.namespaced and {"list", "delete"} <= r.verbs and r.plural not in SKIPPED
        ]


Connect = Callable[[], Live]

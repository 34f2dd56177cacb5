"""The canonical anatomy every codexstack component follows, in one base class.

Type token ``codexstack:index:<Type>``; every child is created with ``parent=self`` (so it
inherits the stack's Kubernetes provider) and a name prefixed with the component's name,
because a URN carries the parent's type but not its name and two components with equally
named children would otherwise collide. ``finish`` registers the typed outputs. The kinds
codexstack builds itself (namespace guardrails, agent RBAC) become typed provider resources,
so each is visible to previews, mocks and targets on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from codexstack.components import TYPE_PREFIX

_BUILDERS: dict[
    str, Callable[[str, Mapping[str, Any], pulumi.ResourceOptions], pulumi.CustomResource]
] = {
    "Namespace": lambda n, o, opts: k8s.core.v1.Namespace(n, metadata=o["metadata"], opts=opts),
    "ResourceQuota": lambda n, o, opts: k8s.core.v1.ResourceQuota(
        n, metadata=o["metadata"], spec=o["spec"], opts=opts
    ),
    "LimitRange": lambda n, o, opts: k8s.core.v1.LimitRange(
        n, metadata=o["metadata"], spec=o["spec"], opts=opts
    ),
    "NetworkPolicy": lambda n, o, opts: k8s.networking.v1.NetworkPolicy(
        n, metadata=o["metadata"], spec=o["spec"], opts=opts
    ),
    "ServiceAccount": lambda n, o, opts: k8s.core.v1.ServiceAccount(
        n, metadata=o["metadata"], opts=opts
    ),
    "Role": lambda n, o, opts: k8s.rbac.v1.Role(
        n, metadata=o["metadata"], rules=o["rules"], opts=opts
    ),
    "RoleBinding": lambda n, o, opts: k8s.rbac.v1.RoleBinding(
        n, metadata=o["metadata"], role_ref=o["roleRef"], subjects=o["subjects"], opts=opts
    ),
    "ValidatingAdmissionPolicy": lambda n, o, opts: (
        k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
            n, metadata=o["metadata"], spec=o["spec"], opts=opts
        )
    ),
    "ValidatingAdmissionPolicyBinding": lambda n, o, opts: (
        k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
            n, metadata=o["metadata"], spec=o["spec"], opts=opts
        )
    ),
}


class Component(pulumi.ComponentResource):
    """Base of Infrastructure, Service, Slot and CodexAgent."""

    def __init__(
        self,
        type_name: str,
        name: str,
        opts: pulumi.ResourceOptions | None,
        object_annotations: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(TYPE_PREFIX + type_name, name, None, opts)
        self.component_name = name
        self.object_annotations = dict(object_annotations or {})

    def child_name(self, suffix: str) -> str:
        """``<component>-<suffix>``: unique per stack even when types repeat."""
        return f"{self.component_name}-{suffix}"

    def child_opts(
        self,
        *,
        depends_on: list[pulumi.Resource] | None = None,
        custom_timeouts: pulumi.CustomTimeouts | None = None,
    ) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(
            parent=self, depends_on=depends_on, custom_timeouts=custom_timeouts
        )

    def object_resource(
        self,
        obj: Mapping[str, Any],
        *,
        depends_on: list[pulumi.Resource] | None = None,
    ) -> pulumi.CustomResource:
        """A typed resource for one of the kinds codexstack builds itself.

        The child name is ``<component>-<kind>-<name>`` (lower case), stable for as long as
        the object keeps its kind and name.
        """
        kind = str(obj["kind"])
        name = self.child_name(f"{kind.lower()}-{obj['metadata']['name']}")
        if self.object_annotations:
            meta = obj["metadata"]
            annotations = {**(meta.get("annotations") or {}), **self.object_annotations}
            obj = {**obj, "metadata": {**meta, "annotations": annotations}}
        return _BUILDERS[kind](name, obj, self.child_opts(depends_on=depends_on))

    def finish(self, outputs: Mapping[str, Any]) -> None:
        """Register the component's outputs (the last step of every constructor)."""
        self.register_outputs(dict(outputs))

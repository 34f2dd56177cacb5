"""The ``Slot`` component: a stack's namespace and the guardrails around it.

It owns the Namespace (with the Pod Security labels, plus whatever labels and annotations the
project's own ``Namespace`` document had) and, as the settings ask, the ResourceQuota,
LimitRange and default-deny NetworkPolicies inside it. Everything else in the stack depends
on this component, so the namespace exists and is fenced before the first workload lands,
and is deleted last.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from codexstack.components.base import Component
from codexstack.components.guardrails import SlotSettings, guardrail_objects, namespace_object


class Slot(Component):
    """Namespace + ResourceQuota + LimitRange + NetworkPolicies of one stack."""

    namespace: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        namespace: str,
        settings: SlotSettings,
        labels: Mapping[str, str],
        extra_labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        object_annotations: Mapping[str, str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("Slot", name, opts, object_annotations)
        ns_obj = namespace_object(
            namespace, settings, {**(extra_labels or {}), **labels}, annotations
        )
        ns = self.object_resource(ns_obj)
        guardrails = guardrail_objects(namespace, settings, labels)
        self.guardrails = [self.object_resource(obj, depends_on=[ns]) for obj in guardrails]
        # The output waits for the Namespace, so dependents of it wait for the object too.
        self.namespace = ns.urn.apply(lambda _: namespace)
        self.finish(
            {
                "namespace": self.namespace,
                "guardrails": [f"{o['kind']}/{o['metadata']['name']}" for o in guardrails],
            }
        )

"""``Infrastructure`` and ``Service``: one component per services.yaml unit.

Each wraps the unit's rendered objects in one provider-side ``yaml/v2`` ConfigGroup, which
applies any kind (including custom resources), orders Namespaces and CRDs first inside the
group, and awaits each object's readiness as its ``pulumi.com/skipAwait`` annotation says (the
program decides that per object: workloads under ``--wait``, nothing else).
Child resources are named ``<unit>:<namespace>/<name>`` by the group's resource prefix, so a
unit's objects keep their URNs for as long as they keep their names, and a filtered apply can
target a unit by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pulumi
import pulumi_kubernetes as k8s

from codexstack.components.base import Component
from codexstack.components.objects import object_key


class _Unit(Component):
    """Shared body: a ConfigGroup of the unit's objects, outputs listing what it holds."""

    type_name: ClassVar[str]

    def __init__(
        self,
        name: str,
        objs: Sequence[Mapping[str, Any]],
        *,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(self.type_name, name, opts)
        self.objects = [str(object_key(o)) for o in objs]
        self.group: k8s.yaml.v2.ConfigGroup | None = None
        if objs:
            self.group = k8s.yaml.v2.ConfigGroup(
                self.child_name("objects"),
                objs=[dict(o) for o in objs],
                resource_prefix=name,
                opts=self.child_opts(),
            )
        self.finish({"objects": self.objects})


class Infrastructure(_Unit):
    """One ``infrastructure[]`` block (databases, queues, operators ...)."""

    type_name = "Infrastructure"


class Service(_Unit):
    """One ``services[]`` entry (an application workload and its objects)."""

    type_name = "Service"

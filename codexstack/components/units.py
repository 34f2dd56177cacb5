"""``Infrastructure`` and ``Service``: one component per services.yaml unit.

Each wraps the unit's rendered objects in one provider-side ``yaml/v2`` ConfigGroup, which
applies any kind (including custom resources), orders Namespaces and CRDs first inside the
group, and awaits each object's readiness as its ``pulumi.com/skipAwait`` annotation says (the
program decides that per object: workloads under ``--wait``, nothing else).
Child resources are named ``<unit>:<namespace>/<name>`` by the group's resource prefix, so a
unit's objects keep their URNs for as long as they keep their names, and a filtered apply can
target a unit by name.

A unit whose objects hold a known secret value (:mod:`codexstack.redact`: the values of secret-
named variables, e.g. a ConfigMap a template filled from ``$API_TOKEN``) hands its objects to
the group as a Pulumi secret, so the state keeps them encrypted like a Secret's data (issue 14,
defect 4; battery S4).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pulumi
import pulumi_kubernetes as k8s

from codexstack import redact
from codexstack.components.base import Component
from codexstack.components.objects import object_key


def _holds_secret(value: Any) -> bool:
    return redact.contains_secret(json.dumps(value, default=str, ensure_ascii=False))


def _seal(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    """Make an object that carries a known secret value a Pulumi secret, inputs and outputs.

    The group's objects are registered by the provider, so the secret ``objs`` input does not
    reach them; this transform runs for each of them (resource transforms cross that boundary).
    """
    if not args.custom or not _holds_secret(args.props):
        return None
    props = {
        k: pulumi.Output.secret(v) if k not in ("apiVersion", "kind", "metadata") else v
        for k, v in args.props.items()
    }
    keys = [k for k in props if k not in ("apiVersion", "kind", "metadata")]
    opts = pulumi.ResourceOptions.merge(
        args.opts, pulumi.ResourceOptions(additional_secret_outputs=keys)
    )
    return pulumi.ResourceTransformResult(props, opts)


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
            plain = [dict(o) for o in objs]
            secret = _holds_secret(plain)
            opts = self.child_opts()
            if secret:
                opts = pulumi.ResourceOptions.merge(
                    opts, pulumi.ResourceOptions(transforms=[_seal])
                )
            self.group = k8s.yaml.v2.ConfigGroup(
                self.child_name("objects"),
                objs=pulumi.Output.secret(plain) if secret else plain,
                resource_prefix=name,
                opts=opts,
            )
        self.finish({"objects": self.objects})


class Infrastructure(_Unit):
    """One ``infrastructure[]`` block (databases, queues, operators ...)."""

    type_name = "Infrastructure"


class Service(_Unit):
    """One ``services[]`` entry (an application workload and its objects)."""

    type_name = "Service"

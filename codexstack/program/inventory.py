"""Every object a stack applies, and what codexctl left behind that the stack does not.

:func:`stack_objects` lists the objects the program will hand to the provider (the namespace
with its guardrails, the agent's identity, every unit's objects), shaped exactly as sent, so
the deploy layer can look each one up in the cluster before the engine runs (adoption of what
``kubectl apply`` made). :func:`leftovers` picks, from the live objects of a namespace, those
that carry codexctl's traces (the ``last-applied-configuration`` annotation and a kubectl field
manager), that no codexstack stack manages and that this stack does not contain. Pure.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from codexstack.components import (
    ObjectKey,
    agent_objects,
    guardrail_objects,
    namespace_object,
    object_key,
)
from codexstack.plan import Plan
from codexstack.program.model import StackModel, describe
from codexstack.program.options import ProgramOptions

Obj = dict[str, Any]
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
KUBECTL_APPLY_MANAGERS = frozenset({"kubectl-client-side-apply", "kubectl", "kubectl-create"})
OWN_MANAGER_PREFIX = "codexstack-"


def _annotated(obj: Obj, annotations: Mapping[str, str]) -> Obj:
    out = copy.deepcopy(obj)
    meta = out.setdefault("metadata", {})
    meta["annotations"] = {**(meta.get("annotations") or {}), **annotations}
    return out


def model_objects(model: StackModel) -> list[Obj]:
    """The objects of a described stack, in registration order, as the provider gets them."""
    objs: list[Obj] = []
    extra = model.object_annotations
    if model.namespace is not None:
        ns = model.namespace
        labels = {**ns.extra_labels, **model.labels}
        objs.append(namespace_object(ns.name, ns.settings, labels, ns.annotations))
        objs.extend(guardrail_objects(ns.name, ns.settings, model.labels))
    if model.agent is not None:
        spec = model.agent
        objs.extend(
            agent_objects(
                spec.namespace,
                spec.settings,
                model.labels,
                spec.pod_labels,
                with_account=spec.with_account,
            )
        )
    objs = [_annotated(o, extra) for o in objs]
    for unit in (*model.infrastructure, *model.services):
        objs.extend(copy.deepcopy(unit.objects))
    return objs


def stack_objects(plan: Plan, options: ProgramOptions | None = None) -> list[Obj]:
    """Every object ``plan``'s stack applies (see :func:`model_objects`)."""
    return model_objects(describe(plan, options))


def managers(obj: Mapping[str, Any]) -> list[str]:
    """The field managers recorded on a live object."""
    meta = obj.get("metadata") or {}
    return [str(m.get("manager", "")) for m in meta.get("managedFields") or []]


def applied_by_kubectl(obj: Mapping[str, Any]) -> bool:
    """codexctl's traces: last-applied annotation and a kubectl apply/create manager."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    return LAST_APPLIED in annotations and any(m in KUBECTL_APPLY_MANAGERS for m in managers(obj))


def managed_by_codexstack(obj: Mapping[str, Any]) -> bool:
    return any(m.startswith(OWN_MANAGER_PREFIX) for m in managers(obj))


def _placed(key: ObjectKey) -> ObjectKey:
    return key if key.namespace or key.kind == "Namespace" else replace(key, namespace="default")


def leftovers(live: Iterable[Mapping[str, Any]], desired: Iterable[Mapping[str, Any]]) -> list[Obj]:
    """Live objects codexctl applied that neither this stack nor another codexstack stack holds.

    A desired object without a namespace is in ``default`` (where the provider puts it).
    """
    wanted = {_placed(object_key(o)) for o in desired}
    return [
        dict(o)
        for o in live
        if applied_by_kubectl(o) and not managed_by_codexstack(o) and object_key(o) not in wanted
    ]

"""Pure object shaping: labels, the stack's own Namespace document, identities."""

from __future__ import annotations

import dataclasses

from codexstack.components.guardrails import SlotSettings, guardrail_objects, namespace_object
from codexstack.components.objects import object_key, unit_objects, with_labels
from tests.components.plans import make_plan


def test_labels_are_added_without_touching_the_input():
    obj = {"kind": "ConfigMap", "metadata": {"name": "a", "labels": {"x": "1"}}}
    out = with_labels(obj, {"y": "2"})
    assert out["metadata"]["labels"] == {"x": "1", "y": "2"}
    assert obj["metadata"]["labels"] == {"x": "1"}


def test_the_own_namespace_document_is_never_a_unit_object():
    plan = make_plan("dev")
    ns_unit = plan.infrastructure[0]
    assert unit_objects(plan, ns_unit) == []
    other = dataclasses.replace(plan, namespace="elsewhere")
    assert len(unit_objects(other, ns_unit)) == 1


def test_object_identity_ignores_the_api_version():
    a = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "w", "namespace": "n"},
    }
    b = {**a, "apiVersion": "networking.k8s.io/v1beta1"}
    assert object_key(a) == object_key(b)
    assert str(object_key(a)) == "Ingress.networking.k8s.io n/w"


def test_guardrails_can_be_switched_off_part_by_part():
    settings = SlotSettings(quota=None, network_policy=False)
    kinds = [o["kind"] for o in guardrail_objects("ns", settings, {})]
    assert kinds == ["LimitRange"]
    assert (
        guardrail_objects("ns", SlotSettings(ingress_controllers=()), {})[-1]["metadata"]["name"]
        == "codexstack-allow-dns"
    )
    ns = namespace_object("ns", SlotSettings(pod_security=None), {"a": "b"})
    assert ns["metadata"]["labels"] == {"a": "b"}

"""Adoption decisions that need no cluster: leftovers, conflict causes, refusals."""

from __future__ import annotations

import pytest

from codexstack.deploy.adopt import Survey, _conflicts, refuse
from codexstack.deploy.failures import Failure, ObjectRef
from codexstack.errors import DeployError
from codexstack.program import leftovers

LAST = {"kubectl.kubernetes.io/last-applied-configuration": "{}"}


def _obj(kind: str, name: str, managers: list[str], annotations: dict[str, str] | None = None):
    return {
        "apiVersion": "v1",
        "kind": kind,
        "metadata": {
            "name": name,
            "namespace": "demo-staging",
            "annotations": annotations or {},
            "managedFields": [{"manager": m, "operation": "Update"} for m in managers],
        },
    }


def test_leftovers_are_kubectl_applied_unmanaged_and_not_planned():
    live = [
        _obj("ConfigMap", "kept", ["kubectl-client-side-apply"], LAST),  # in the manifests
        _obj("ConfigMap", "old", ["kubectl-client-side-apply"], LAST),  # leftover
        _obj("ConfigMap", "ssa", ["kubectl"], LAST),  # server-side apply leftover
        _obj("ConfigMap", "ours", ["kubectl-client-side-apply", "codexstack-staging"], LAST),
        _obj("Pod", "api-1", ["kube-controller-manager"]),  # made by a controller
        _obj("ConfigMap", "edited", ["kubectl-edit"], {}),  # no last-applied: not codexctl
    ]
    desired = [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": n, "namespace": ns}}
        for n, ns in (("kept", "demo-staging"), ("old", "default"))
    ]
    names = [o["metadata"]["name"] for o in leftovers(live, desired)]
    assert names == ["old", "ssa"]


def test_conflict_causes_name_managers_and_fields():
    status = {
        "kind": "Status",
        "status": "Failure",
        "reason": "Conflict",
        "code": 409,
        "details": {
            "causes": [
                {
                    "reason": "FieldManagerConflict",
                    "message": 'conflict with "kubectl-client-side-apply" using apps/v1',
                    "field": ".spec.replicas",
                },
                {
                    "reason": "FieldManagerConflict",
                    "message": 'conflict with "other" using apps/v1',
                    "field": '.spec.template.spec.containers[name="api"].image',
                },
            ]
        },
    }
    assert _conflicts(status) == [
        ("kubectl-client-side-apply", ".spec.replicas"),
        ("other", '.spec.template.spec.containers[name="api"].image'),
    ]
    assert _conflicts({"message": 'Apply failed with 1 conflict: conflict with "x": .a'}) == [
        ("x", "")
    ]


def test_refusals_are_one_error_naming_every_object():
    survey = Survey(
        refused=[
            Failure(
                ObjectRef("Deployment", "ns", "api"),
                "field conflict",
                '.spec.replicas owned by "other" (not kubectl): not forced',
                "remove those fields",
                ("other",),
            )
        ]
    )
    with pytest.raises(DeployError) as err:
        refuse(survey, "apply", "staging")
    text = str(err.value)
    assert "Deployment ns/api: field conflict" in text
    assert '"other"' in text
    refuse(Survey(), "apply", "staging")  # nothing refused: no error

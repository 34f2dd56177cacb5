"""Engine failure text to one line per object (synthetic shapes; goldens hold real ones)."""

from __future__ import annotations

from codexstack.deploy.failures import ObjectRef, classify, object_from_urn, report, translate

STS = (
    "urn:pulumi:staging::demo::codexstack:index:Infrastructure$kubernetes:yaml/v2:ConfigGroup"
    "$kubernetes:apps/v1:StatefulSet::postgres:demo-staging/postgres"
)
GROUP = (
    "urn:pulumi:staging::demo::codexstack:index:Infrastructure$kubernetes:yaml/v2:ConfigGroup"
    "::postgres-objects"
)
CONFLICT = (
    'resource "urn" was not successfully created by the Kubernetes API server: '
    "Server-Side Apply field conflict detected. See https://example.invalid for help.\n"
    'The resource managed by field manager "codexstack-staging" had an apply conflict: '
    'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1:'
    " .spec.volumeClaimTemplates"
)


def test_urn_names_the_object():
    assert object_from_urn(STS) == ObjectRef("StatefulSet", "demo-staging", "postgres")
    assert object_from_urn(GROUP) is None


def test_issue_text_becomes_one_failure_and_grpc_noise_is_gone():
    found = translate(
        [
            (STS, CONFLICT),
            (
                GROUP,
                "kubernetes:yaml/v2:ConfigGroup resource 'postgres-objects' has a problem:"
                " grpc: the client connection is closing",
            ),
            ("", "update failed"),
        ],
        stack="staging",
    )
    assert len(found) == 1
    failure = found[0]
    assert failure.reason == "field conflict"
    assert failure.managers == ("kubectl-client-side-apply",)
    assert ".spec.volumeClaimTemplates" in failure.detail
    text = report("apply", "staging", found)
    assert text.splitlines()[0] == "apply of stack staging: 1 object failed:"
    assert "StatefulSet demo-staging/postgres: field conflict" in text
    assert "grpc" not in text
    assert text.splitlines()[-1].strip().startswith("next: ")


def test_foreign_manager_conflict_names_the_manager_and_the_way_out():
    reason, detail, step, managers = classify(
        'Apply failed with 2 conflicts: conflicts with "other" using apps/v1:\n'
        '- .spec.replicas\n- .spec.template.spec.containers[name="api"].image',
        "dev",
    )
    assert reason == "field conflict"
    assert managers == ("other",)
    fields = '.spec.replicas, .spec.template.spec.containers[name="api"].image'
    assert f'{fields} owned by "other"' in detail
    assert '"other"' in step
    assert "--field-manager=codexstack-dev" in step


def test_each_reason_is_recognised():
    cases = {
        'configmaps "x" is forbidden: exceeded quota: q, requested: count/configmaps=1,'
        " used: count/configmaps=1, limited: count/configmaps=1": "quota exceeded",
        'deployments.apps "api" is forbidden: User "dev" cannot patch resource "deployments"'
        ' in API group "apps" in the namespace "x"': "forbidden",
        'StatefulSet.apps "db" is invalid: spec.replicas: Invalid value: -1: must be greater'
        " than or equal to 0": "invalid field",
        'admission webhook "deny.test" denied the request: no latest tags': "webhook denial",
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: tag": "policy denial",
        "timed out waiting for the condition": "not ready",
        "something unexpected happened": "error",
    }
    for message, reason in cases.items():
        assert classify(message)[0] == reason, message


def test_a_run_level_error_without_objects_survives():
    found = translate([("", "no stack named 'x' found\ngrpc: the client connection is closing")])
    assert [f.detail for f in found] == ["no stack named 'x' found"]

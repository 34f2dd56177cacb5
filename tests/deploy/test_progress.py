"""Engine events (as the engine writes them) to progress records and object counts."""

from __future__ import annotations

from typing import Any

from pulumi.automation import EngineEvent

from codexstack.deploy.progress import EventTranslator, Progress
from codexstack.deploy.summary import Summary, write_step_summary

DEPLOY = (
    "urn:pulumi:ai-1::demo::codexstack:index:Service$kubernetes:yaml/v2:ConfigGroup"
    "$kubernetes:apps/v1:Deployment::api:demo-ai-1/api"
)
GROUP = (
    "urn:pulumi:ai-1::demo::codexstack:index:Service$kubernetes:yaml/v2:ConfigGroup::api-objects"
)


def _step(kind: str, op: str, urn: str, type_: str) -> EngineEvent:
    meta = {"op": op, "urn": urn, "type": type_, "provider": ""}
    return EngineEvent.from_json({"sequence": 1, "timestamp": 0, kind: {"metadata": meta}})


def _run(events: list[EngineEvent]) -> tuple[EventTranslator, list[Progress]]:
    seen: list[Progress] = []
    translator = EventTranslator(seen.append)
    for event in events:
        translator(event)
    return translator, seen


def test_objects_are_counted_components_are_not():
    translator, seen = _run(
        [
            _step("resourcePreEvent", "create", DEPLOY, "kubernetes:apps/v1:Deployment"),
            _step("resOutputsEvent", "create", DEPLOY, "kubernetes:apps/v1:Deployment"),
            _step("resourcePreEvent", "same", GROUP, "kubernetes:yaml/v2:ConfigGroup"),
            _step("resOutputsEvent", "same", GROUP, "kubernetes:yaml/v2:ConfigGroup"),
            _step("resOutputsEvent", "same", "urn:x::kubernetes", "pulumi:providers:kubernetes"),
        ]
    )
    assert translator.counts() == {"create": 1, "update": 0, "delete": 0, "same": 0}
    assert [(p.phase, p.op, p.kind, p.name) for p in seen] == [
        ("start", "create", "Deployment", "api:demo-ai-1/api"),
        ("done", "create", "Deployment", "api:demo-ai-1/api"),
    ]


def test_replaces_count_as_updates_and_errors_are_kept():
    diag: dict[str, Any] = {
        "message": "boom: quota exceeded\n",
        "color": "never",
        "severity": "error",
        "urn": DEPLOY,
    }
    translator, seen = _run(
        [
            _step("resOutputsEvent", "replace", DEPLOY, "kubernetes:apps/v1:Deployment"),
            _step("resOutputsEvent", "same", DEPLOY, "kubernetes:apps/v1:Deployment"),
            EngineEvent.from_json({"sequence": 2, "timestamp": 0, "diagnosticEvent": diag}),
            EngineEvent.from_json(
                {
                    "sequence": 3,
                    "timestamp": 0,
                    "summaryEvent": {
                        "maybeCorrupt": False,
                        "durationSeconds": 1,
                        "resourceChanges": {"same": 5, "update": 1},
                        "PolicyPacks": {},
                    },
                }
            ),
        ]
    )
    assert translator.counts()["update"] == 1
    assert translator.counts()["same"] == 1
    assert translator.errors == ["boom: quota exceeded"]
    assert translator.engine_changes == {"same": 5, "update": 1}
    assert seen[-1].severity == "error"


def test_summary_json_contract_and_step_summary(tmp_path):
    summary = Summary(
        "ai-3",
        "apply",
        changes={"create": 2, "update": 0, "delete": 0, "same": 4},
        duration_s=1.23456,
        outputs={"namespace": "demo-ai-3"},
    )
    data = summary.as_dict()
    assert data["stack"] == "ai-3"
    assert data["changes"] == {"create": 2, "update": 0, "delete": 0, "same": 4}
    assert data["duration_s"] == 1.235
    assert summary.changed
    target = tmp_path / "summary.md"
    assert write_step_summary(summary, {"GITHUB_STEP_SUMMARY": str(target)})
    assert "| create | 2 |" in target.read_text()
    assert not write_step_summary(summary, {})


def _diagnostic(message: str, urn: str = "", severity: str = "error") -> EngineEvent:
    diag = {"message": message, "color": "never", "severity": severity, "urn": urn}
    return EngineEvent.from_json({"sequence": 1, "timestamp": 0, "diagnosticEvent": diag})


def test_follow_on_noise_is_kept_for_the_error_but_not_shown_as_progress():
    closing = (
        "kubernetes:yaml/v2:ConfigGroup resource 'api-objects' has a problem: "
        "grpc: the client connection is closing"
    )
    translator, seen = _run(
        [
            _diagnostic("boom: quota exceeded\n", DEPLOY),
            _diagnostic("update failed\n"),
            _diagnostic(closing + "\n", GROUP),
            _diagnostic(SHUTDOWN),
        ]
    )
    assert [p.message for p in seen] == ["boom: quota exceeded"]
    assert translator.errors == ["boom: quota exceeded", "update failed", closing, SHUTDOWN]


SHUTDOWN = """python inline source runtime error: resource monitor shut down
Traceback (most recent call last):
  File "pulumi/runtime/resource.py", line 1174, in do_rpc_call
    return monitor.RegisterResource(req)
Exception: resource monitor shut down"""
"""What the inline program reports when the engine stops it after a failed step."""

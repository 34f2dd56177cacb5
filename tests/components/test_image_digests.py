"""Prepared image digests pin workloads as pod-template annotations, never in the manifests.

Pure: a Plan with ``image_digests`` and the objects its components would apply. The render
side (the Plan's own documents) must stay what codexctl writes.
"""

from __future__ import annotations

import json
from pathlib import Path

from codexstack.components import unit_objects
from codexstack.plan import Manifest, Plan, Unit, load_digests, record_digests

REF = "127.0.0.1:5000/shop/api:dev-1"
DIGEST = "sha256:" + "a" * 64


def deployment(name: str, image: str, kind: str = "Deployment") -> dict:
    pod = {
        "containers": [{"name": name, "image": image}],
        "initContainers": [
            {"name": "migrate", "image": image},
            {"name": "wait", "image": "busybox"},
        ],
    }
    spec = {"template": {"metadata": {"labels": {"app": name}}, "spec": pod}}
    if kind == "CronJob":
        spec = {"schedule": "* * * * *", "jobTemplate": {"spec": spec}}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}


def plan_of(*objs: dict, digests: dict[str, str] | None = None) -> Plan:
    unit = Unit("service", "svc", True, tuple(Manifest("m.yaml", i, o) for i, o in enumerate(objs)))
    return Plan("shop", "dev", 0, "shop-dev", "dev", (), (unit,), image_digests=digests or {})


def template_annotations(obj: dict) -> dict:
    spec = obj["spec"]
    if obj["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["metadata"].get("annotations", {})


def test_only_workloads_running_a_prepared_ref_are_annotated() -> None:
    api, web = deployment("api", REF), deployment("web", "127.0.0.1:5000/shop/web:1")
    cron = deployment("report", REF, kind="CronJob")
    plan = plan_of(
        api, web, cron, {"kind": "ConfigMap", "metadata": {"name": "c"}}, digests={REF: DIGEST}
    )
    objs = unit_objects(plan, plan.services[0])
    assert template_annotations(objs[0]) == {
        "images.codexstack.io/api": DIGEST,
        "images.codexstack.io/migrate": DIGEST,
    }
    assert template_annotations(objs[1]) == {}
    assert template_annotations(objs[2])["images.codexstack.io/report"] == DIGEST
    assert objs[0]["spec"]["template"]["spec"]["containers"][0]["image"] == REF
    # the plan's own documents (what `render` prints) are untouched
    assert "annotations" not in plan.documents()[0]["spec"]["template"]["metadata"]


def test_no_digests_leaves_objects_as_before() -> None:
    api = deployment("api", REF)
    assert unit_objects(plan_of(api), plan_of(api).services[0])[0]["spec"] == api["spec"]


def test_digest_record_merges_and_survives_a_bad_file(tmp_path: Path) -> None:
    assert load_digests(tmp_path) == {}
    record_digests(tmp_path, [(REF, DIGEST)])
    record_digests(tmp_path, [("r/other:1", "sha256:" + "b" * 64), ("r/none:1", "")])
    assert load_digests(tmp_path) == {REF: DIGEST, "r/other:1": "sha256:" + "b" * 64}
    path = tmp_path / ".codexstack" / "image-digests.json"
    assert list(json.loads(path.read_text())["images"]) == [
        "127.0.0.1:5000/shop/api:dev-1",
        "r/other:1",
    ]
    path.write_text("{not json")
    assert load_digests(tmp_path) == {}

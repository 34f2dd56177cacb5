"""build_plan: units in file order, selection, when, hooks, stack, tags, cluster target."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from codexstack.config.load import load_config
from codexstack.errors import ConfigError
from codexstack.plan.build import build_plan
from codexstack.render.select import Filters

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)

SERVICES = """\
project: shop
environments:
  staging:
    kubeconfig: /k/staging
    context: stg
  ai:
    from: staging
hooks:
  beforeAll:
    - name: hello
      run: echo hi
infrastructure:
  - name: db
    manifests:
      - path: infra/db.yaml
    hooks:
      afterApply:
        - use: kubectl.wait
          with: {kind: deployment, name: db}
  - name: off
    when: '{{ eq .Env "nope" }}'
    manifests:
      - path: infra/off.yaml
services:
  - name: api
    manifests:
      - path: api.yaml
    image:
      repository: reg/api
      tagTemplate: '{{ .Env }}-1'
  - name: web
    manifests:
      - path: web.yaml
"""

FILES = {
    "infra/db.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: db
          namespace: '{{ .Namespace }}'
        """,
    "infra/off.yaml": "kind: ConfigMap\nmetadata: {name: off}\n",
    "api.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
        spec:
          template:
            spec:
              containers:
                - name: api
                  image: placeholder
        ---
        # only a comment: an empty document, dropped
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: api
        """,
    "web.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
}


def load(path: Path, env: str = "staging", slot: int = 0, **env_vars: str):
    return load_config(path, env=env, slot=slot, process_env=dict(env_vars), now=NOW)


def test_units_in_file_order_with_transforms(make_project) -> None:
    plan = build_plan(load(make_project(SERVICES, FILES)))
    assert [u.name for u in plan.units()] == ["db", "api", "web"]
    api = plan.services[0]
    assert [(m.source, m.index, m.kind) for m in api.manifests] == [
        ("api.yaml", 0, "Deployment"),
        ("api.yaml", 1, "Service"),
    ]
    deployment = api.manifests[0].obj
    assert deployment["metadata"]["namespace"] == "shop-staging"
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "reg/api:staging-1"
    # infra documents are untouched: the namespace came from the template itself
    assert plan.infrastructure[0].manifests[0].namespace == "shop-staging"


def test_disabled_units_are_not_in_the_plan(make_project) -> None:
    plan = build_plan(load(make_project(SERVICES, FILES)))
    assert "off" not in [u.name for u in plan.units()]


def test_filters_mark_units_and_keep_them_by_default(make_project) -> None:
    loaded = load(make_project(SERVICES, FILES))
    plan = build_plan(loaded, filters=Filters.parse(only_services="web"))
    assert [(u.name, u.selected) for u in plan.units()] == [
        ("db", True),
        ("api", False),
        ("web", True),
    ]
    assert [d["metadata"]["name"] for d in plan.documents()] == ["db", "web"]
    assert len(plan.documents(selected_only=False)) == 4


def test_unselected_units_can_be_skipped_entirely(make_project) -> None:
    loaded = load(make_project(SERVICES, FILES))
    plan = build_plan(loaded, filters=Filters.parse(skip_infra="db"), include_unselected=False)
    assert [u.name for u in plan.units()] == ["api", "web"]


def test_unknown_filter_name_points_at_the_services_list(make_project) -> None:
    loaded = load(make_project(SERVICES, FILES))
    with pytest.raises(ConfigError) as err:
        build_plan(loaded, filters=Filters.parse(only_services="wbe"))
    loc = err.value.location
    assert loc is not None
    assert loc.key == "--only-services"
    assert loc.line is not None
    assert "did you mean 'web'" in str(err.value)


def test_hooks_stack_tags_and_cluster(make_project) -> None:
    path = make_project(SERVICES, FILES)
    plan = build_plan(load(path, env="ai", slot=4, GITHUB_RUN_ID="99"), issue=12)
    assert plan.stack == "ai-4"
    assert plan.namespace == "shop-dev-4"
    assert [s.name for s in plan.hooks["beforeAll"]] == ["hello"]
    assert "afterAll" not in plan.hooks
    assert plan.infrastructure[0].hooks["afterApply"][0].use == "kubectl.wait"
    assert plan.tags == {
        "env": "ai",
        "slot": "4",
        "issue": "12",
        "pr": "0",
        "owner": "99",
        "created": "2025-01-02T03:04:05Z",
    }
    # ai inherits the cluster from staging
    assert (plan.cluster.kubeconfig, plan.cluster.context) == ("/k/staging", "stg")


def test_owner_defaults_to_manual_and_env_need_not_exist(make_project) -> None:
    plan = build_plan(load(make_project(SERVICES, FILES), env="qa"))
    assert plan.tags["owner"] == "manual"
    assert plan.stack == "qa"
    assert plan.cluster.kubeconfig is None


def test_render_warnings_are_collected(make_project) -> None:
    files = dict(FILES)
    files["api.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\n"
    files["infra/db.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\n"
    warnings: list[str] = []
    build_plan(load(make_project(SERVICES, files)), warnings=warnings)
    assert any(
        "service 'api': image override matched no Deployment named 'api'" in w for w in warnings
    )
    assert any("infrastructure 'db': ConfigMap 'db'" in w for w in warnings)


def test_cluster_scoped_crd_kinds_from_infra_are_not_namespaced(make_project) -> None:
    services = """\
        project: p
        infrastructure:
          - name: crds
            manifests: [{path: crd.yaml}]
        services:
          - name: app
            manifests: [{path: app.yaml}]
        """
    files = {
        "crd.yaml": """\
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: tenants.example.com}
            spec:
              scope: Cluster
              names: {kind: Tenant}
            """,
        "app.yaml": """\
            apiVersion: example.com/v1
            kind: Tenant
            metadata: {name: t1}
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata: {name: fast}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c}
            """,
    }
    plan = build_plan(load(make_project(services, files), env="dev"))
    assert [m.namespace for m in plan.services[0].manifests] == ["", "", "p-dev"]

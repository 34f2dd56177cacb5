"""The model accepts every codexctl key (both generations) with yaml.v3's scalar rules."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from codexstack.config.models import DataPaths, ImageSpec, ServicesConfig, SlotPolicy

from .support import config_error, validate_yaml

FULL = """
project: demo
envFiles: [.env, .env.local]
registry: registry.local:5000
maxSlots: 8
versions: {api: "1.2.0", web: 1.10}
baseDomain: {dev: dev.example, ai: ai.example}
namespace:
  patterns:
    dev: "{{ .Project }}-dev"
    ai: "{{ .Project }}-dev-{{ .Slot }}"
templateDialect: go
doubleRender: false
environments:
  staging:
    kubeconfig: ~/.kube/staging
    context: staging-ctx
    imagePullPolicy: Always
    localRegistry: {enabled: yes, name: reg, port: 32000}
  ai:
    from: staging
    slotBootstrapInfra: [base]
images:
  busybox: {type: external, from: docker/busybox:1, local: reg/busybox:1}
  api:
    type: build
    repository: reg/api
    tagTemplate: "{{ .Versions.api }}"
    dockerfile: api/Dockerfile
    context: api
    buildArgs: {VERSION: "1"}
    buildContexts: {shared: libs}
infrastructure:
  - name: base
    manifests: [{path: deploy/base.yaml}]
    when: "true"
    hooks:
      afterApply:
        - name: wait
          use: kubectl.wait
          with: {kind: Deployment, name: pg, timeout: 1200s}
          timeout: 2m
services:
  - name: api
    manifests: [{path: api/deploy.yaml}]
    image: {repository: reg/api, tagTemplate: "v1"}
    ingress: {hosts: {dev: api.dev}}
    when: ""
    overlays:
      dev:
        hostMounts:
          - {name: src, hostPath: /src, mountPath: /app, hostPathType: DirectoryOrCreate}
      ai:
        pvcMounts:
          - {name: src, claimName: ws, mountPath: /app, subPath: "1/src", readOnly: true}
        dropKinds: [Ingress]
    hooks:
      beforeApply: [{run: echo hi, continueOnError: true}]
hooks:
  beforeAll: [{use: preflight}]
  afterAll: [{use: sleep, with: {duration: 1s}, when: "{{ eq .Env \\"ai\\" }}"}]
storage:
  workspace: {size: 10Gi, storageClass: local, accessModes: [ReadWriteOnce]}
state: {backend: configmap, configmapNamespace: codex-system, configmapPrefix: env-}
codex:
  configTemplate: codex/config.toml
  promptLang: ru
  model: gpt-5.3-codex
  modelReasoningEffort: high
  links: [{title: Swagger, path: /docs}]
  extraTools: [psql, redis-cli]
  projectContext: ctx
  servicesOverview: overview
  timeouts: {exec: 30m, rollout: 600s, deployWait: 5m}
  configBlocks: [{name: extra, toml: "a = 1"}, {file: codex/b.toml}]
  reviewMCPEnabled: true
  mcp:
    servers:
      - name: context7
        type: stdio
        command: npx
        args: [-y, ctx7]
        env: {API_KEY: {envRef: CONTEXT7_API_KEY, optional: true}}
        startup_timeout_sec: 30
        tool_timeout_sec: 60
      - name: review
        type: cluster
        service: {name: mcp, port: 8080, path: /mcp, scheme: http}
        headers: {X-Token: {varRef: TOKEN}}
        bearer_token_env_var: MCP_TOKEN
        tools: [{name: list, description: lists}]
dataPaths: {root: /data, envDir: /data/dev, dirs: [pg, redis]}
slots:
  podSecurity: restricted
  resourceQuota: {pods: "20"}
  limitRange: null
  networkPolicy: true
  egressAllow: [10.0.0.0/8]
  ttl: 72h
"""


def test_every_key_of_both_generations_loads() -> None:
    model, warnings = validate_yaml(FULL)
    assert warnings == ()
    assert model.max_slots == 8
    assert model.environments["staging"].local_registry is not None
    assert model.environments["staging"].local_registry.enabled is True  # yaml 1.1 "yes"
    assert model.environments["ai"].from_ == "staging"
    assert model.images["busybox"].kind == "external"
    assert model.images["api"].build_contexts == {"shared": "libs"}
    overlay = model.services[0].overlays
    assert overlay["dev"].host_mounts[0].host_path_type == "DirectoryOrCreate"
    assert overlay["ai"].pvc_mounts[0].read_only is True
    assert overlay["ai"].drop_kinds == ("Ingress",)
    assert model.infrastructure[0].hooks.after_apply[0].with_["timeout"] == "1200s"
    assert model.hooks.after_all[0].use == "sleep"
    assert model.storage is not None
    assert model.storage.workspace is not None
    assert model.storage.workspace.access_modes == ("ReadWriteOnce",)
    assert model.state.prefix == "env-"
    assert model.codex.review_mcp_enabled is True
    assert model.codex.timeouts.deploy_wait_seconds == 300
    servers = model.codex.mcp.servers
    assert servers[0].startup_timeout_sec == 30
    assert servers[1].service is not None
    assert servers[1].service.port == 8080
    assert model.data_paths is not None
    assert model.slots.pod_security == "restricted"
    assert model.slots.given("limit_range")
    assert model.slots.limit_range is None
    assert not model.slots.given("ingress_namespaces")


def test_string_fields_keep_the_source_text_of_other_scalars() -> None:
    model, _ = validate_yaml(
        "versions: {web: 1.10, n: 007, b: true, d: 2024-01-02, x: 0x10}\nproject: 42\n"
    )
    assert model.versions == {
        "web": "1.10",
        "n": "007",
        "b": "true",
        "d": "2024-01-02",
        "x": "0x10",
    }
    assert model.project == "42"


def test_null_values_leave_the_default() -> None:
    model, _ = validate_yaml("project:\nservices:\nhooks:\nstorage:\ncodex:\n  timeouts:\n")
    assert model.project == ""
    assert model.services == ()
    assert model.storage is None


@pytest.mark.parametrize("word", ["yes", "Yes", "on", "ON", "y"])
def test_bool_fields_accept_yaml_11_words(word: str) -> None:
    model, _ = validate_yaml(f"doubleRender: {word}\n")
    assert model.double_render is True


def test_bool_field_refuses_other_strings() -> None:
    err = config_error("doubleRender: 'maybe'\n")
    assert err.issues[0].location.key == "doubleRender"


def test_external_image_needs_from_and_local() -> None:
    err = config_error("images:\n  a: {type: External}\n")
    assert err.issues[0].location.key == "images.a"
    assert "'from' and 'local'" in err.issues[0].message


def test_build_image_needs_repository() -> None:
    with pytest.raises(ValidationError):
        ImageSpec.model_validate({"type": " build "})


def test_unknown_image_type_is_a_warning() -> None:
    _, warnings = validate_yaml("images:\n  a: {type: docker}\n")
    assert [w.location.key for w in warnings] == ["images.a.type"]


def test_models_are_frozen() -> None:
    model = ServicesConfig()
    with pytest.raises(ValidationError):
        model.project = "x"  # type: ignore[misc]


def test_models_reject_unknown_keys_when_built_directly() -> None:
    with pytest.raises(ValidationError):
        SlotPolicy.model_validate({"quota": {}})


def test_attribute_docstrings_become_descriptions() -> None:
    assert ServicesConfig.model_fields["max_slots"].description
    assert "slot cap" in (ServicesConfig.model_fields["max_slots"].description or "")


def test_data_paths_resolution_follows_codexctl() -> None:
    assert DataPaths(root="/d", dirs=("a", " b ", "")).resolved_paths() == ("/d/a", "/d/b")
    assert DataPaths(root="/d", env_dir="/d/e/").resolved_paths() == ("/d/e/",)
    assert DataPaths(root="/d", paths=("/x", "/x", " ")).resolved_paths() == ("/x",)
    assert DataPaths().resolved_paths() == ()


@pytest.mark.parametrize(
    ("value", "ok"),
    [("60m", True), ("1h30m", True), ("bogus", False), ("10", False)],
)
def test_invalid_timeouts_warn_and_fall_back(value: str, ok: bool) -> None:
    model, warnings = validate_yaml(f"codex:\n  timeouts:\n    exec: '{value}'\n")
    assert bool(warnings) is not ok
    if not ok:
        assert warnings[0].location.key == "codex.timeouts.exec"
        assert model.codex.timeouts.exec_seconds == 3600


def test_hook_timeout_that_is_not_a_duration_warns() -> None:
    _, warnings = validate_yaml("hooks:\n  beforeAll:\n    - {run: x, timeout: soon}\n")
    assert warnings[0].location.key == "hooks.beforeAll[0].timeout"


def test_overlay_for_an_undeclared_env_warns() -> None:
    _, warnings = validate_yaml(
        "environments: {dev: {}}\nservices:\n  - name: a\n    overlays: {prod: {}, ai: {}}\n"
    )
    assert [w.location.key for w in warnings] == ["services[0].overlays.prod"]


def test_same_volume_in_host_and_pvc_mounts_warns() -> None:
    _, warnings = validate_yaml(
        "services:\n  - name: a\n    overlays:\n      ai:\n"
        "        hostMounts: [{name: src, hostPath: /s, mountPath: /a}]\n"
        "        pvcMounts: [{name: src, claimName: c, mountPath: /a}]\n"
    )
    assert "pvcMounts entry wins" in warnings[0].message


def test_unsupported_state_backend_warns() -> None:
    _, warnings = validate_yaml("state: {backend: etcd}\n")
    assert warnings[0].location.key == "state.backend"

"""render / validate / schema through ``cli.app.main``: output, exit codes, env fallbacks."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from cli.app import main

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo" / "services.yaml"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("DEMO_", "CODEXCTL_", "CODEXSTACK_", "GITHUB_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NO_COLOR", "1")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def names(text: str) -> list[tuple[str, str]]:
    return [(d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(text) if d]


# --- render ----------------------------------------------------------------------------------


def test_render_text_is_a_yaml_stream(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "render", "-c", str(DEMO), "--env", "dev")
    assert code == 0
    assert err == ""
    assert not out.startswith("---")
    assert "\n---\n" in out
    assert out.endswith("\n")
    assert ("Deployment", "api") in names(out)


def test_render_json_and_yaml_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    _, text, _ = run(capsys, "render", "-c", str(DEMO), "--env", "staging")
    code, out, _ = run(capsys, "render", "-c", str(DEMO), "--env", "staging", "--output", "json")
    assert code == 0
    docs = json.loads(out)
    assert isinstance(docs, list)
    assert docs == list(yaml.safe_load_all(text))
    _, as_yaml, _ = run(capsys, "render", "-c", str(DEMO), "--env", "staging", "-o", "yaml")
    assert as_yaml == text


def test_render_kv_output_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "render", "-c", str(DEMO), "--env", "dev", "-o", "kv")
    assert code == 64
    assert out == ""
    assert "--output" in err


def test_render_requires_an_env_after_fallbacks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "render", "-c", str(DEMO))
    assert code == 64
    assert out == ""
    assert "CODEXCTL_ENV" in err


def namespaces(text: str) -> set[str]:
    return {d["metadata"].get("namespace", "") for d in yaml.safe_load_all(text)} - {""}


@pytest.mark.parametrize(
    ("env_vars", "args", "expected"),
    [
        ({"CODEXCTL_ENV": "staging"}, [], "demo-shop-staging"),
        ({"CODEXSTACK_ENV": "dev", "CODEXCTL_ENV": "staging"}, [], "demo-shop-dev"),
        ({"CODEXCTL_ENV": "staging"}, ["--env", "dev"], "demo-shop-dev"),
        ({"CODEXCTL_ENV": "staging", "CODEXCTL_SLOT": "3"}, ["--env", "ai"], "demo-shop-dev-3"),
        ({"CODEXCTL_NAMESPACE": "custom"}, ["--env", "dev"], "custom"),
    ],
)
def test_env_fallbacks(
    env_vars: dict[str, str],
    args: list[str],
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for key, value in env_vars.items():
        monkeypatch.setenv(key, value)
    code, out, err = run(capsys, "render", "-c", str(DEMO), *args)
    assert code == 0, err
    assert namespaces(out) == {expected}


def test_root_flag_beats_environment_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CODEXCTL_ENV", "staging")
    code, out, _ = run(capsys, "--env", "dev", "render", "-c", str(DEMO))
    assert code == 0
    assert namespaces(out) == {"demo-shop-dev"}


def test_filters(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["render", "-c", str(DEMO), "--env", "dev"]
    _, out, _ = run(capsys, *base, "--only-services", "WEB", "--only-infra", "namespace")
    assert names(out) == [
        ("Namespace", "demo-shop-dev"),
        ("ConfigMap", "web-config"),
        ("Deployment", "web"),
        ("Service", "web"),
    ]
    _, out, _ = run(capsys, *base, "--skip-services", "api,web", "--skip-infra", "postgres, redis")
    assert names(out) == [("Namespace", "demo-shop-dev")]


def test_zero_documents_is_an_empty_stream(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "render",
        "-c",
        str(DEMO),
        "--env",
        "dev",
        "--only-services",
        "codex",
        "--skip-infra",
        "namespace,postgres,redis,workspace",
    )
    assert (code, out, err) == (0, "", "")


def test_render_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    """Battery D3: ten renders of the same inputs are byte-identical."""
    outputs = set()
    for _ in range(10):
        code, out, _ = run(capsys, "render", "-c", str(DEMO), "--env", "ai", "--slot", "2")
        assert code == 0
        outputs.add(out)
    assert len(outputs) == 1


# --- validate --------------------------------------------------------------------------------


def test_validate_demo_checks_every_env(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "-c", str(DEMO), "--output", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["ok"] is True
    envs = {(e["env"], e["slot"]) for e in report["environments"]}
    assert envs == {("dev", 0), ("staging", 0), ("ai-staging", 0), ("ai", 1), ("ai-repair", 0)}
    assert all(e["documents"] > 0 for e in report["environments"])


def test_validate_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "-c", str(DEMO))
    assert code == 0
    assert out.splitlines()[-1] == "valid"
    assert "ok      ai (slot 1): namespace 'demo-shop-dev-1'" in out


def test_validate_reports_every_failing_env(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "m.yaml").write_text("kind: ConfigMap\nmetadata:\n  name: '{{ .Nope.Deeper }}'\n")
    (tmp_path / "ok.yaml").write_text("kind: ConfigMap\nmetadata:\n  name: fine\n")
    (tmp_path / "services.yaml").write_text(
        "project: p\nenvironments:\n  dev: {}\n  staging: {}\n  qa: {}\n"
        "services:\n"
        "  - name: a\n    when: '{{ eq .Env \"qa\" }}'\n    manifests: [{path: ok.yaml}]\n"
        "  - name: b\n    when: '{{ ne .Env \"qa\" }}'\n    manifests: [{path: m.yaml}]\n"
    )
    code, out, _ = run(capsys, "validate", "-c", str(tmp_path / "services.yaml"), "-o", "json")
    assert code == 65
    report = json.loads(out)
    status = {e["env"]: e["ok"] for e in report["environments"]}
    assert status == {"dev": False, "staging": False, "qa": True}
    failing = [e for e in report["environments"] if not e["ok"]]
    assert all(e["errors"][0]["file"].endswith("m.yaml") for e in failing)
    assert all(e["errors"][0]["line"] == 3 for e in failing)


def test_validate_unreadable_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "services.yaml").write_text("project: [unclosed\n")
    code, _, err = run(capsys, "validate", "-c", str(tmp_path / "services.yaml"))
    assert code == 65
    assert "services.yaml:" in err


# --- schema ----------------------------------------------------------------------------------

JSON_TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}


SCHEMA_MAPS = ("properties", "$defs", "patternProperties")
SKIP = ("enum", "const", "default", "examples", "description", "title")


def _walk(node: Any, defs: dict[str, Any]) -> None:
    """Check one (sub)schema: refs resolve, types are JSON types, required keys exist."""
    if isinstance(node, bool):
        return
    assert isinstance(node, dict)
    if "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/$defs/")
        assert ref.removeprefix("#/$defs/") in defs
    if "type" in node:
        kind = node["type"]
        assert set(kind if isinstance(kind, list) else [kind]) <= JSON_TYPES
    if "required" in node:
        assert set(node["required"]) <= set(node.get("properties", {}))
    for key, value in node.items():
        if key in SCHEMA_MAPS:
            for sub in value.values():
                _walk(sub, defs)
        elif isinstance(value, list) and key not in SKIP and key != "required":
            for sub in value:
                _walk(sub, defs)
        elif isinstance(value, dict | bool) and key not in SKIP and not key.startswith("$"):
            _walk(value, defs)


def test_schema_is_a_json_schema_of_services_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    for key in ("project", "environments", "services", "infrastructure", "codex", "hooks"):
        assert key in schema["properties"]
    _walk(schema, schema.get("$defs", {}))
    # every top-level key of the demo is described by the schema
    demo = yaml.safe_load(DEMO.read_text())
    assert set(demo) <= set(schema["properties"])


def test_no_strict_turns_unknown_keys_into_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "m.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n")
    (tmp_path / "services.yaml").write_text(
        "project: p\nregistyr: x\nservices:\n  - name: m\n    manifests: [{path: m.yaml}]\n"
    )
    config = str(tmp_path / "services.yaml")
    code, out, err = run(capsys, "render", "-c", config, "--env", "dev", "--strict")
    assert code == 65
    assert "did you mean 'registry'" in err
    code, out, err = run(capsys, "render", "-c", config, "--env", "dev", "--no-strict")
    assert code == 0
    assert names(out) == [("ConfigMap", "m")]
    assert err.startswith("warning: ")
    assert "registyr" in err


@pytest.mark.parametrize(
    ("args", "json_out"),
    [
        (["-o", "text", "cluster", "status"], False),  # the flag beats the variable
        (["cluster", "status"], True),  # the variable is the default
        (["cluster", "status", "-o", "text"], False),
        (["-o", "json", "cluster", "status", "-o", "text"], False),  # the nearer flag wins
    ],
)
def test_cluster_status_output_precedence(
    args: list[str],
    json_out: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CODEXSTACK_OUTPUT", "json")
    code, out, _ = run(capsys, *args, "--state-dir", str(tmp_path / "none"))
    assert code == 1  # no cluster there
    assert out.startswith("{") is json_out, out[:200]

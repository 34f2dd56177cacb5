"""render, validate and schema flows called directly on the demo and on small files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from codexstack import flows
from codexstack.errors import ConfigError, ExitCode, UsageError
from codexstack.flows import render, schema, validate

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo" / "services.yaml"


def test_render_the_demo_with_filters() -> None:
    request = render.Request(
        flows.Target(config=DEMO, env="dev"), filters=("web", None, "namespace", None)
    )
    result = render.run(request)
    kinds = [(d["kind"], d["metadata"]["name"]) for d in result.documents]
    assert kinds == [
        ("Namespace", "demo-shop-dev"),
        ("ConfigMap", "web-config"),
        ("Deployment", "web"),
        ("Service", "web"),
    ]
    assert list(yaml.safe_load_all(result.text())) == result.data("json")
    with pytest.raises(UsageError, match="--env is required"):
        render.run(render.Request(flows.Target(config=DEMO)))


def test_render_warns_on_unknown_keys_unless_strict(project: Path) -> None:
    config = project / "services.yaml"
    config.write_text(config.read_text() + "registyr: x\n")
    progress = flows.Recorder()
    render.run(render.Request(flows.Target(config=config, env="ai", slot=1)), progress)
    [warning] = progress.warnings
    assert warning.startswith(f"{config}:5:1, key 'registyr': unknown key")
    with pytest.raises(ConfigError) as caught:
        render.run(render.Request(flows.Target(config=config, env="ai", slot=1, strict=True)))
    assert caught.value.exit_code == ExitCode.INVALID


def test_validate_reports_every_env() -> None:
    progress = flows.Recorder()
    result = validate.run(validate.Request(flows.Target(config=DEMO)), progress)
    assert result.exit_code == ExitCode.OK
    assert result.text().splitlines()[-1] == "valid"
    assert "ok      ai (slot 1): namespace 'demo-shop-dev-1'" in result.text()
    assert not [line for line in progress.lines if line.startswith("error")]


def test_validate_is_strict(project: Path) -> None:
    config = project / "services.yaml"
    config.write_text(config.read_text() + "registyr: x\n")
    progress = flows.Recorder()
    result = validate.run(validate.Request(flows.Target(config=config)), progress)
    assert result.exit_code == ExitCode.INVALID
    assert result.text() == "invalid ai (slot 1)\ninvalid\n"
    assert any("registyr" in line for line in progress.lines if line.startswith("error"))


def test_schema() -> None:
    result = schema.run(schema.Request())
    assert result.data("yaml")["type"] == "object"
    assert result.text().startswith("{")

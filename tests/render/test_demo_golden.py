"""Golden renders of the demo project, both dialects, through the real CLI entry point.

``tests/golden/demo/<dialect>/<env>[-slot<N>].yaml`` hold the expected ``render`` output
with the project directory replaced by ``<PROJECT_ROOT>`` (hostMounts use ``.ProjectRoot``).
Run with ``UPDATE_GOLDEN=1`` to rewrite them after an intended change, then review the diff.
The Go and Jinja twins must render the very same objects, byte for byte.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from cli.app import main
from codexstack.config.load import load_config

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "demo"
PROJECTS = {"go": REPO / "examples" / "demo", "jinja": REPO / "examples" / "demo-jinja"}
CASES = [("dev", 0), ("staging", 0), ("ai-staging", 0), ("ai", 1), ("ai", 7), ("ai-repair", 0)]
PLACEHOLDER = "<PROJECT_ROOT>"


def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop every variable that could steer the demo's templates or the CLI's options."""
    for name in list(os.environ):
        if name.startswith(("DEMO_", "CODEXCTL_", "CODEXSTACK_", "GITHUB_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NO_COLOR", "1")


def render_demo(dialect: str, env: str, slot: int, capsys: pytest.CaptureFixture[str]) -> str:
    project = PROJECTS[dialect]
    args = ["render", "-c", str(project / "services.yaml"), "--env", env]
    if slot:
        args += ["--slot", str(slot)]
    code = main(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""
    return captured.out.replace(str(project), PLACEHOLDER)


def golden_path(dialect: str, env: str, slot: int) -> Path:
    return GOLDEN / dialect / (f"{env}-slot{slot}.yaml" if slot else f"{env}.yaml")


@pytest.mark.parametrize("dialect", sorted(PROJECTS))
@pytest.mark.parametrize(("env", "slot"), CASES)
def test_demo_matches_golden(
    dialect: str,
    env: str,
    slot: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean_environment(monkeypatch)
    text = render_demo(dialect, env, slot, capsys)
    path = golden_path(dialect, env, slot)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"missing golden {path}; run with UPDATE_GOLDEN=1"
    assert text == path.read_text()


@pytest.mark.parametrize(("env", "slot"), CASES)
def test_dialects_render_identical_objects(env: str, slot: int) -> None:
    """Both goldens (already proven equal to live renders above) hold the same objects."""
    go_text = golden_path("go", env, slot).read_text()
    jinja_text = golden_path("jinja", env, slot).read_text()
    go_docs = list(yaml.safe_load_all(go_text))
    jinja_docs = list(yaml.safe_load_all(jinja_text))

    def key(doc: dict) -> tuple[str, str, str]:
        meta = doc.get("metadata", {})
        return (doc["kind"], meta.get("namespace", ""), meta["name"])

    assert sorted(map(key, go_docs)) == sorted(map(key, jinja_docs))
    assert go_docs == jinja_docs
    assert go_text == jinja_text


@pytest.mark.parametrize(("env", "slot"), CASES)
def test_dialects_load_the_same_config(env: str, slot: int) -> None:
    """The two services.yaml files render to the same model (hooks, images, codex block…)."""
    dumps = []
    for dialect, project in sorted(PROJECTS.items()):
        loaded = load_config(project / "services.yaml", env=env, slot=slot, process_env={})
        assert loaded.dialect == dialect
        data = loaded.model.model_dump(exclude={"template_dialect"})
        dumps.append(json.loads(json.dumps(data).replace(str(project), PLACEHOLDER)))
    assert dumps[0] == dumps[1]


def test_goldens_cover_the_demo_shape() -> None:
    """The demo exercises what it claims to: overlays, dropKinds, codex only in AI envs."""

    def kinds(env: str, slot: int = 0) -> list[tuple[str, str]]:
        docs = yaml.safe_load_all(golden_path("go", env, slot).read_text())
        return [(d["kind"], d["metadata"]["name"]) for d in docs]

    assert ("Ingress", "api") in kinds("dev")
    assert ("Ingress", "api") not in kinds("ai", 1)
    assert ("Deployment", "codex") in kinds("ai", 1)
    assert ("Deployment", "codex") not in kinds("staging")
    assert ("StatefulSet", "postgres") not in kinds("ai-repair")
    assert PLACEHOLDER in golden_path("go", "dev", 0).read_text()

"""Golden renders of the demo project, both dialects, through the real CLI entry point.

``tests/golden/demo/<dialect>/<env>[-slot<N>].yaml`` hold the expected ``render`` output
with the project directory replaced by ``<PROJECT_ROOT>`` (hostMounts use ``.ProjectRoot``).
Run with ``UPDATE_GOLDEN=1`` to rewrite them after an intended change, then review the diff.
The Go and Jinja twins must render the very same objects, byte for byte.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from cli.app import main

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "demo"
PROJECTS = {"go": REPO / "examples" / "demo"}
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

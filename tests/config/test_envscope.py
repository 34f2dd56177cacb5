"""Templates see an allow-list of the process environment (issue 14, defect 3).

Before, ``.EnvMap`` and ``envOr`` reached every variable of the process (a CI runner's cloud
credentials included). Now: names the project's files use, codexctl's and the CI run's
families, and everything from env files and ``--vars``; ``CODEXSTACK_TEMPLATE_ENV=all`` switches
back to codexctl's full environment.
"""

from __future__ import annotations

from pathlib import Path

from tests.config.test_load import load, write_project

SERVICES = """
project: demo
envFiles: [.env]
environments:
  dev: {}
services:
  - name: api
    when: '{{ envOr "FEATURE_X" "true" }}'
    manifests: [{path: api.yaml}]
"""
MANIFEST = "data:\n  a: '{{ index .EnvMap \"FROM_MANIFEST\" }}'\n"
PROCESS = {
    "AWS_SECRET_ACCESS_KEY": "runner-credential",
    "UNRELATED": "x",
    "FEATURE_X": "true",
    "FROM_MANIFEST": "m",
    "CODEXCTL_ISSUE_NUMBER": "42",
    "GITHUB_REPOSITORY": "o/r",
}


def project(tmp_path: Path) -> Path:
    return write_project(
        tmp_path / "proj", SERVICES, {"api.yaml": MANIFEST, ".env": "FROM_ENV_FILE=yes\n"}
    )


def test_templates_see_only_named_and_known_variables(tmp_path: Path) -> None:
    loaded = load(project(tmp_path), env="dev", process_env=PROCESS, vars="CLI_VAR=1")
    seen = set(loaded.context.env_map)
    assert {"FEATURE_X", "FROM_MANIFEST", "CODEXCTL_ISSUE_NUMBER", "GITHUB_REPOSITORY"} <= seen
    assert {"FROM_ENV_FILE", "CLI_VAR"} <= seen
    assert "AWS_SECRET_ACCESS_KEY" not in seen
    assert "UNRELATED" not in seen
    text = '{{ index .EnvMap "AWS_SECRET_ACCESS_KEY" }}|{{ envOr "UNRELATED" "none" }}'
    assert loaded.render(text, "t") == "|none"


def test_the_switch_restores_the_whole_environment(tmp_path: Path) -> None:
    everything = {**PROCESS, "CODEXSTACK_TEMPLATE_ENV": "all"}
    loaded = load(project(tmp_path), env="dev", process_env=everything)
    assert loaded.context.env_map["AWS_SECRET_ACCESS_KEY"] == "runner-credential"

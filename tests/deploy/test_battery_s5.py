"""Battery S5 with values that reach ``run:`` through templates (issue 14).

Untrusted values (issue titles, branch names…) reach a hook as environment variables byte-exact
(tests/deploy/test_hooks.py). When a project splices one into ``run:`` through a template
instead, ``shq`` keeps it one shell word: ``$(...)``, backticks and quotes are printed, never
run; a value with a line break cannot be spliced at all (the structure guard refuses the file,
exit 65); and an unquoted splice is reported at its line.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from codexstack.config.load import LoadedConfig, load_config
from codexstack.deploy.builtins import BUILTINS
from codexstack.deploy.hooks import HookEnv, HookRunner
from codexstack.errors import ConfigError, ExitCode
from tests.deploy.test_hooks import make_plan

HOSTILE = [
    "$(touch PWNED)",
    "`touch PWNED`",
    'it\'s "quoted" ; touch PWNED',
    "feature/$(id)-`id`",
    "tab\there & | > PWNED",
]
SERVICES = """\
project: demo
environments:
  dev: {}
hooks:
  beforeAll:
    - name: title
      run: |
        printf %s {{ envOr "ISSUE_TITLE" "" | shq }} > title.out
"""


def load(root: Path, title: str) -> LoadedConfig:
    (root / "services.yaml").write_text(SERVICES)
    return load_config("services.yaml", env="dev", cwd=root, process_env={"ISSUE_TITLE": title})


@pytest.mark.parametrize("title", HOSTILE)
def test_a_spliced_value_quoted_with_shq_is_printed_not_run(tmp_path: Path, title: str) -> None:
    loaded = load(tmp_path, title)
    assert loaded.warnings == ()  # quoted: nothing to warn about
    plan = dataclasses.replace(
        make_plan(tmp_path), hooks={"beforeAll": loaded.model.hooks.before_all}
    )
    HookRunner(HookEnv(plan, variables={"HOME": str(tmp_path)}, cwd=tmp_path), BUILTINS).stage(
        "beforeAll"
    )
    assert (tmp_path / "title.out").read_text() == title
    assert not (tmp_path / "PWNED").exists()


def test_a_value_with_a_line_break_is_never_spliced_into_run(tmp_path: Path) -> None:
    # The real rendering no longer parses (or, in other layouts, parses with more structure).
    with pytest.raises(ConfigError, match=r"invalid YAML|changes the YAML structure") as caught:
        load(tmp_path, "x\ntouch PWNED")
    assert caught.value.exit_code == ExitCode.INVALID
    assert not (tmp_path / "PWNED").exists()


def test_an_unquoted_splice_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "services.yaml").write_text(SERVICES.replace(" | shq }}", " }}"))
    loaded = load_config("services.yaml", env="dev", cwd=tmp_path, process_env={})
    assert [(w.location.line, w.location.key) for w in loaded.warnings] == [
        (7, "hooks.beforeAll[0].run")
    ]

"""services.yaml structure guard (issue 14, defect 1): values fill scalars, never add keys.

The file is one text template, so an environment value that carries a quote and a line break
could add a hook step (shell run on apply) to a service. The load renders the file a second time
with every such value replaced by a one-word stand-in and refuses a structural difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codexstack.errors import ConfigError
from tests.config.test_load import load, write_project

SERVICES = """
project: demo
environments:
  dev: {}
services:
  - name: api
    when: '{{ envOr "FEATURE" "true" }}'
    manifests: [{path: api.yaml}]
"""

INJECTED = "true'\n    hooks:\n      afterApply:\n        - run: touch X\n    #"


def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", SERVICES, {"api.yaml": "kind: ConfigMap\n"})


def test_a_value_that_adds_a_hook_step_is_refused_at_its_line(tmp_path: Path) -> None:
    path = project(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load(path, env="dev", process_env={"FEATURE": INJECTED})
    err = caught.value
    assert "changes the YAML structure" in err.message
    assert err.location is not None
    assert err.location.file == "services.yaml"
    assert err.location.key == "FEATURE"
    # the line of the template action that brought the value in (services.yaml line 7)
    assert err.location.line == 7


def test_a_single_line_value_that_adds_a_flow_list_item_is_refused(tmp_path: Path) -> None:
    text = SERVICES + '    hooks:\n      afterApply: [{run: \'echo {{ envOr "MSG" "hi" }}\'}]\n'
    path = write_project(tmp_path / "proj", text, {"api.yaml": "kind: ConfigMap\n"})
    assert len(load(path, env="dev").model.services[0].hooks.after_apply) == 1
    with pytest.raises(ConfigError, match="changes the YAML structure"):
        load(path, env="dev", process_env={"MSG": "hi'}, {run: 'touch X"})


def test_quotes_and_line_breaks_inside_a_scalar_pass(tmp_path: Path) -> None:
    path = project(tmp_path)
    loaded = load(path, env="dev", process_env={"FEATURE": "all\nfine"})
    assert loaded.model.services[0].when == "all fine"
    assert loaded.model.services[0].hooks.after_apply == ()


def test_a_run_step_splicing_an_outside_value_warns_at_its_line(tmp_path: Path) -> None:
    """Issue 14 defect 2: before, such a step loaded without a word."""
    text = (
        SERVICES
        + "    hooks:\n      afterApply:\n"
        + '        - run: \'echo {{ envOr "MSG" "hi" }}\'\n'
        + '        - run: |\n            echo {{ envOr "MSG" "hi" | shq }} {{ .Project }}\n'
    )
    path = write_project(tmp_path / "proj", text, {"api.yaml": "kind: ConfigMap\n"})
    warnings = load(path, env="dev").warnings
    assert [(w.location.line, w.location.key) for w in warnings] == [
        (11, "services[0].hooks.afterApply[0].run")
    ]
    assert "shq" in (warnings[0].hint or "")

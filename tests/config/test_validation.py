"""F1: every schema rule broken once gives one clear message with file, line and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codexstack.errors import ConfigError, ExitCode

from .support import config_error, validate_yaml

ROOT = Path(__file__).resolve().parents[2]


def only_issue(text: str, *, strict: bool = True):  # type: ignore[no-untyped-def]
    err = config_error(text, strict=strict)
    assert len(err.issues) == 1, str(err)
    return err.issues[0]


@pytest.mark.parametrize(
    ("text", "line", "key", "suggestion"),
    [
        ("projetc: demo\n", 1, "projetc", "project"),
        (
            "services:\n  - name: a\n    manifest:\n      - path: a.yaml\n",
            3,
            "services[0].manifest",
            "manifests",
        ),
        ("environments:\n  ai:\n    form: staging\n", 3, "environments.ai.form", "from"),
        (
            "services:\n  - name: a\n    image:\n      tag: v1\n",
            4,
            "services[0].image.tag",
            "tagTemplate",
        ),
        ("codex:\n  timeouts:\n    deploywait: 5m\n", 3, "codex.timeouts.deploywait", "deployWait"),
        (
            "services:\n  - name: a\n    overlays:\n      ai:\n        hostmount: []\n",
            5,
            "services[0].overlays.ai.hostmount",
            "hostMounts",
        ),
    ],
)
def test_unknown_key_is_an_error_with_did_you_mean(
    text: str, line: int, key: str, suggestion: str
) -> None:
    issue = only_issue(text)
    assert issue.location.file == "services.yaml"
    assert issue.location.line == line
    assert issue.location.key == key
    assert "unknown key" in issue.message
    assert issue.hint == f"did you mean '{suggestion}'?"


def test_unknown_key_without_a_close_match_lists_the_known_keys() -> None:
    issue = only_issue("state:\n  zzz: 1\n")
    assert issue.hint is not None
    assert "configmapNamespace" in issue.hint


def test_compat_mode_turns_unknown_keys_into_warnings_and_drops_them() -> None:
    model, warnings = validate_yaml("project: demo\nregistyr: r\n", strict=False)
    assert model.project == "demo"
    assert [w.location.key for w in warnings] == ["registyr"]
    assert warnings[0].severity == "warning"
    assert warnings[0].location.line == 2


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        ("maxSlots: '5'\n", 1, "maxSlots", "expected an integer, got a string"),
        ("maxSlots: true\n", 1, "maxSlots", "expected an integer, got a boolean"),
        ("project:\n  a: b\n", 1, "project", "expected a string, got a mapping"),
        ("envFiles: .env\n", 1, "envFiles", "expected a list, got a string"),
        ("services:\n  name: a\n", 1, "services", "expected a list, got a mapping"),
        (
            "hooks:\n  beforeAll:\n    - continueOnError: maybe\n",
            3,
            "hooks.beforeAll[0].continueOnError",
            "true or false",
        ),
        ("versions:\n  app: [1, 2]\n", 2, "versions.app", "expected a string, got a list"),
        ("templateDialect: mustache\n", 1, "templateDialect", "'go' or 'jinja'"),
        ("maxSlots: -1\n", 1, "maxSlots", "at least 0"),
    ],
)
def test_wrong_types_are_errors(text: str, line: int, key: str, words: str) -> None:
    issue = only_issue(text)
    assert (issue.location.line, issue.location.key) == (line, key)
    assert words in issue.message


def test_missing_required_key_points_at_the_item() -> None:
    issue = only_issue("services:\n  - manifests:\n      - path: a.yaml\n")
    assert issue.location.key == "services[0].name"
    assert issue.location.line == 2
    assert issue.message == "required key 'name' is missing"


def test_blank_required_value_is_an_error() -> None:
    issue = only_issue("infrastructure:\n  - name: '  '\n")
    assert issue.location.key == "infrastructure[0].name"
    assert "must not be empty" in issue.message


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (
            "codex:\n  configBlocks:\n    - name: x\n",
            "codex.configBlocks[0]",
            "exactly one of 'toml' or 'file'",
        ),
        (
            "codex:\n  configBlocks:\n    - toml: 'a = 1'\n      file: b.toml\n",
            "codex.configBlocks[0]",
            "exactly one of 'toml' or 'file'",
        ),
        (
            "codex:\n  mcp:\n    servers:\n      - name: s\n        type: stdio\n"
            "        command: c\n        env:\n          K:\n"
            "            value: v\n            envRef: E\n",
            "codex.mcp.servers[0].env.K",
            "exactly one of 'value', 'envRef' or 'varRef'",
        ),
        (
            "codex:\n  mcp:\n    servers:\n      - name: s\n        type: http\n"
            "        endpoint: e\n        headers:\n          H: {}\n",
            "codex.mcp.servers[0].headers.H",
            "exactly one of 'value', 'envRef' or 'varRef'",
        ),
    ],
)
def test_exactly_one_of_violations(text: str, key: str, words: str) -> None:
    issue = only_issue(text)
    assert issue.location.key == key
    assert words in issue.message
    assert issue.location.line is not None


def test_optional_value_ref_may_be_empty() -> None:
    model, _ = validate_yaml(
        "codex:\n  mcp:\n    servers:\n      - name: s\n        type: stdio\n        command: c\n"
        "        env:\n          K: {optional: true}\n"
    )
    assert model.codex.mcp.servers[0].env["K"].optional is True


@pytest.mark.parametrize(
    ("server", "words"),
    [
        ("{name: s, type: ftp}", "type must be one of stdio, http, https, cluster"),
        ("{name: s, type: stdio}", "needs 'command'"),
        ("{name: s, type: https}", "needs 'endpoint'"),
        ("{name: s, type: cluster, service: {port: 8080}}", "needs 'service.name'"),
    ],
)
def test_mcp_server_fields_per_type(server: str, words: str) -> None:
    issue = only_issue(f"codex:\n  mcp:\n    servers:\n      - {server}\n")
    assert issue.location.key == "codex.mcp.servers[0]"
    assert words in issue.message


def test_duplicate_mcp_server_names_differ_only_in_case() -> None:
    issue = only_issue(
        "codex:\n  mcp:\n    servers:\n      - {name: Docs, type: http, endpoint: a}\n"
        "      - {name: docs, type: http, endpoint: b}\n"
    )
    assert "defined more than once" in issue.message


def test_environment_cycle_names_the_chain() -> None:
    issue = only_issue("environments:\n  a:\n    from: b\n  b:\n    from: c\n  c:\n    from: a\n")
    assert issue.message == "environment inheritance cycle: a -> b -> c -> a"
    assert (issue.location.line, issue.location.key) == (7, "environments.c.from")


def test_environment_self_reference_is_a_cycle() -> None:
    issue = only_issue("environments:\n  ai:\n    from: ai\n")
    assert issue.message == "environment inheritance cycle: ai -> ai"
    assert (issue.location.line, issue.location.key) == (3, "environments.ai.from")


def test_unknown_from_target_suggests_a_name() -> None:
    issue = only_issue("environments:\n  staging: {}\n  ai:\n    from: stagin\n")
    assert "unknown environment 'stagin'" in issue.message
    assert "did you mean 'staging'" in issue.message
    assert (issue.location.line, issue.location.key) == (4, "environments.ai.from")


def test_chain_into_a_broken_link_is_reported_once() -> None:
    err = config_error("environments:\n  a:\n    from: b\n  b:\n    from: nowhere\n")
    assert len(err.issues) == 1
    assert err.issues[0].location.key == "environments.b.from"


def test_duplicate_service_names_are_errors() -> None:
    issue = only_issue("services:\n  - name: api\n  - name: API\n")
    assert (issue.location.line, issue.location.key) == (3, "services[1].name")
    assert "services[0]" in issue.message


def test_slot_bootstrap_infra_must_name_an_infra_block() -> None:
    issue = only_issue(
        "infrastructure:\n  - name: Base\n"
        "environments:\n  ai:\n    slotBootstrapInfra: [base, rbca]\n"
    )
    assert issue.location.key == "environments.ai.slotBootstrapInfra[1]"
    assert issue.hint is None or "did you mean" in issue.hint


def test_all_errors_of_a_file_are_reported_together_in_line_order() -> None:
    err = config_error("maxSlots: x\nservices:\n  - nmae: a\nenvironments:\n  ai: {from: ai}\n")
    lines = [i.location.line or 0 for i in err.issues]
    assert lines == sorted(lines)
    # wrong type, unknown key, missing name; cross-key checks (the cycle) need a valid model
    assert len(err.issues) == 3
    text = str(err)
    assert text.startswith("services.yaml: 3 problems:")
    assert "services.yaml:1:1, key 'maxSlots'" in text
    assert err.exit_code == ExitCode.INVALID
    assert isinstance(err, ConfigError)


def test_values_are_never_echoed_in_messages() -> None:
    err = config_error("maxSlots: s3cr3t-token\n")
    assert "s3cr3t" not in str(err)


def test_document_that_is_not_a_mapping() -> None:
    with pytest.raises(ConfigError) as caught:
        validate_yaml("- a\n- b\n")
    assert caught.value.location is not None
    assert caught.value.location.file == "services.yaml"
    assert caught.value.location.line == 1


def test_empty_document_is_an_empty_project() -> None:
    model, warnings = validate_yaml("# nothing yet\n")
    assert model.services == ()
    assert warnings == ()


def test_building_the_models_skips_pydantic_plugin_discovery_and_restores_the_env() -> None:
    """The first validation builds the models without scanning entry points (a render cost)."""
    script = (
        "import os\n"
        "os.environ['PYDANTIC_DISABLE_PLUGINS'] = 'some-plugin'\n"
        "from tests.config.support import validate_yaml\n"
        "validate_yaml('project: demo\\n')\n"
        "from pydantic.plugin import _loader\n"
        "print(_loader._plugins, os.environ['PYDANTIC_DISABLE_PLUGINS'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["None", "some-plugin"]

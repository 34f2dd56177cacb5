"""Model and effort: flag > label > env > services.yaml > default; unknown values warn (D-MODEL)."""

from __future__ import annotations

import pytest

from codexstack.agent.model import choose, effort_from_labels, model_from_labels, normalise
from codexstack.errors import ConfigError


def pick(**kw: object) -> tuple[str, str, str, str]:
    args: dict[str, object] = {
        "flag_model": "",
        "flag_effort": "",
        "labels": (),
        "env_map": {},
        "file_model": "",
        "file_effort": "",
    }
    args.update(kw)
    got = choose(**args)  # type: ignore[arg-type]
    return got.model.value, got.model.source, got.effort.value, got.effort.source


def test_each_level_of_the_precedence() -> None:
    env = {"CODEXCTL_MODEL": "gpt-5.2", "CODEXCTL_MODEL_REASONING_EFFORT": "low"}
    labels = ["[ai-model-gpt-5.1-codex-max]", "ai-reasoning-high"]
    assert pick() == ("gpt-5.3-codex", "default", "medium", "default")
    assert pick(file_model="gpt-5.2", file_effort="high")[1::2] == (
        "codex.model",
        "codex.modelReasoningEffort",
    )
    assert pick(env_map=env, file_model="gpt-5.1-codex-mini") == (
        "gpt-5.2",
        "CODEXCTL_MODEL",
        "low",
        "CODEXCTL_MODEL_REASONING_EFFORT",
    )
    # A label beats the environment (codexctl lets the process env win: D-MODEL).
    assert pick(env_map=env, labels=labels) == ("gpt-5.1-codex-max", "label", "high", "label")
    assert pick(env_map=env, labels=labels, flag_model="GPT-5.2", flag_effort="Extra High") == (
        "gpt-5.2",
        "flag",
        "xhigh",
        "flag",
    )


def test_label_priorities() -> None:
    allowed = ("gpt-5.3-codex", "gpt-5.2")
    assert (
        model_from_labels(["ai-model-gpt-5.2", "ai-model-gpt-5.3-codex"], allowed)
        == "gpt-5.3-codex"
    )
    assert effort_from_labels(["ai-low", "ai-reasoning-medium"]) == "medium"
    assert effort_from_labels(["ai-high", "ai-low"]) == "high"
    assert effort_from_labels(["ai-reasoning-extra-high"]) == "xhigh"
    assert normalise(" Extra_High ") == "xhigh"


def test_unknown_value_is_a_warning_and_the_whitelist_is_configurable() -> None:
    got = choose(
        flag_model="o9-preview",
        flag_effort="",
        labels=(),
        env_map={},
        file_model="",
        file_effort="",
    )
    assert got.model.value == "o9-preview"
    assert got.warnings
    assert "not in the allowed list" in got.warnings[0]
    listed = choose(
        flag_model="o9-preview",
        flag_effort="minimal",
        labels=(),
        env_map={},
        file_model="",
        file_effort="",
        allowed_models=["o9-preview"],
        allowed_efforts=["minimal"],
    )
    assert listed.warnings == ()


def test_a_value_that_cannot_be_a_model_name_is_an_error() -> None:
    with pytest.raises(ConfigError, match="--model"):
        choose(
            flag_model='x" --danger',
            flag_effort="",
            labels=(),
            env_map={},
            file_model="",
            file_effort="",
        )
    with pytest.raises(ConfigError, match="CODEXCTL_MODEL_REASONING_EFFORT"):
        choose(
            flag_model="",
            flag_effort="",
            labels=(),
            env_map={"CODEXCTL_MODEL_REASONING_EFFORT": "high;rm"},
            file_model="",
            file_effort="",
        )

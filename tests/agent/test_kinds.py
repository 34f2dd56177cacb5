"""Prompt inputs are validated before any cluster call (D-KIND-LATE): kind, language, mode."""

from __future__ import annotations

import pytest

from codexstack.agent.kinds import KINDS, builtin_prompt, check_kind, choose_lang, prompt_mode
from codexstack.errors import ConfigError, ExitCode


def test_every_kind_is_accepted_and_blank_means_dev_issue() -> None:
    assert [check_kind(k.upper()) for k in KINDS] == list(KINDS)
    assert check_kind("  ") == "dev_issue"


def test_unknown_kind_is_invalid_input_naming_the_flag() -> None:
    with pytest.raises(ConfigError) as info:
        check_kind("dev_isue")
    assert info.value.exit_code == ExitCode.INVALID
    assert "--kind" in str(info.value)
    assert "dev_issue" in str(info.value)


def test_language_order_flag_process_mergedmap_file_default() -> None:
    assert choose_lang("RU", {"CODEXCTL_LANG": "en"}, {}, "en") == "ru"
    assert choose_lang("", {"CODEXCTL_LANG": "ru"}, {"CODEXCTL_LANG": "en"}, "en") == "ru"
    assert choose_lang("", {}, {"CODEXCTL_LANG": "ru"}, "en") == "ru"
    assert choose_lang("", {}, {}, "ru") == "ru"
    assert choose_lang("", {}, {}, "") == "en"


def test_language_must_be_a_tag_not_a_path() -> None:
    with pytest.raises(ConfigError, match="--lang"):
        choose_lang("../../etc/passwd", {}, {}, "")


def test_missing_language_falls_back_to_english_with_a_warning() -> None:
    chosen = builtin_prompt("plan_issue", "de")
    assert chosen.relpath == "prompts/plan_issue_en.tmpl"
    assert chosen.warning is not None
    assert "'de'" in chosen.warning
    assert builtin_prompt("plan_issue", "ru").warning is None


@pytest.mark.parametrize(
    ("env_map", "resume", "mode", "continuation"),
    [
        ({}, False, "full", False),
        ({}, True, "short", False),
        ({"CODEXCTL_PROMPT_MODE": "full"}, True, "full", False),
        (
            {"CODEXCTL_PROMPT_MODE": "short", "CODEXCTL_PROMPT_CONTINUATION": "true"},
            True,
            "full",
            True,
        ),
        ({"CODEXCTL_PROMPT_CONTINUATION": "false"}, True, "short", False),
    ],
)
def test_prompt_mode(env_map: dict[str, str], resume: bool, mode: str, continuation: bool) -> None:
    result = prompt_mode(env_map, resume=resume)
    assert (result.mode, result.continuation, result.warning) == (mode, continuation, None)


def test_unparsable_continuation_forces_full_with_a_warning() -> None:
    result = prompt_mode({"CODEXCTL_PROMPT_CONTINUATION": "yes"}, resume=True)
    assert result.mode == "full"
    assert result.warning is not None
    assert "yes" in result.warning

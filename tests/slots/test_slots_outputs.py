"""codexctl's machine outputs (§9.6) and the environment comment (§9.4)."""

from __future__ import annotations

import pytest

from codexstack.errors import CodexstackError
from codexstack.slots.comment import comment_host, env_comment
from codexstack.slots.outputs import legacy_ready, ready_result, run_args
from codexstack.templating.assets import asset_text


def test_ready_result_keys_and_run_args() -> None:
    result = ready_result(
        slot=2,
        namespace="demo-dev-2",
        env="ai",
        created=False,
        recreated=True,
        infra_ready=False,
        env_ready=True,
        issue=42,
    )
    assert list(result)[:9] == [
        "slot",
        "namespace",
        "env",
        "created",
        "recreated",
        "infra_ready",
        "codexctl_env_ready",
        "infra_unhealthy",
        "codexctl_new_env",
    ]
    assert (result["infra_unhealthy"], result["codexctl_new_env"]) == (True, True)
    assert result["codexctl_run_args"] == "--env ai --slot 2 --namespace demo-dev-2 --issue 42"
    assert legacy_ready(result)["infraReady"] is False
    assert run_args("ai", 1, "", 0, 7) == "--env ai --slot 1 --pr 7"


def test_env_comment_en_and_ru() -> None:
    host = comment_host("ai", 4, {"ai": "ai.demo.local"})
    links = [("Swagger", "swagger"), ("Admin", "/admin"), ("", "/x"), ("Blank", " ")]
    assert env_comment(4, host, links) == (
        "Codex run completed\n\n- Slot: 4\n- Host: https://dev-4.ai.demo.local\n"
        "- Swagger: https://dev-4.ai.demo.local/swagger\n"
        "- Admin: https://dev-4.ai.demo.local/admin\n"
    )
    russian = env_comment(1, "staging.demo.local", [], lang="ru")
    assert russian.splitlines()[0] == "Запуск Codex завершён"
    assert "- Слот: 1" in russian
    assert "- Хост: https://staging.demo.local" in russian
    assert comment_host("staging", 0, {"staging": "s.demo"}) == "s.demo"


def test_env_comment_unknown_language_falls_back_to_english() -> None:
    for lang in ("de", "../ru", "EN", ""):
        assert env_comment(2, "h.local", [], lang=lang).startswith("Codex run completed\n")
    assert env_comment(2, "h.local", [], lang="RU").startswith("Запуск Codex завершён\n")


def test_missing_asset_is_a_clear_error() -> None:
    with pytest.raises(CodexstackError, match=r"template 'nope/x\.txt' is missing \(looked in "):
        asset_text("nope/x.txt")

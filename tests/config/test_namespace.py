"""The namespace rule (§6.2, D-NS) as a pure function."""

from __future__ import annotations

import pytest

from codexstack.config.namespace import fallback_namespace, resolve_namespace


@pytest.mark.parametrize(
    ("env", "slot", "expected"),
    [
        ("ai", 3, "demo-dev-3"),
        ("ai", 0, ""),
        ("ai-repair", 0, "demo-ai-staging"),
        ("ai-repair", 5, "demo-ai-staging"),
        ("dev", 0, "demo-dev"),
        ("ai-staging", 7, "demo-ai-staging"),
        ("preview", 2, "demo-preview"),
        ("", 1, ""),
    ],
)
def test_fallbacks(env: str, slot: int, expected: str) -> None:
    assert fallback_namespace("demo", env, slot) == expected


def test_no_project_no_fallback() -> None:
    assert fallback_namespace("", "dev", 0) == ""


def render_upper(text: str) -> str:
    return text.upper()


def test_explicit_beats_pattern() -> None:
    calls: list[str] = []

    def render(text: str) -> str:
        calls.append(text)
        return "from-pattern"

    got = resolve_namespace(
        explicit=" given ", env="ai", slot=1, project="demo", pattern="p", render_pattern=render
    )
    assert got == "given"
    assert calls == []


def test_pattern_is_rendered_and_trimmed() -> None:
    got = resolve_namespace(
        explicit=None,
        env="ai",
        slot=2,
        project="demo",
        pattern="x-{{ .Slot }}",
        render_pattern=lambda t: " ns-2\n",
    )
    assert got == "ns-2"


def test_blank_pattern_result_falls_back() -> None:
    got = resolve_namespace(
        explicit="", env="ai", slot=2, project="demo", pattern="p", render_pattern=lambda t: "  "
    )
    assert got == "demo-dev-2"


def test_blank_pattern_is_not_rendered() -> None:
    def fail(text: str) -> str:
        raise AssertionError("rendered")

    got = resolve_namespace(
        explicit=None, env="dev", slot=0, project="demo", pattern="  ", render_pattern=fail
    )
    assert got == "demo-dev"


def test_empty_env_means_no_namespace_even_with_patterns() -> None:
    got = resolve_namespace(
        explicit=None, env="", slot=0, project="demo", pattern="x", render_pattern=render_upper
    )
    assert got == ""

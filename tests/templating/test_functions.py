"""codexctl's helper functions: semantics, argument order, and how pipelines feed them."""

from __future__ import annotations

import datetime as dt

import pytest

from codexstack.errors import TemplateError
from codexstack.templating import functions as F
from codexstack.templating import render
from codexstack.templating.gotmpl.gotime import GoTime
from codexstack.templating.gotmpl.values import GoSlice, GoStruct

NOW = dt.datetime(2024, 3, 5, 6, 7, 8, 900_000, tzinfo=dt.UTC)
ENV = {"REGISTRY_HOST": "registry.local:5000", "EMPTY": "", "SPACE": " "}


def go(text: str, data: object = None) -> str:
    return render("go", "t", text, data, env_map=ENV, now=NOW)


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        ("", "d", "d"),
        ("  \t\n", "d", "d"),
        ("v", "d", "v"),
        (" v ", "d", " v "),
        ("\u00a0", "d", "d"),
    ],
)
def test_default_uses_def_only_for_blank_values(value: str, default: str, expected: str) -> None:
    assert F.default(value, default) == expected


def test_default_argument_order_is_the_reverse_of_sprig() -> None:
    # The piped value is the last argument: it becomes DEF, so "y" (not blank) wins.
    assert go('{{ .X | default "y" }}', {"X": "x"}) == "y"
    assert go('{{ "" | default "  " }}') == ""


def test_default_refuses_non_strings() -> None:
    with pytest.raises(TemplateError, match="wrong type for value; expected string; got int"):
        go('{{ default .N "x" }}', {"N": 1})


def test_to_lower_maps_rune_by_rune_like_go() -> None:
    assert F.to_lower("HeLLo ÄÖ") == "hello äö"
    assert F.to_lower("İ") == "i"  # one rune in, one rune out (Python would give two)
    assert F.to_lower("ΣΑΣ") == "σασ"  # no final-sigma rule


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" Hello World_Foo  Bar ", "hello-world-foo--bar"),
        ("A--B__C", "a--b--c"),
        ("x.y/z", "x.y/z"),
    ],
)
def test_slug_replaces_only_spaces_and_underscores(text: str, expected: str) -> None:
    assert F.slug(text) == expected


def test_trunc_sha_cuts_bytes_not_characters() -> None:
    assert F.trunc_sha("0123456789abcdef") == "0123456789ab"
    assert F.trunc_sha("short") == "short"
    cut = F.trunc_sha("é" * 7)  # 14 bytes: the 12-byte cut keeps six whole characters
    assert cut == "é" * 6


def test_env_or_needs_a_present_non_empty_value() -> None:
    assert F.env_or(ENV, "REGISTRY_HOST", "d") == "registry.local:5000"
    assert F.env_or(ENV, "EMPTY", "d") == "d"
    assert F.env_or(ENV, "SPACE", "d") == " "  # not trimmed
    assert F.env_or(ENV, "MISSING", "d") == "d"
    assert go('{{ envOr "REGISTRY_HOST" "x" }}') == "registry.local:5000"


def test_ternary_takes_a_bool_first() -> None:
    assert go('{{ ternary (eq .N 1) "one" "other" }}', {"N": 1}) == "one"
    with pytest.raises(TemplateError, match="expected bool"):
        go('{{ ternary "yes" "a" "b" }}')


def test_join_takes_a_string_list_then_the_separator() -> None:
    tools = GoSlice.strings(["psql", "redis-cli"])
    assert go('{{ join .T ", " }}', {"T": tools}) == "psql, redis-cli"
    with pytest.raises(TemplateError, match='can\'t handle "," for arg of type \\[\\]string'):
        go('{{ .T | join "," }}', {"T": tools})  # is: join "," .T


@pytest.mark.parametrize(
    ("n", "text", "expected"),
    [(2, "a\nb\n\nc\n\n", "  a\n  b\n  \n  c"), (3, "", ""), (0, "x", "x"), (4, "x", "    x")],
)
def test_indent_prefixes_every_line_and_drops_trailing_newlines(
    n: int, text: str, expected: str
) -> None:
    assert F.indent(n, text) == expected


def test_trim_prefix_removes_one_prefix_and_reads_value_first() -> None:
    assert F.trim_prefix("vv1", "v") == "v1"
    assert F.trim_prefix("abc", "x") == "abc"
    assert go('{{ "v1.2" | trimPrefix "v" }}') == "v"  # trimPrefix "v" "v1.2"


def test_now_is_the_load_timestamp_as_go_time() -> None:
    assert go("{{ now }}") == "2024-03-05 06:07:08.9 +0000 UTC"
    assert go('{{ now.Format "2006-01-02T15:04:05Z07:00" }} {{ now.Unix }}') == (
        "2024-03-05T06:07:08Z 1709618828"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("plain", "'plain'"), ("it's", "'it'\"'\"'s'"), ("", "''"), ("$(rm -rf /)", "'$(rm -rf /)'")],
)
def test_shq_quotes_one_shell_word(value: str, expected: str) -> None:
    assert F.shq(value) == expected
    assert go("{{ shq .V }}", {"V": value}) == expected


def test_shq_prints_go_values_like_go_before_quoting() -> None:
    assert go(
        "{{ shq .N }} {{ shq .F }} {{ shq .B }} {{ shq .Missing }}", {"N": 5, "F": 1e6, "B": True}
    ) == ("'5' '1e+06' 'true' ''")


def test_to_json_is_compact_sorted_and_understands_structs() -> None:
    s = GoStruct.make(None, B=1, A=GoSlice.strings(["x"]))
    assert F.to_json({"b": 1, "a": s}) == '{"a":{"A":["x"],"B":1},"b":1}'
    assert go("{{ toJson .M }}", {"M": {"z": "é", "a": None}}) == '{"a":null,"z":"é"}'


def test_codexctl_names_are_all_registered() -> None:
    funcs = F.go_functions(ENV, GoTime(0))
    assert set(F.CODEXCTL_NAMES) <= set(funcs)

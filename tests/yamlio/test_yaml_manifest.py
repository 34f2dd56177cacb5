"""Manifest stream decoding: codexctl's document rules and precise errors."""

from __future__ import annotations

import pytest

from codexstack.errors import ConfigError, ExitCode
from codexstack.yamlio import Limits, Timestamp, decode_manifests


def test_empty_documents_are_dropped() -> None:
    text = "\n---\n# only a comment\n---\nnull\n---\n~\n---\n{}\n---\nkind: A\n---\n"
    assert decode_manifests(text, "m.yaml") == [{"kind": "A"}]
    assert decode_manifests("", "m.yaml") == []


def test_yaml_v3_resolution_into_python_values() -> None:
    text = (
        "a: 0x10\nb: yes\nc: 1.5\nd: 2024-01-02\ne: '5'\nf: true\ng: 012\nh: 18446744073709551615\n"
    )
    (doc,) = decode_manifests(text, "m.yaml")
    assert doc == {
        "a": 16,
        "b": "yes",
        "c": 1.5,
        "d": Timestamp(2024, 1, 2),
        "e": "5",
        "f": True,
        "g": 10,
        "h": 2**64 - 1,
    }


def test_top_level_keys_are_source_text_and_null_keys_vanish() -> None:
    (doc,) = decode_manifests("1: a\ntrue: b\n0x10: c\n~: d\n", "m.yaml")
    assert doc == {"1": "a", "true": "b", "0x10": "c"}


def test_aliases_expand_to_independent_copies() -> None:
    (doc,) = decode_manifests("a: &x {b: [1]}\nc: *x\n", "m.yaml")
    assert doc["a"] == doc["c"]
    doc["c"]["b"].append(2)
    assert doc["a"] == {"b": [1]}


def test_merge_keys_let_own_keys_and_earlier_sources_win() -> None:
    text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 0\n"
    (doc,) = decode_manifests(text, "m.yaml")
    assert doc["c"] == {"x": 0, "y": 1, "z": 2}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("kind: A\n---\n- a\n- b\n", 3, "must be a mapping"),
        ("kind: A\nkind: B\n", 2, "already defined at line 1"),
        ("a:\n  b: 1\n  'b': 2\n", 3, "already defined at line 2"),
        ("a: *missing\n", 1, "unknown anchor"),
        ("a: [1, 2\n", 2, "invalid YAML"),
        ("a:\n  <<: 5\n", 2, "map merge requires"),
        ("a: !!int x\n", 1, "cannot decode"),
        ("just text\n", 1, "must be a mapping"),
    ],
)
def test_errors_name_the_manifest_and_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        decode_manifests(text, "deploy/web.yaml")
    err = caught.value
    assert err.exit_code == ExitCode.INVALID
    assert err.location is not None
    assert err.location.file == "deploy/web.yaml"
    assert err.location.line == line
    assert fragment in str(err)


def test_unknown_tags_are_data_never_code() -> None:
    text = "a: !!python/object/apply:os.system ['exit 3']\nb: !custom {x: 1}\n"
    (doc,) = decode_manifests(text, "m.yaml")
    assert doc == {"a": ["exit 3"], "b": {"x": 1}}


def test_nesting_beyond_the_limit_is_an_error_not_a_crash() -> None:
    text = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    with pytest.raises(ConfigError, match="deeper than 200"):
        decode_manifests(text, "m.yaml")


def test_alias_chains_cannot_nest_past_the_limit() -> None:
    limits = Limits(max_depth=5)
    text = "a: &a [[1]]\nb: &b [[*a]]\nc: &c [[*b]]\n"
    with pytest.raises(ConfigError, match="deeper than 5"):
        decode_manifests(text, "m.yaml", limits)


def test_size_limit_applies_to_manifests() -> None:
    with pytest.raises(ConfigError, match="larger than the limit"):
        decode_manifests("a: " + "x" * 200 + "\n", "m.yaml", Limits(max_bytes=100))


def test_byte_order_mark_starting_a_later_line_is_refused() -> None:
    # yaml.v3 reads it as content, libyaml skips it: refuse rather than differ silently.
    assert decode_manifests("\ufeffa: 1\n", "m.yaml") == [{"a": 1}]
    with pytest.raises(ConfigError, match="byte order mark") as caught:
        decode_manifests("a: 1\n---\n\ufeffb: 2\n", "m.yaml")
    assert caught.value.location is not None
    assert caught.value.location.line == 3

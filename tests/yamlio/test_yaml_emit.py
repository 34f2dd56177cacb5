"""The yaml.v3-compatible emitter: the reference's own examples (§4.5), S7 and D3."""

from __future__ import annotations

import json
import random

import pytest

from codexstack.yamlio import Timestamp, decode_manifests, dump_stream, to_jsonable
from codexstack.yamlio.keyorder import sorted_keys


def test_stream_separators_and_trailing_newline() -> None:
    out = dump_stream([{"a": 1}, {"b": 2}])
    assert out == "a: 1\n---\nb: 2\n"
    assert dump_stream([]) == ""


def test_key_order_examples_from_reference() -> None:
    ordered = ["1a", "9", "10", "B1", "a-b", "a.b", "a_b", "a1", "ab", "b2", "b10"]
    shuffled = ordered[:]
    random.Random(3).shuffle(shuffled)
    assert sorted_keys(shuffled) == ordered
    manifest_keys = ["spec", "kind", "metadata", "data", "apiVersion"]
    assert sorted_keys(manifest_keys) == ["apiVersion", "data", "kind", "metadata", "spec"]


def test_block_style_nested_sequences_and_empty_collections() -> None:
    out = dump_stream([{"k": [["b", "c"], {}, [], {"x": 1, "y": [1]}]}])
    assert out == 'k:\n  - - b\n    - c\n  - {}\n  - []\n  - x: 1\n    "y":\n      - 1\n'


@pytest.mark.parametrize(
    "text",
    [
        "true",
        "False",
        "TRUE",
        "y",
        "Y",
        "n",
        "N",
        "yes",
        "no",
        "on",
        "off",
        "On",
        "OFF",
        "null",
        "~",
        "12",
        "0x10",
        "0o17",
        "0b11",
        "1_000",
        "1.0",
        ".5",
        "1e3",
        ".inf",
        "2024-01-01",
        "",
        "1:20",
        "0777",
        "2024-01-01 10:00:00",
        "a\tb",
        "bell\a",
    ],
)
def test_double_quoted_when_plain_would_change_type(text: str) -> None:
    line = dump_stream([{"v": text}])
    assert line.startswith('v: "')
    assert line.endswith('"\n')
    assert decode_manifests(line, "t.yaml") == [{"v": text}]


@pytest.mark.parametrize(
    "text",
    [
        ",a",
        "[a",
        "]a",
        "{a",
        "}a",
        "#a",
        "&a",
        "*a",
        "!a",
        "|a",
        ">a",
        "'a",
        '"a',
        "%a",
        "@a",
        "`a",
        "-",
        "?",
        ":",
        "- a",
        "? a",
        ": a",
        "a:",
        "a: b",
        "a #b",
        " a",
        "a ",
        "'quoted'",
    ],
)
def test_single_quoted_when_plain_is_not_allowed(text: str) -> None:
    line = dump_stream([{"v": text}])
    assert line == "v: '" + text.replace("'", "''") + "'\n"


@pytest.mark.parametrize(
    "text", ["-x", ":x", "?q", "a:b", "a,b", "a# b", "NaN", "=", "<<", "12e", 'a"b', "it's", "日本"]
)
def test_plain_examples_from_reference(text: str) -> None:
    assert dump_stream([{"v": text}]) == f"v: {text}\n"


def test_multiline_strings_become_literal_blocks() -> None:
    assert dump_stream([{"v": "a\nb\n"}]) == "v: |\n  a\n  b\n"
    assert dump_stream([{"v": "a\nb"}]) == "v: |-\n  a\n  b\n"
    assert dump_stream([{"v": "a\n\n"}]) == "v: |+\n  a\n\n"
    assert dump_stream([{"v": "  a\nb"}]) == "v: |2-\n    a\n  b\n"


def test_scalars_are_normalised() -> None:
    text = "a: 0x10\nb: 012\nc: 1_000\nd: 1e3\ne: 5.0\nf: 2024-01-01\ng: ~\nh: !!str 5\n"
    assert dump_stream(decode_manifests(text, "t.yaml")) == (
        'a: 16\nb: 10\nc: 1000\nd: 1000\ne: 5\nf: 2024-01-01T00:00:00Z\ng: null\nh: "5"\n'
    )


def test_timestamps_keep_offset_and_nanoseconds() -> None:
    stamp = Timestamp(2001, 12, 14, 21, 59, 43, 100_000_000, -5 * 3600)
    assert dump_stream([{"t": stamp}]) == "t: 2001-12-14T21:59:43.1-05:00\n"


def test_s7_newline_and_separator_in_a_value_cannot_inject_a_document() -> None:
    injected = "x\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
    docs = [
        {"apiVersion": "v1", "kind": "ConfigMap", "data": {"note": injected, "tail": injected[:-1]}}
    ]
    out = dump_stream(docs)
    assert "\n  note: |\n" in out
    back = decode_manifests(out, "rendered.yaml")
    assert back == docs
    assert [doc["kind"] for doc in back] == ["ConfigMap"]


def _random_doc(rng: random.Random, depth: int = 0) -> object:
    if depth > 3 or rng.random() < 0.4:
        return rng.choice(["a", "b: c", "x\ny", 1, 2.5, True, None, "", "0x1"])
    if rng.random() < 0.5:
        return [_random_doc(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["a", "B", "a1", "a10", "a2", "_x", "-y", "1", "10", "9"]
    return {k: _random_doc(rng, depth + 1) for k in rng.sample(keys, rng.randint(0, 5))}


def test_d3_same_input_ten_times_is_byte_identical() -> None:
    docs = [_random_doc(random.Random(seed)) for seed in range(50)]
    docs = [doc for doc in docs if isinstance(doc, dict)]
    outputs = {dump_stream(docs) for _ in range(10)}
    assert len(outputs) == 1


def test_output_does_not_depend_on_key_insertion_order() -> None:
    doc = {"kind": "Pod", "metadata": {"name": "p", "labels": {"b": "1", "a": "2", "a10": "3"}}}
    flipped = {"metadata": {"labels": {"a10": "3", "a": "2", "b": "1"}, "name": "p"}, "kind": "Pod"}
    assert dump_stream([doc]) == dump_stream([flipped])


def test_unsupported_types_are_refused() -> None:
    with pytest.raises(TypeError):
        dump_stream([{"a": object()}])


def test_to_jsonable_writes_yaml_only_values_as_yaml_shows_them() -> None:
    text = (
        "m:\n  1: a\n  true: b\n  ~: c\nt: 2024-01-02T03:04:05.5+01:00\nb: !!binary /w==\nn: .inf\n"
    )
    (doc,) = decode_manifests(text, "m.yaml")
    plain = to_jsonable(doc)
    assert json.loads(json.dumps(plain, allow_nan=False)) == plain
    assert plain["m"] == {"1": "a", "true": "b", "null": "c"}
    assert plain["t"] == "2024-01-02T03:04:05.5+01:00"
    assert plain["b"] == "/w=="
    assert plain["n"] == ".inf"

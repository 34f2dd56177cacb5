"""Differential tests: codexstack.yamlio against gopkg.in/yaml.v3 (the Go oracle).

The corpus must match on every case, byte for byte and type for type. The raw fuzz feeds
arbitrary text; the two parsers (libyaml 0.2.5 and yaml.v3's Go port) disagree on a few
malformed inputs about *whether* to accept, but whenever both accept, the output must be
identical.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from .generated import corpus
from .oracle import Mismatch, build_oracle, compare, run_oracle


@pytest.fixture(scope="session")
def oracle() -> Path:
    return build_oracle()


def _report(mismatches: list[Mismatch]) -> str:
    lines = []
    for m in mismatches[:10]:
        want = repr(m.expected["out"]) if m.expected["ok"] else "error " + m.expected["err"]
        lines.append(f"text={m.text[:200]!r}\n  yaml.v3: {want[:300]}\n  ours:    {m.got[:300]}")
    return "\n".join(lines)


def test_corpus_matches_yaml_v3_byte_for_byte(oracle: Path) -> None:
    texts = corpus()
    results = run_oracle(oracle, texts)
    mismatches = [m for text, res in zip(texts, results, strict=True) if (m := compare(text, res))]
    accepted = sum(1 for res in results if res["ok"])
    print(
        f"\nyaml.v3 differential: {len(texts) - len(mismatches)}/{len(texts)} identical "
        f"({accepted} accepted, {len(texts) - accepted} rejected by yaml.v3)"
    )
    assert len(texts) >= 1000
    assert not mismatches, _report(mismatches)


RAW_ALPHABET = [
    *"aZ09 _-.:#?'\"\\,[]{}&*!|>%@`~+=/\t\n",
    *["é", "😀", "  ", ": ", " #", "\n  ", "\n- ", "- ", "---", "...", "<<", "\xa0", "\r\n"],
    *["\x85", "\u2028", "\ufeff"],
]


def _raw_texts(rng: random.Random, count: int) -> list[str]:
    def chunk(limit: int) -> str:
        return "".join(rng.choice(RAW_ALPHABET) for _ in range(rng.randint(0, limit)))

    shapes = [
        lambda: f"k: {chunk(12)}\n",
        lambda: f"k:\n  {chunk(8)}: {chunk(8)}\n",
        lambda: f"{chunk(30)}\n",
        lambda: f"k: [{chunk(10)}]\nj: {{{chunk(10)}}}\n",
    ]
    return [rng.choice(shapes)() for _ in range(count)]


@pytest.mark.slow
def test_raw_fuzz_output_identical_whenever_both_accept(oracle: Path) -> None:
    texts = _raw_texts(random.Random(4711), 6000)
    results = run_oracle(oracle, texts)
    mismatches = [m for text, res in zip(texts, results, strict=True) if (m := compare(text, res))]
    silent = [m for m in mismatches if m.expected["ok"] and not m.got.startswith("error")]
    go_only = sum(1 for m in mismatches if m.expected["ok"]) - len(silent)
    print(
        f"\nraw fuzz: {len(texts)} texts, {len(mismatches) - go_only - len(silent)} accepted "
        f"only by codexstack, {go_only} only by yaml.v3, {len(silent)} output differences"
    )
    assert not silent, _report(silent)

"""The full differential corpus: the hand-written cases plus seeded random ones.

Strings come from an alphabet rich in YAML-special characters (indicators, quotes, tabs,
line and paragraph separators, NEL, NBSP, BOM, control and non-BMP characters); documents
nest them with numbers, booleans and nulls, and are written six ways (JSON, PyYAML block,
flow, double-quoted and folded styles, and codexstack's own emitter). Numbers and dates
probe yaml.v3's resolver, valid and not.
"""

from __future__ import annotations

import json
import random
from typing import Any

import yaml

from codexstack.yamlio import dump_stream

from .corpus import (
    K8S_CASES,
    STRUCTURE_CASES,
    TAG_CASES,
    TRICKY_STRINGS,
    key_order_cases,
    long_key_cases,
    plain_cases,
    string_cases,
)

ALPHABET = [
    *"aAzZ09 _-.:#?'\"\\,[]{}&*!|>%@`~+=/\t\n",
    "é",
    "日",
    "😀",
    "\u2028",
    "\x85",
    "\xa0",
    "\x00",
    "\x1b",
    "\ufeff",
    "\r",
    "  ",
    ": ",
    " #",
]
SCALAR_TOKENS = [*"0123456789_.-+:eExXoObBtTZ ", "0x", "0o", "0b", "2024-", "inf", "nan"]


def random_string(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(TRICKY_STRINGS)
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 10)))


def random_scalar(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.6:
        return random_string(rng)
    if roll < 0.75:
        return rng.choice([0, 1, -7, 42, 2**40, -(2**62), 2**63 - 1])
    if roll < 0.85:
        return rng.choice([0.5, -2.25, 1e6, 1.5e-7, 3.0, 1e21, 123456.789])
    return rng.choice([True, False, None])


def random_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.5:
        return random_scalar(rng)
    if roll < 0.75:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {random_string(rng): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def random_document(rng: random.Random) -> dict[str, Any]:
    return {random_string(rng): random_value(rng, 1) for _ in range(rng.randint(1, 5))}


def written(rng: random.Random, docs: list[dict[str, Any]]) -> str:
    """One text for ``docs``: JSON, PyYAML block/flow/quoted/folded, or codexstack itself."""
    way = rng.randrange(6)
    if way == 0:
        return "---\n".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in docs)
    if way == 5:
        return dump_stream(docs)
    options: dict[str, Any] = {"allow_unicode": True, "width": rng.choice([10**6, 20])}
    options["default_flow_style"] = way == 2
    options["default_style"] = {3: '"', 4: ">"}.get(way)
    return str(yaml.safe_dump_all(docs, **options))


def generated_cases(rng: random.Random, count: int) -> list[str]:
    cases = []
    for _ in range(count):
        docs = [random_document(rng) for _ in range(rng.randint(1, 3))]
        cases.append(written(rng, docs))
    for _ in range(count // 2):
        token = "".join(rng.choice(SCALAR_TOKENS) for _ in range(rng.randint(1, 8))).strip()
        cases.append(f"v: {token}\nm:\n  {token}: x\n")
    return cases


def random_number_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return repr(rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30))
    if roll < 0.6:
        return str(rng.randint(-(2**64), 2**64))
    fields = [rng.randint(0, 2100), rng.randint(0, 13), rng.randint(0, 32)]
    stamp = f"{fields[0]:04d}-{fields[1]}-{fields[2]:02d}"
    if roll < 0.7:
        return stamp
    clock = f"{rng.randint(0, 24)}:{rng.randint(0, 60):02d}:{rng.randint(0, 60):02d}"
    fraction = rng.choice(["", ".5", ".123456789", ".1234567891", ",25"])
    zone = rng.choice(["Z", "+05:30", "-08:00", "+00:00", "", "+24:00", "-1:00"])
    return f"{stamp}{rng.choice('Tt ')}{clock}{fraction}{zone}"


def number_cases(rng: random.Random, count: int) -> list[str]:
    return [
        f"v: {random_number_text(rng)}\nm:\n  {random_number_text(rng)}: x\n" for _ in range(count)
    ]


def corpus(seed: int = 20240601, generated: int = 400) -> list[str]:
    """Every hand-written case plus ``generated`` seeded random documents (and number probes)."""
    rng = random.Random(seed)
    hand = [
        *string_cases(),
        *plain_cases(),
        *TAG_CASES,
        *STRUCTURE_CASES,
        *long_key_cases(),
        *K8S_CASES,
    ]
    return hand + key_order_cases(rng) + number_cases(rng, 200) + generated_cases(rng, generated)

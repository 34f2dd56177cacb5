"""envFiles parser against godotenv v1.5.1 itself (the version codexctl links), case by case.

The oracle (``godotenv_oracle/``) is built with the machine's Go toolchain into the git-ignored
``tests/oracle/bin``. Cases: hand-written edge cases plus lines generated from the characters
the grammar cares about. The one intended difference: an empty name is an error here.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from codexstack.errors import ConfigError
from codexstack.golang import parse_dotenv
from tests.oracle.build import BIN_DIR, build_go, run_json

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parent / "godotenv_oracle"
BIN = BIN_DIR / "godotenv-oracle"

HAND = [
    "A=1\nexport B=2\nC = 3 # c\nD='4'\nE=\"5\\n\"\n",
    'A="multi\nline"\nB=$A\n',
    "A=1\nB=${A}x$A\\$A\nC=\"$A${B}\\$A\"\nD='$A'\n",
    'A=thud # fred # other\nB=foo#bar\nC="foo"#bar\n',
    'A="say \\"hi\\""\nB="x\\\\y\\z"\n',
    "exportA=1\n",
    "A: yaml\nB.c_9: x\n",
    "---\nA=1\n",
    "A=$(whoami)\nB=$(WHO)\n",
    "é=1\n",
    "ª=1\nµ=2\n",
    "A=1\r\nB=2\r\n",
    "\ufeffA=1\n",
    "A=\x1c\nB=2\n",
    "  \n\t# c\n   A=1   \n",
    "A='unterminated\n",
    "A B=1\n",
    "A=1\nJUSTKEY",
]
ATOMS = ["A", "B", "x", "export ", "=", ":", " ", "\t", "#", "'", '"', "\\", "$", "{", "}",
         "(", ")", "n", "r", "\n", ".", "_", "-", "é", "\r\n", "${A}", "$B", "1"]  # fmt: skip


def generated(count: int, seed: int = 20250101) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        lines = [
            rng.choice(["A", "B", "export A", " B", "C.d", "x"])
            + rng.choice(["=", ":", " = ", "="])
            + "".join(rng.choice(ATOMS) for _ in range(rng.randint(0, 8)))
            for _ in range(rng.randint(1, 4))
        ]
        texts.append("\n".join(lines) + rng.choice(["\n", ""]))
    return texts


def oracle(texts: list[str]) -> list[dict[str, object]]:
    results: list[dict[str, object]] = run_json(build_go(SRC, BIN, "godotenv"), texts)
    return results


def ours(text: str) -> dict[str, str] | None:
    try:
        return parse_dotenv(text, ".env")
    except ConfigError:
        return None


def test_parser_matches_godotenv() -> None:
    texts = HAND + generated(600)
    expected = oracle(texts)
    mismatches: list[tuple[str, object, object]] = []
    compared = 0
    for text, want in zip(texts, expected, strict=True):
        got = ours(text)
        if "err" in want:
            if got is not None:
                mismatches.append((text, want, got))
            compared += 1
            continue
        vars_ = want.get("vars") or {}
        assert isinstance(vars_, dict)
        if "" in vars_:
            assert got is None, text  # the intended difference: an empty name is an error
            continue
        compared += 1
        if got != vars_:
            mismatches.append((text, want, got))
    assert compared > 500
    assert not mismatches, "\n".join(repr(m) for m in mismatches[:10])

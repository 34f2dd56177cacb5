"""Build and run the yaml.v3 oracle (tests/oracle/yamlv3), and compare codexstack with it.

The oracle is built once per session into the git-ignored ``tests/oracle/bin``; a missing Go
toolchain is a clear test failure, not a skip, because byte-identity with codexctl is a
promise of the product.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexstack.errors import ConfigError
from codexstack.yamlio import Timestamp, decode_manifests, dump_stream
from codexstack.yamlio.keyorder import TypedKey
from tests.oracle.build import BIN_DIR, build_go, run_json

ORACLE_SRC = BIN_DIR.parent / "yamlv3"
ORACLE_BIN = BIN_DIR / "yamlv3-oracle"


def build_oracle() -> Path:
    """Build the oracle binary unless it is newer than its sources."""
    return build_go(ORACLE_SRC, ORACLE_BIN, "yaml.v3")


def run_oracle(binary: Path, texts: list[str]) -> list[dict[str, Any]]:
    """yaml.v3's verdict on each text: ok/out/err/docs (see main.go)."""
    return run_json(binary, texts)


def canonical(value: Any) -> str:
    """The oracle's type-revealing form of a decoded value (mirrors ``canonical`` in Go)."""
    if isinstance(value, TypedKey):
        return canonical(value.value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"bool:{str(value).lower()}"
    if isinstance(value, int):
        return f"int:{value}"
    if isinstance(value, float):
        if value != value:
            return "float:7ff8000000000001"  # Go's math.NaN() bit pattern
        return "float:" + struct.pack(">d", value).hex()
    if isinstance(value, str):
        return "str:" + value.encode("utf-8").hex()
    if isinstance(value, bytes):
        return "str:" + value.hex()
    if isinstance(value, Timestamp):
        return f"time:{value}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    if isinstance(value, dict):
        parts = sorted(f"{canonical(k)}={canonical(v)}" for k, v in value.items())
        return "{" + ",".join(parts) + "}"
    raise TypeError(type(value).__name__)


@dataclass(frozen=True)
class Mismatch:
    text: str
    expected: dict[str, Any]
    got: str


def compare(text: str, expected: dict[str, Any]) -> Mismatch | None:
    """None when codexstack decodes and re-encodes ``text`` exactly as yaml.v3 did."""
    try:
        docs = decode_manifests(text, "case.yaml")
        out = dump_stream(docs)
    except ConfigError as exc:
        return None if not expected["ok"] else Mismatch(text, expected, f"error: {exc}")
    if not expected["ok"]:
        return Mismatch(text, expected, f"accepted: {out!r}")
    got_docs = [canonical(doc) for doc in docs]
    if out != expected["out"] or got_docs != expected["docs"]:
        return Mismatch(text, expected, f"out={out!r} docs={got_docs}")
    return None

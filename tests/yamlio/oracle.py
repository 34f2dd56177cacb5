"""Build and run the yaml.v3 oracle (tests/oracle/yamlv3), and compare codexstack with it.

The oracle is built once per session into the git-ignored ``tests/oracle/bin``; a missing Go
toolchain is a clear test failure, not a skip, because byte-identity with codexctl is a
promise of the product.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from codexstack.errors import ConfigError
from codexstack.yamlio import Timestamp, decode_manifests, dump_stream
from codexstack.yamlio.keyorder import TypedKey

ORACLE_SRC = Path(__file__).resolve().parents[1] / "oracle" / "yamlv3"
ORACLE_BIN = ORACLE_SRC.parent / "bin" / "yamlv3-oracle"


def build_oracle() -> Path:
    """Build the oracle binary unless it is newer than its sources."""
    sources = [ORACLE_SRC / name for name in ("main.go", "go.mod", "go.sum")]
    if ORACLE_BIN.exists() and all(
        ORACLE_BIN.stat().st_mtime >= src.stat().st_mtime for src in sources
    ):
        return ORACLE_BIN
    go = shutil.which("go")
    if go is None:
        pytest.fail(
            "the Go toolchain ('go') is required to build the yaml.v3 oracle in "
            f"{ORACLE_SRC}; install Go and re-run",
            pytrace=False,
        )
    ORACLE_BIN.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [go, "build", "-o", str(ORACLE_BIN), "."],
        cwd=ORACLE_SRC,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"building the yaml.v3 oracle failed:\n{done.stderr}", pytrace=False)
    return ORACLE_BIN


def run_oracle(binary: Path, texts: list[str]) -> list[dict[str, Any]]:
    """yaml.v3's verdict on each text: ok/out/err/docs (see main.go)."""
    done = subprocess.run(
        [str(binary)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "UTC"},
        timeout=600,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


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

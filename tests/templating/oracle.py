"""Build and run the Go text/template oracle (tests/oracle/gotemplate), and run our side.

The oracle is built once per session into the git-ignored ``tests/oracle/bin``; a missing Go
toolchain is a clear test failure, not a skip: byte-identity with Go is the acceptance
criterion of the Go dialect. Both sides get the same cases (template, typed data, env map,
now) and report output bytes or an error with its line.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from codexstack.templating.functions import go_functions
from codexstack.templating.gotmpl.gotime import GoTime
from codexstack.templating.gotmpl.template import GoTemplateError, render
from tests.templating.codec import decode_value

ORACLE_SRC = Path(__file__).resolve().parents[1] / "oracle" / "gotemplate"
ORACLE_BIN = ORACLE_SRC.parent / "bin" / "gotemplate-oracle"
DEFAULT_NOW = {"s": 1_700_000_000, "n": 123_456_789}


@dataclass(frozen=True)
class Outcome:
    """What one side made of a case: output bytes, or an error message and its line."""

    ok: bool
    out: bytes = b""
    err: str = ""

    @property
    def err_where(self) -> str:
        """``NAME:LINE`` (and ``:COL`` for execution errors) as the message states it."""
        found = re.match(r"template: ([^:]*:\d+(?::\d+)?)", self.err)
        return found.group(1) if found else ""


def case(
    name: str, template: str, data: Any = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """One differential case in the oracle's input format."""
    return {"name": name, "template": template, "data": data, "env": env or {}, "now": DEFAULT_NOW}


def build_oracle() -> Path:
    """Build the oracle binary unless it is newer than its sources."""
    sources = [ORACLE_SRC / "main.go", ORACLE_SRC / "go.mod"]
    if ORACLE_BIN.exists() and all(
        ORACLE_BIN.stat().st_mtime >= s.stat().st_mtime for s in sources
    ):
        return ORACLE_BIN
    go = shutil.which("go")
    if go is None:
        pytest.fail(
            "the Go toolchain ('go') is required to build the text/template oracle in "
            f"{ORACLE_SRC}; install Go and re-run",
            pytrace=False,
        )
    ORACLE_BIN.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [go, "build", "-o", str(ORACLE_BIN), "."],
        cwd=ORACLE_SRC,
        capture_output=True,
        text=True,
        env={**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod"},
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"building the text/template oracle failed:\n{done.stderr}", pytrace=False)
    return ORACLE_BIN


def run_oracle(binary: Path, cases: list[dict[str, Any]]) -> list[Outcome]:
    """Go's verdict on every case, from one process."""
    done = subprocess.run(
        [str(binary)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "UTC"},
        timeout=600,
        check=True,
    )
    return [Outcome(r["ok"], base64.b64decode(r["out"]), r["err"]) for r in json.loads(done.stdout)]


def run_python(c: dict[str, Any]) -> Outcome:
    """Our Go dialect's verdict on one case."""
    now = GoTime(c["now"]["s"], c["now"]["n"])
    funcs = go_functions(c["env"], now)
    try:
        out = render(c["name"], c["template"], decode_value(c["data"]), funcs)
    except GoTemplateError as exc:
        return Outcome(False, err=exc.message)
    return Outcome(True, out.encode("utf-8", "surrogateescape"))

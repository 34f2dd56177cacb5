"""Build and run the Go text/template oracle (tests/oracle/gotemplate), and run our side.

The oracle is built once per session into the git-ignored ``tests/oracle/bin``; a missing Go
toolchain is a clear test failure, not a skip: byte-identity with Go is the acceptance
criterion of the Go dialect. Both sides get the same cases (template, typed data, env map,
now) and report output bytes or an error with its line.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexstack.templating.functions import go_functions
from codexstack.templating.gotmpl.gotime import GoTime
from codexstack.templating.gotmpl.template import GoTemplateError, render
from tests.oracle.build import BIN_DIR, build_go, run_json
from tests.templating.codec import decode_value

ORACLE_SRC = BIN_DIR.parent / "gotemplate"
ORACLE_BIN = BIN_DIR / "gotemplate-oracle"
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
    go_env = {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod"}
    return build_go(ORACLE_SRC, ORACLE_BIN, "text/template", go_env)


def run_oracle(binary: Path, cases: list[dict[str, Any]]) -> list[Outcome]:
    """Go's verdict on every case, from one process."""
    return [Outcome(r["ok"], base64.b64decode(r["out"]), r["err"]) for r in run_json(binary, cases)]


def run_python(c: dict[str, Any]) -> Outcome:
    """Our Go dialect's verdict on one case."""
    now = GoTime(c["now"]["s"], c["now"]["n"])
    funcs = go_functions(c["env"], now)
    try:
        out = render(c["name"], c["template"], decode_value(c["data"]), funcs)
    except GoTemplateError as exc:
        return Outcome(False, err=exc.message)
    return Outcome(True, out.encode("utf-8", "surrogateescape"))

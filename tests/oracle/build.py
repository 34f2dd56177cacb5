"""Build and run the Go oracles the differential tests compare codexstack with.

Each oracle is a small Go program reading a JSON array of cases on stdin and writing a JSON
array of verdicts on stdout. It is built with the machine's Go toolchain into the git-ignored
``tests/oracle/bin`` and rebuilt only when its sources are newer. A missing Go toolchain is a
clear test failure, not a skip: byte-identity with the Go libraries codexctl links is a
promise of the product.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

BIN_DIR = Path(__file__).resolve().parent / "bin"


def build_go(src: Path, binary: Path, what: str, env: Mapping[str, str] | None = None) -> Path:
    """Build the oracle in ``src`` into ``binary`` unless it is newer than its sources.

    ``what`` names the oracle in failure messages; ``env`` is added to the build environment.
    """
    sources = [src / name for name in ("main.go", "go.mod", "go.sum") if (src / name).exists()]
    if binary.exists() and all(binary.stat().st_mtime >= s.stat().st_mtime for s in sources):
        return binary
    go = shutil.which("go")
    if go is None:
        pytest.fail(
            f"the Go toolchain ('go') is required to build the {what} oracle in "
            f"{src}; install Go and re-run",
            pytrace=False,
        )
    binary.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [go, "build", "-o", str(binary), "."],
        cwd=src,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"building the {what} oracle failed:\n{done.stderr}", pytrace=False)
    return binary


def run_json(binary: Path, cases: list[Any]) -> list[Any]:
    """The oracle's verdicts on ``cases``, from one process (times in UTC)."""
    done = subprocess.run(
        [str(binary)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "UTC"},
        timeout=600,
        check=True,
    )
    verdicts: list[Any] = json.loads(done.stdout)
    return verdicts

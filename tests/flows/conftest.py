"""Fixtures for the flow tests: a project directory with a services.yaml and a clean process.

Flows are called directly (no CliRunner). The slot registry is the real SQLite default under
the project; no cluster is configured (HOME and KUBECONFIG point nowhere).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SERVICES = """\
project: shop
maxSlots: 2
environments:
  ai: {}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "services.yaml").write_text(SERVICES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in list(os.environ):
        if name.startswith(("CODEXCTL_", "CODEXSTACK_", "GITHUB_")) or name == "KUBECONFIG":
            monkeypatch.delenv(name)
    return tmp_path

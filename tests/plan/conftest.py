"""Small on-disk projects for plan and render tests."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

MakeProject = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write services.yaml plus ``files`` (path -> text) and return the services.yaml path."""

    def make(services: str, files: dict[str, str] | None = None) -> Path:
        root = tmp_path / "proj"
        root.mkdir(exist_ok=True)
        for rel, text in (files or {}).items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text))
        path = root / "services.yaml"
        path.write_text(textwrap.dedent(services))
        return path

    return make

"""Fixtures of the image tests: the shared real parts plus a small project factory."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from codexstack.config import LoadedConfig, load_config
from codexstack.images import ImageResult, Options, prepare, resolve_jobs
from tests.images.fixtures import (  # noqa: F401  (fixtures are used by name)
    BASE,
    image_daemon,
    image_host,
    project_registry,
    upstream_registry,
)

MakeProject = Callable[..., LoadedConfig]


def prepare_all(
    loaded: LoadedConfig, docker_host: str, environ: Mapping[str, str] | None = None
) -> list[ImageResult]:
    """Resolve every image of ``loaded`` and prepare it on ``docker_host``."""
    jobs = resolve_jobs(loaded, environ=environ)
    return prepare(jobs.mirrors, jobs.builds, Options(docker_host=docker_host))


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write services.yaml (dedented) and files under ``tmp_path/proj`` and load it."""

    def make(
        services: str,
        files: Mapping[str, str] | None = None,
        *,
        env: str = "dev",
        environ: Mapping[str, str] | None = None,
    ) -> LoadedConfig:
        root = tmp_path / "proj"
        root.mkdir(exist_ok=True)
        (root / "services.yaml").write_text(textwrap.dedent(services), encoding="utf-8")
        for rel, text in (files or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return load_config(root / "services.yaml", env=env, process_env=dict(environ or {}))

    return make

"""Shared image fixtures: a private dockerd, the project's registry and an "upstream" one.

Import them into a conftest (``from tests.images.fixtures import image_daemon, …``). They
start the real parts from Debian's packages (``scripts/image-tools`` installs them) under the
session's temporary directory, never the system's daemon, and stop them at the end of the
session. A missing tool fails with the install hint — these fixtures never skip.

- ``image_host``: the running dockerd + project registry (:class:`HostStatus`).
- ``image_daemon``: a docker-py client for that dockerd, with the local base image
  :data:`BASE` imported from busybox-static (no network needed).
- ``project_registry``: ``127.0.0.1:<port>`` of the project's registry.
- ``upstream_registry``: a second registry, seeded with the base image as
  ``<upstream>/library/busybox:<BASE_TAG>`` — what a mirror pulls from.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from codexstack.cluster import imagebase, imagehost
from codexstack.cluster.imagehost import HostStatus
from codexstack.errors import CodexstackError
from codexstack.images import daemon

BASE = "codexstack-base/busybox:test"
"""The locally imported base image every test Dockerfile starts FROM."""
BASE_TAG = "1.35"


def _start(root: Path, parts: tuple[str, ...]) -> HostStatus:
    try:
        state = imagehost.start_image_host(root, parts=parts)
    except CodexstackError as exc:
        pytest.fail(f"cannot start the image host: {exc}", pytrace=False)
    return state


@pytest.fixture(scope="session")
def image_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostStatus]:
    root = tmp_path_factory.mktemp("imghost")
    state = _start(root, imagehost.PARTS)
    assert state.healthy, state.text()
    yield state
    imagehost.stop_image_host(root, purge=True)


@pytest.fixture(scope="session")
def image_daemon(image_host: HostStatus) -> Iterator[docker.DockerClient]:
    client = daemon.connect(image_host.docker_host)
    imagebase.ensure_base_image(client, BASE)
    yield client
    client.close()


@pytest.fixture(scope="session")
def project_registry(image_host: HostStatus) -> str:
    return image_host.registry


@pytest.fixture(scope="session")
def upstream_registry(
    tmp_path_factory: pytest.TempPathFactory, image_daemon: docker.DockerClient
) -> Iterator[str]:
    root = tmp_path_factory.mktemp("upstream")
    state = _start(root, ("registry",))
    address = state.registry
    repository = f"{address}/library/busybox"
    image_daemon.api.tag(BASE, repository, BASE_TAG)
    for event in image_daemon.api.push(repository, BASE_TAG, stream=True, decode=True):
        assert "error" not in event, event
    image_daemon.api.remove_image(f"{repository}:{BASE_TAG}")
    yield address
    imagehost.stop_image_host(root, purge=True)

"""The local image parts: idempotent up, status, doctor's report, and stop by ``cluster down``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from codexstack.cluster import imagehost, local
from codexstack.cluster.doctor import image_checks
from codexstack.cluster.imagehost import HostStatus


def test_second_up_is_a_no_op_and_status_reads_both_parts(image_host: HostStatus) -> None:
    root = Path(image_host.state_dir)
    again = imagehost.start_image_host(root)
    assert again.healthy
    assert [p.pid for p in again.parts] == [p.pid for p in image_host.parts]
    assert again.docker_host == f"unix://{root / 'docker.sock'}"
    assert again.registry.startswith("127.0.0.1:")
    tools, host = image_checks(root)
    assert tools.healthy
    assert host.healthy
    assert again.registry in host.detail


@pytest.fixture
def lone_registry(tmp_path: Path) -> Iterator[HostStatus]:
    """A registry alone under ``tmp_path/images``; stopped at the end whatever happened."""
    images_dir = tmp_path / "images"
    yield imagehost.start_image_host(images_dir, parts=("registry",))
    imagehost.stop_image_host(images_dir)


def test_cluster_down_stops_the_image_host_beside_it(
    tmp_path: Path, lone_registry: HostStatus
) -> None:
    cluster_dir, images_dir = tmp_path / "cluster", Path(lone_registry.state_dir)
    assert lone_registry.part("registry").healthy
    assert not lone_registry.part("dockerd").running
    assert image_checks(images_dir)[1].healthy is False  # half running is reported
    cli = str(Path(sys.executable).parent / "codexstack")
    done = subprocess.run(
        [cli, "registry", "status", "-o", "json", "--state-dir", str(images_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["registry"] == lone_registry.registry
    assert local.down(cluster_dir) == ["registry"]
    assert not imagehost.image_host_status(images_dir).part("registry").running
    assert image_checks(images_dir)[1].healthy  # cleanly stopped is fine

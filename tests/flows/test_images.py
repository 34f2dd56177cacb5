"""The images flows, called directly: ``images`` (mirror/build, digests recorded) and
``image_host`` (registry up/down/status), plus the CLI's ``ci images`` end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codexstack import flows
from codexstack.cluster.imagehost import HostStatus
from tests.images import fixtures as shared

# The real image parts, shared with tests/images (pytest finds fixtures by module name).
image_host = shared.image_host
image_daemon = shared.image_daemon
project_registry = shared.project_registry
upstream_registry = shared.upstream_registry

SERVICES = """\
project: shop
images:
  base:
    type: external
    from: {upstream}/library/busybox:1.35
    local: {registry}/flow/busybox:1.35
  web:
    type: build
    repository: {registry}/flow/web
    tagTemplate: '{{{{ .Env }}}}'
    dockerfile: web/Dockerfile
    context: web
  odd:
    type: helm
"""


@pytest.fixture
def images_project(
    project: Path, project_registry: str, upstream_registry: str, image_daemon: object
) -> Path:
    (project / "services.yaml").write_text(
        SERVICES.format(registry=project_registry, upstream=upstream_registry)
    )
    (project / "web").mkdir()
    (project / "web" / "Dockerfile").write_text(
        f"FROM {project_registry}/flow/busybox:1.35\nCOPY index.html /www/\n"
    )
    (project / "web" / "index.html").write_text("<h1>shop</h1>\n")
    return project


def test_flow_mirrors_then_builds_and_records_digests(
    images_project: Path, image_host: HostStatus
) -> None:
    target = flows.Target(images_project / "services.yaml", env="dev")
    recorder = flows.Recorder()
    request = flows.images.Request(target, docker_host=image_host.docker_host)
    result = flows.images.run(request, recorder)
    rows = result.data("json")["images"]
    assert [(r["name"], r["type"], r["pushed"], r["built"]) for r in rows] == [
        ("base", "external", True, False),
        ("web", "build", True, True),
    ]
    assert rows[1]["ref"].endswith("/flow/web:dev")
    assert len([w for w in recorder.warnings if "images.odd.type" in w]) == 1
    recorded = json.loads(Path(result.digests_file).read_text())["images"]
    assert recorded == {r["ref"]: r["digest"] for r in rows}
    assert any(line.startswith("info: image web: build") for line in recorder.lines)

    again = flows.images.run(request, flows.Recorder())
    assert [r.skipped for r in again.images] == [True, True]
    assert "skipped" in again.text()
    kv = again.data("kv")
    assert kv["web_skipped"] is True
    assert kv["web_digest"] == rows[1]["digest"]


def test_only_one_kind_and_unknown_names(images_project: Path, image_host: HostStatus) -> None:
    target = flows.Target(images_project / "services.yaml", env="dev")
    only_mirror = flows.images.run(
        flows.images.Request(target, build=False, docker_host=image_host.docker_host)
    )
    assert [r.name for r in only_mirror.images] == ["base"]
    nothing = flows.images.run(flows.images.Request(target, mirror=False, build=False))
    assert nothing.images == ()
    assert nothing.text() == "no images to prepare\n"
    with pytest.raises(Exception, match="no image named 'nope'"):
        flows.images.run(flows.images.Request(target, only=("nope",)))


def test_image_host_flow_status(image_host: HostStatus) -> None:
    state_dir = Path(image_host.state_dir)
    status = flows.image_host.run(flows.image_host.Request("status", state_dir))
    assert status.exit_code == 0
    assert status.data("json")["registry"] == image_host.registry
    up = flows.image_host.run(flows.image_host.Request("up", state_dir))
    assert up.data("json")["base_image"] == "codexstack/busybox-static:local"


def test_ci_images_cli_reads_codexctl_variables(
    images_project: Path, image_host: HostStatus
) -> None:
    cli = Path(sys.executable).parent / "codexstack"
    env = {
        **os.environ,
        "DOCKER_HOST": image_host.docker_host,
        "CODEXCTL_MIRROR_IMAGES": "false",
        "CODEXCTL_ENV": "dev",
    }
    done = subprocess.run(
        [str(cli), "ci", "images", "-o", "json"],
        cwd=images_project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["images"]
    assert [r["name"] for r in rows] == ["web"]
    assert rows[0]["ref"].endswith(":dev")
    assert set(rows[0]) >= {"ref", "digest", "built", "pushed", "skipped"}


def test_ensure_ready_prepares_images_for_a_new_slot_only(
    project: Path,
    project_registry: str,
    image_host: HostStatus,
    image_daemon: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (project / "services.yaml").write_text(
        "project: shop\nenvironments:\n  ai: {}\nimages:\n  app:\n    type: build\n"
        f"    repository: {project_registry}/ready/app\n"
        "    tagTemplate: 'slot-{{ .Slot }}'\n    dockerfile: Dockerfile\n"
    )
    (project / "Dockerfile").write_text(f"FROM {shared.BASE}\nRUN echo app > /app\n")
    monkeypatch.setenv("DOCKER_HOST", image_host.docker_host)
    target = flows.Target(config=project / "services.yaml")
    request = flows.ensure_ready.Request(target, issue=8, prepare_images=True)
    recorder = flows.Recorder()
    first = flows.ensure_ready.run(request, recorder)
    assert first.values["created"] is True
    assert "info: images: 1 prepared for slot 1" in recorder.lines
    digests = json.loads((project / ".codexstack" / "image-digests.json").read_text())
    assert list(digests["images"]) == [f"{project_registry}/ready/app:slot-1"]

    reused = flows.Recorder()
    flows.ensure_ready.run(request, reused)  # a reused slot: codexctl skips the images
    assert not [line for line in reused.lines if "images:" in line]

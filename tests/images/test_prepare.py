"""Mirror and build against the real private dockerd and two real registries.

Upstream holds the locally imported base image; the project's registry receives mirrors and
builds. Each test uses its own repository paths, so they do not depend on each other.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from pathlib import Path

import docker

from codexstack.cluster.imagehost import HostStatus
from codexstack.images import Options, prepare, resolve_jobs
from codexstack.images.events import ImageEvent
from tests.images.conftest import BASE, MakeProject


def tags(registry: str, path: str) -> list[str]:
    try:
        with urllib.request.urlopen(f"http://{registry}/v2/{path}/tags/list", timeout=5) as r:
            return sorted(json.load(r).get("tags") or [])
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            raise
        return []


def run_in(client: docker.DockerClient, ref: str, command: str) -> str:
    out = client.containers.run(ref, ["sh", "-c", command], network_mode="none", remove=True)
    return bytes(out).decode()


def opts(host: HostStatus, **kw: object) -> Options:
    return Options(docker_host=host.docker_host, **kw)  # type: ignore[arg-type]


def test_mirror_pushes_once_then_skips(
    make_project: MakeProject,
    image_host: HostStatus,
    image_daemon: docker.DockerClient,
    upstream_registry: str,
    project_registry: str,
) -> None:
    path = f"mirror-{uuid.uuid4().hex[:8]}/busybox"
    loaded = make_project(
        f"""\
        project: shop
        images:
          busybox:
            type: external
            from: {upstream_registry}/library/busybox:1.35
            local: {project_registry}/{path}:1.35
        """
    )
    jobs = resolve_jobs(loaded)
    first = prepare(jobs.mirrors, jobs.builds, opts(image_host))
    assert [(r.name, r.pushed, r.skipped) for r in first] == [("busybox", True, False)]
    assert first[0].digest.startswith("sha256:")
    assert tags(project_registry, path) == ["1.35"]
    second = prepare(jobs.mirrors, jobs.builds, opts(image_host))
    assert [(r.pushed, r.skipped, r.digest) for r in second] == [(False, True, first[0].digest)]


BUILD_SERVICES = """\
project: shop
images:
  app:
    type: build
    repository: {registry}/{path}
    tagTemplate: '{{{{ .Env }}}}-1'
    dockerfile: docker/app.Dockerfile
    context: app
    buildArgs:
      GREETING: hello from {{{{ .Env }}}}
    buildContexts:
      shared: shared
"""
BUILD_FILES = {
    "docker/app.Dockerfile": f"""\
        FROM {BASE}
        ARG GREETING
        COPY app.txt /app.txt
        COPY --from=shared data.txt /data.txt
        RUN echo "$GREETING" > /greeting
        """,
    "app/app.txt": "app v1\n",
    "app/.dockerignore": "ignored.txt\n",
    "app/ignored.txt": "never sent\n",
    "shared/data.txt": "shared data\n",
}


def test_build_with_args_and_extra_context_then_skip_then_rebuild(
    make_project: MakeProject,
    image_host: HostStatus,
    image_daemon: docker.DockerClient,
    project_registry: str,
) -> None:
    path = f"build-{uuid.uuid4().hex[:8]}/app"
    loaded = make_project(BUILD_SERVICES.format(registry=project_registry, path=path), BUILD_FILES)
    jobs = resolve_jobs(loaded)
    events: list[ImageEvent] = []
    first = prepare(jobs.mirrors, jobs.builds, opts(image_host), progress=events.append)
    assert [(r.ref, r.built, r.pushed) for r in first] == [
        (f"{project_registry}/{path}:dev-1", True, True)
    ]
    ref = first[0].ref
    shown = run_in(image_daemon, ref, "cat /greeting /app.txt /data.txt; ls /ignored.txt || true")
    assert shown.splitlines()[:3] == ["hello from dev", "app v1", "shared data"]
    pushes = [e for e in events if e.phase == "layers" and e.message.startswith("push")]
    assert pushes
    assert pushes[-1].layers_done == pushes[-1].layers_total > 0
    assert pushes[-1].bytes_done > 0

    again = prepare(jobs.mirrors, jobs.builds, opts(image_host))
    assert [(r.built, r.pushed, r.skipped, r.digest) for r in again] == [
        (False, False, True, first[0].digest)
    ]
    forced = prepare(jobs.mirrors, jobs.builds, opts(image_host, force=True))
    assert forced[0].built
    assert forced[0].pushed

    Path(loaded.root, "shared", "data.txt").write_text("shared data v2\n", encoding="utf-8")
    changed = prepare(jobs.mirrors, resolve_jobs(loaded).builds, opts(image_host))
    assert changed[0].built
    assert changed[0].digest != first[0].digest
    assert run_in(image_daemon, ref, "cat /data.txt") == "shared data v2\n"
    assert tags(project_registry, path) == ["dev-1"]


def test_builds_run_in_a_bounded_pool_and_come_back_sorted(
    make_project: MakeProject,
    image_host: HostStatus,
    image_daemon: docker.DockerClient,
    project_registry: str,
) -> None:
    prefix = f"pool-{uuid.uuid4().hex[:8]}"
    entries = "".join(
        f"""
          {name}:
            type: build
            repository: {project_registry}/{prefix}/{name}
            tag: "1"
            context: {name}
            dockerfile: {name}/Dockerfile
        """
        for name in ("zeta", "alpha", "mid")
    )
    files = {
        f"{n}/Dockerfile": f"FROM {BASE}\nRUN echo {n} > /name\n" for n in ("zeta", "alpha", "mid")
    }
    loaded = make_project("project: shop\nimages:" + entries, files)
    jobs = resolve_jobs(loaded)
    results = prepare(jobs.mirrors, jobs.builds, opts(image_host, parallel=3))
    assert [r.name for r in results] == ["alpha", "mid", "zeta"]
    assert all(r.built and r.pushed for r in results)
    assert run_in(image_daemon, results[2].ref, "cat /name") == "zeta\n"


def test_unchanged_inputs_do_not_touch_the_daemon_build(
    make_project: MakeProject,
    image_host: HostStatus,
    image_daemon: docker.DockerClient,
    project_registry: str,
) -> None:
    path = f"warm-{uuid.uuid4().hex[:8]}/app"
    loaded = make_project(BUILD_SERVICES.format(registry=project_registry, path=path), BUILD_FILES)
    jobs = resolve_jobs(loaded)
    prepare(jobs.mirrors, jobs.builds, opts(image_host, parallel=1))
    events: list[ImageEvent] = []
    prepare(jobs.mirrors, jobs.builds, opts(image_host), progress=events.append)
    assert [e.phase for e in events] == ["start", "done"]
    assert not [e for e in events if e.phase == "log"]

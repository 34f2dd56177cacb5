"""A rebuilt image rolls exactly its workload: real dockerd, registry, engine and cluster.

The demo is copied, its images are built into the project's registry (``DEMO_REGISTRY``) from
the local base image and the stack is applied. Then one file of the ``api`` context changes:
``images build`` rebuilds ``api`` only (``web`` is skipped), ``render`` prints exactly what it
printed before (the digest never enters the manifests), ``preview`` shows one update — the
``api`` Deployment — and ``apply`` rolls it alone (its pod-template annotation carries the
new digest; ``web`` keeps its generation).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from codexstack.cluster.health import ClusterStatus
from codexstack.cluster.imagehost import HostStatus
from tests.images import fixtures as shared
from tests.integration.apply_support import CLI, cli_env, demo, kget, namespace, sweep

image_host = shared.image_host
image_daemon = shared.image_daemon
project_registry = shared.project_registry

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.timeout(1800),
    pytest.mark.usefixtures("sweep", "image_daemon"),
]
__all__ = ["demo", "namespace", "sweep"]  # fixtures
KEY = "images.codexstack.io/"


def template(obj: dict[str, Any] | None) -> dict[str, Any]:
    assert obj is not None
    meta: dict[str, Any] = obj["spec"]["template"]["metadata"]
    return meta.get("annotations") or {}


def test_rebuilt_image_rolls_exactly_its_deployment(
    demo: Path,
    cluster: ClusterStatus,
    kubectl: list[str],
    namespace: str,
    image_host: HostStatus,
    project_registry: str,
) -> None:
    env = {
        **cli_env(demo),
        "DOCKER_HOST": image_host.docker_host,
        "DEMO_REGISTRY": project_registry,
        "DEMO_BASE_IMAGE": shared.BASE,
    }
    where = ["--env", "dev", "--namespace", namespace]
    engine = [*where, "--kubeconfig", str(cluster.kubeconfig), "-o", "json"]

    def cs(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(CLI), *args],
            cwd=demo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, f"{args} exited {done.returncode}\n{done.stderr[-5000:]}"
        return done

    def build() -> dict[str, dict[str, Any]]:
        done = cs("images", "build", "--env", "dev", "--only", "api,web", "-o", "json")
        return {row["name"]: row for row in json.loads(done.stdout)["images"]}

    first = build()
    assert first["api"]["built"]
    assert first["web"]["built"]
    rendered = cs("render", *where).stdout
    assert KEY not in rendered
    assert f"{project_registry}/demo-shop/api:dev-1.4.2" in rendered
    cs("apply", *engine, "--wait")
    api = kget(kubectl, "deployment", "api", "-n", namespace)
    web = kget(kubectl, "deployment", "web", "-n", namespace)
    # the api pod also runs the image as its `migrate` init container: both are pinned
    assert template(api) == {
        f"{KEY}api": first["api"]["digest"],
        f"{KEY}migrate": first["api"]["digest"],
    }
    assert template(web) == {f"{KEY}web": first["web"]["digest"]}
    assert api is not None
    assert web is not None

    (demo / "services" / "api" / "BUILD_NOTE").write_text("rebuilt\n")
    second = build()
    assert second["api"]["built"]
    assert second["api"]["digest"] != first["api"]["digest"]
    assert second["web"]["skipped"]
    assert second["web"]["digest"] == first["web"]["digest"]
    assert cs("render", *where).stdout == rendered  # byte-identical manifests

    preview = cs("preview", *engine)
    changes = json.loads(preview.stdout)["changes"]
    assert changes["update"] == 1
    assert changes["create"] == changes["delete"] == 0
    updated = set(re.findall(r" update (\S+ \S+)", preview.stderr))
    assert updated == {f"Deployment api:{namespace}/api"}

    applied = json.loads(cs("apply", *engine, "--wait").stdout)["changes"]
    assert applied["update"] == 1
    assert applied["create"] == applied["delete"] == 0
    api_after = kget(kubectl, "deployment", "api", "-n", namespace)
    web_after = kget(kubectl, "deployment", "web", "-n", namespace)
    assert api_after is not None
    assert web_after is not None
    assert set(template(api_after).values()) == {second["api"]["digest"]}
    assert api_after["metadata"]["generation"] == api["metadata"]["generation"] + 1
    assert web_after["metadata"]["generation"] == web["metadata"]["generation"]

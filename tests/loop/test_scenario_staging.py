"""Scenario 7, staging deploy: a push to ``main`` runs ``ci sync-sources``, ``ci images`` and
``ci apply`` (preflight, wait) for ``ai-staging`` through ``ai-staging.yml`` →
``codexstack-staging-deploy.yml``.

The demo's images are built by the project's own dockerd into its loopback registry (the
images fixtures; the external ones are not mirrored: this machine reaches no public
registry, so ``CODEXCTL_MIRROR_IMAGES=false``). Asserted: the workspace copy, the images in
the registry, the ``ai-staging`` stack and its Available Deployments. A push whose message
says ``[skip ci]`` runs nothing.
"""

from __future__ import annotations

import json
import urllib.request

import docker

from codexstack.cluster.imagehost import HostStatus
from loop import events
from loop.stage import Stage, deployments_available
from tests.images.fixtures import BASE


def test_push_to_main_deploys_ai_staging(
    stage: Stage, image_host: HostStatus, image_daemon: docker.DockerClient, kubectl: list[str]
) -> None:
    stage.act.env.update(
        {
            "DOCKER_HOST": image_host.docker_host,
            "DEMO_REGISTRY": image_host.registry,
            "DEMO_BASE_IMAGE": BASE,
        }
    )
    skipped = stage.run("push", events.push("main", "docs: typo [skip ci]"), actor="alice")
    assert not skipped.ran("deploy"), skipped.log()

    res = stage.run(
        "push",
        events.push("main", "feat: ship it"),
        actor="alice",
        variables={"CODEXCTL_MIRROR_IMAGES": "false"},
    )
    assert res.job_result("deploy") == "success", res.log()
    assert (stage.code_root / "ai-staging" / "src" / "services.yaml").is_file()
    with urllib.request.urlopen(f"http://{image_host.registry}/v2/_catalog", timeout=10) as r:
        catalog = json.load(r)["repositories"]
    assert {"demo-shop/api", "demo-shop/web", "demo-shop/codex"} <= set(catalog), catalog
    assert list((stage.root / "state").rglob("ai-staging.json"))
    assert deployments_available(kubectl, "demo-shop-ai-staging")

"""Images: build+push of the demo's images cold and warm, mirror time, warm/cold `ci images`.

Everything runs against real parts started here and stopped at the end: a private dockerd and
the project's registry (``codexstack registry up`` machinery, under a temporary directory, so
"cold" means an empty daemon and an empty registry) and a second registry standing in for the
upstream the demo mirrors from, seeded with the locally imported base image under the demo's
``postgres`` and ``redis`` names. The demo is copied and its ``from:`` lines point at that
upstream; its Dockerfiles start FROM the local base image. Commands run through the CLI, as a
CI job would.

    .venv/bin/python benchmarks/images_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from codexstack.cluster import imagebase, imagehost
from codexstack.images import connect

REPO = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "codexstack"


def run(project: Path, env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [str(CLI), "-c", str(project / "services.yaml"), *args, "--env", "dev", "-o", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return took


def seed_upstream(docker_host: str, upstream: str) -> None:
    client = connect(docker_host)
    imagebase.ensure_base_image(client, imagebase.BASE_IMAGE)
    for name, tag in (("postgres", "16.4"), ("redis", "7.4.1")):
        repository = f"{upstream}/library/{name}"
        client.api.tag(imagebase.BASE_IMAGE, repository, tag)
        for event in client.api.push(repository, tag, stream=True, decode=True):
            if "error" in event:
                raise SystemExit(f"seeding {repository}:{tag}: {event['error']}")
        client.api.remove_image(f"{repository}:{tag}")
    client.close()


def demo_copy(root: Path, upstream: str) -> Path:
    project = root / "demo"
    shutil.copytree(
        REPO / "examples" / "demo", project, ignore=shutil.ignore_patterns(".codexstack")
    )
    services = project / "services.yaml"
    # every `from:` of the demo names its public registry; point them at the local upstream
    text = re.sub(r"from: '[^/']+/library/", f"from: '{upstream}/library/", services.read_text())
    services.write_text(text)
    return project


def one_round(root: Path) -> dict[str, float]:
    host = imagehost.start_image_host(root / "host")
    upstream_host = imagehost.start_image_host(root / "upstream", parts=("registry",))
    try:
        seed_upstream(host.docker_host, upstream_host.registry)
        project = demo_copy(root, upstream_host.registry)
        env = {
            **os.environ,
            "DOCKER_HOST": host.docker_host,
            "DEMO_REGISTRY": host.registry,
            "DEMO_BASE_IMAGE": imagebase.BASE_IMAGE,
        }
        figures = {
            "build+push cold": run(project, env, "images", "build"),
            "build+push warm": run(project, env, "images", "build"),
            "mirror cold": run(project, env, "images", "mirror"),
            "mirror warm": run(project, env, "images", "mirror"),
        }
        # a fresh registry and daemon for the whole `ci images` pair
        shutil.rmtree(project / ".codexstack", ignore_errors=True)
        imagehost.stop_image_host(root / "host", purge=True)
        host = imagehost.start_image_host(root / "host")
        env["DOCKER_HOST"], env["DEMO_REGISTRY"] = host.docker_host, host.registry
        imagebase.ensure_local_base(host.docker_host)
        figures["ci images cold"] = run(project, env, "ci", "images")
        figures["ci images warm"] = run(project, env, "ci", "images")
        return figures
    finally:
        imagehost.stop_image_host(root / "upstream", purge=True)
        imagehost.stop_image_host(root / "host", purge=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds (each from a cold start)")
    args = parser.parse_args()
    rounds = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="images-bench-") as tmp:
            rounds.append(one_round(Path(tmp)))
    print(f"demo images (api, web, codex; mirrors postgres, redis), {args.runs} cold starts")
    print(f"{'step':<18} {'median s':>9} {'min s':>7} {'max s':>7}")
    medians = {}
    for key in rounds[0]:
        values = [r[key] for r in rounds]
        medians[key] = statistics.median(values)
        print(f"{key:<18} {medians[key]:>9.2f} {min(values):>7.2f} {max(values):>7.2f}")
    ratio = medians["ci images warm"] / medians["ci images cold"]
    print(f"warm/cold `ci images`: {ratio:.2f} ({1 / ratio:.1f}x faster when nothing changed)")
    build = medians["build+push warm"] / medians["build+push cold"]
    print(
        f"warm/cold build+push: {build:.2f}; mirror warm/cold: "
        f"{medians['mirror warm'] / medians['mirror cold']:.2f}"
    )


if __name__ == "__main__":
    main()

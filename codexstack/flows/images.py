"""``images mirror``, ``images build``, ``ci images``: prepare a project's images (§4.8).

Loads services.yaml for the target, checks every image entry (bad input stops here, nothing
pushed), then mirrors and/or builds through the images library against the Docker daemon of
``DOCKER_HOST`` — or, when that is unset, the project's own image host if it is running
(``codexstack registry up``). Every prepared image's digest is recorded in
``<project>/.codexstack/image-digests.json``: the next apply pins each workload that runs one
of these images to its digest (a pod-template annotation), so a rebuild under the same tag
rolls exactly the workloads that use it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codexstack import cluster, images, plan
from codexstack.flows import _target
from codexstack.flows._image_progress import ImageView
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """What to prepare: mirrors, builds or both, optionally only some image names."""

    target: Target
    mirror: bool = True
    build: bool = True
    force: bool = False
    """Rebuild even when the content key says nothing changed (and re-push mirrors)."""
    parallel: int = 2
    only: tuple[str, ...] = ()
    docker_host: str | None = None
    """Default: ``DOCKER_HOST``, else the project's running image host."""


@dataclass(frozen=True)
class Result:
    """One entry per image: ref, digest, and whether it was built, pushed or skipped."""

    images: tuple[images.ImageResult, ...] = ()
    digests_file: str = ""
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        rows = [r.to_dict() for r in self.images]
        if fmt == "kv":
            return {
                f"{r['name']}_{key}": r[key]
                for r in rows
                for key in ("ref", "digest", "built", "pushed", "skipped")
            }
        return {"images": rows, "digests_file": self.digests_file}

    def text(self) -> str:
        if not self.images:
            return "no images to prepare\n"
        width = max(len(r.name) for r in self.images)
        lines = []
        for r in self.images:
            what = (
                "skipped"
                if r.skipped
                else "+".join(word for word, on in (("built", r.built), ("pushed", r.pushed)) if on)
            )
            lines.append(f"{r.name:<{width}}  {what:<12} {r.ref}@{r.digest}")
        return "\n".join(lines) + "\n"


def docker_host(explicit: str | None = None) -> str | None:
    """The daemon to use: explicit, ``DOCKER_HOST``, else the project's running image host."""
    if explicit:
        return explicit
    if os.environ.get("DOCKER_HOST", "").strip():
        return os.environ["DOCKER_HOST"].strip()
    state = cluster.image_host_status()
    return state.docker_host if state.part("dockerd").healthy else None


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Check, mirror and build; record the digests; one result per image."""
    loaded = _target.load(request.target, progress)
    jobs = images.resolve_jobs(loaded, names=request.only or None)
    for warning in jobs.warnings:
        progress.warn(warning)
    mirrors = jobs.mirrors if request.mirror else ()
    builds = jobs.builds if request.build else ()
    if not mirrors and not builds:
        progress.info("images: nothing to prepare")
        return Result()
    options = images.Options(
        force=request.force,
        parallel=max(1, request.parallel),
        docker_host=docker_host(request.docker_host),
    )
    with ImageView(progress) as view:
        results = images.prepare(mirrors, builds, options, view.event)
    record = plan.record_digests(loaded.root, [(r.ref, r.digest) for r in results])
    path = plan.digests_path(loaded.root)
    progress.info(f"images: {len(results)} prepared; {len(record)} digests in {path}")
    return Result(tuple(results), str(path))


@dataclass(frozen=True)
class Step:
    """``ci ensure-ready --prepare-images`` as a step: mirror then build for a slot."""

    target: Target
    progress: Reporter = field(default=SILENT)

    def __call__(self, slot: int, namespace: str) -> Result:
        scoped = Target(
            self.target.config,
            self.target.env,
            namespace,
            slot,
            self.target.vars,
            self.target.var_file,
            self.target.strict,
        )
        return run(Request(scoped), self.progress)


def project_root(config: Path) -> Path:
    """The project root of a services.yaml path (where its image digests are kept)."""
    return config.resolve().parent

"""Prepare images: check everything, then mirror, then build, in a bounded parallel pool.

Order of work: (1) every job is checked before anything moves — Dockerfiles parse, secret
build args are safe, the daemon and every destination registry answer — so bad input pushes
nothing; (2) mirrors run, then builds (a build may start ``FROM`` a mirrored image); within a
phase independent images run in parallel, at most ``parallel`` at once; results always come
back sorted by image name. A mirror pulls ``from`` and pushes to ``local`` only when the
registry does not already hold that image (same config digest) under that tag. A build is
skipped when the registry's image under the tag carries the same content key label, unless
``force``. The first failure stops the phase (running images finish) and is raised.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import docker

from codexstack.errors import CodexstackError, ConfigError
from codexstack.images import context as ctx
from codexstack.images import daemon
from codexstack.images.dockerfile import DockerfileProblem, check_secrets, stages, wire_contexts
from codexstack.images.events import ImageEvent, ProgressFn, ignore
from codexstack.images.jobs import ImageJob
from codexstack.images.refs import parse
from codexstack.images.registry import RegistryClient

Action = Literal["built", "pushed", "skipped"]
HELPER_REPO = "codexstack-context"


@dataclass(frozen=True)
class ImageResult:
    """What happened to one image."""

    name: str
    type: str
    """``external`` or ``build`` (the services.yaml words)."""
    ref: str
    digest: str
    built: bool = False
    pushed: bool = False
    skipped: bool = False
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "ref": self.ref,
            "digest": self.digest,
            "built": self.built,
            "pushed": self.pushed,
            "skipped": self.skipped,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Options:
    """How to run: force rebuilds, pool size, daemon address, environment for registries."""

    force: bool = False
    parallel: int = 2
    docker_host: str | None = None
    environ: dict[str, str] | None = field(default=None, repr=False)


@dataclass
class _Context:
    client: docker.DockerClient
    registries: dict[str, RegistryClient]
    options: Options
    progress: ProgressFn


def _dockerfile_error(job: ImageJob, problem: DockerfileProblem) -> ConfigError:
    line = f":{problem.line}" if problem.line else ""
    return ConfigError(f"image '{job.name}': {job.dockerfile}{line}: {problem}", location=job.where)


def check_dockerfiles(jobs: Iterable[ImageJob]) -> None:
    """Parse every build's Dockerfile and refuse unsafe secrets (no daemon needed)."""
    for job in jobs:
        if job.kind != "build":
            continue
        try:
            stages(job.dockerfile_text)
            check_secrets(job.dockerfile_text, [name for name, _ in job.secret_args])
            wire_contexts(job.dockerfile_text, {n: n for n, _ in job.build_contexts})
        except DockerfileProblem as exc:
            raise _dockerfile_error(job, exc) from None


def prepare(
    mirrors: Iterable[ImageJob],
    builds: Iterable[ImageJob],
    options: Options | None = None,
    progress: ProgressFn = ignore,
) -> list[ImageResult]:
    """Check, mirror, then build; returns one result per image (mirrors, then builds)."""
    opts = options or Options()
    mirror_jobs, build_jobs = sorted(mirrors, key=_name), sorted(builds, key=_name)
    check_dockerfiles(build_jobs)
    client = daemon.connect(opts.docker_host)
    registries: dict[str, RegistryClient] = {}
    for job in mirror_jobs + build_jobs:
        if job.dest.host not in registries:
            registry = RegistryClient.for_ref(job.dest, opts.environ)
            registry.check(job.dest.path)
            registries[job.dest.host] = registry
    for job in mirror_jobs:  # an unreachable source is as temporary as a destination
        source = parse(job.source)
        if source.host and source.host not in registries:
            RegistryClient.for_ref(source, opts.environ).check(source.path)
    run = _Context(client, registries, opts, progress)
    results = _pool(run, mirror_jobs, _mirror)
    results += _pool(run, build_jobs, _build)
    return results


def _name(job: ImageJob) -> str:
    return job.name


def _pool(
    run: _Context, jobs: list[ImageJob], work: Callable[[_Context, ImageJob], ImageResult]
) -> list[ImageResult]:
    if not jobs:
        return []
    with ThreadPoolExecutor(max_workers=max(1, run.options.parallel)) as pool:
        futures: list[Future[ImageResult]] = [pool.submit(work, run, job) for job in jobs]
        results: list[ImageResult] = []
        for job, future in zip(jobs, futures, strict=True):
            try:
                results.append(future.result())
            except CodexstackError as exc:
                for other in futures:
                    other.cancel()
                run.progress(ImageEvent(job.name, "failed", exc.message.splitlines()[0]))
                raise
    return results


def _mirror(run: _Context, job: ImageJob) -> ImageResult:
    run.progress(ImageEvent(job.name, "start", f"mirror {job.source} -> {job.dest}"))
    image_id = daemon.pull(run.client, job.source, job.name, run.progress)
    registry = run.registries[job.dest.host]
    remote = registry.remote(job.dest)
    if remote is not None and remote.config_digest == image_id and not run.options.force:
        run.progress(ImageEvent(job.name, "done", "skipped: registry has this image"))
        return ImageResult(
            job.name,
            "external",
            str(job.dest),
            remote.digest,
            skipped=True,
            reason="registry already has this image under this tag",
        )
    run.client.api.tag(job.source, job.dest.repository, job.dest.tag)
    digest = _push(run, job)
    run.progress(ImageEvent(job.name, "done", f"pushed {digest}"))
    return ImageResult(job.name, "external", str(job.dest), digest, pushed=True)


def _push(run: _Context, job: ImageJob) -> str:
    creds = run.registries[job.dest.host].creds
    return daemon.push(
        run.client,
        job.dest.repository,
        job.dest.tag,
        image=job.name,
        progress=run.progress,
        creds=creds,
    )


def _helpers(run: _Context, job: ImageJob) -> dict[str, str]:
    """Build (or find) one local helper image per named context; name -> image ref."""
    helpers: dict[str, str] = {}
    for name, path in job.build_contexts:
        patterns = ctx.dockerignore(path)
        text = "FROM scratch\nCOPY . /\n"
        dockerfile = ctx.dockerfile_name(text)
        tree = ctx.tree_digest(path, ctx.included(path, patterns, dockerfile))
        ref = f"{HELPER_REPO}/{_slug(name)}:{tree[:32]}"
        try:
            daemon.image_id(run.client, ref)
        except docker.errors.ImageNotFound:
            with ctx.context_archive(path, patterns, dockerfile, text) as archive:
                daemon.build(
                    run.client,
                    archive,
                    dockerfile=dockerfile,
                    tag=ref,
                    build_args={},
                    labels={},
                    image=job.name,
                    progress=run.progress,
                )
        helpers[name] = ref
    return helpers


def _slug(name: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return cleaned or hashlib.sha256(name.encode()).hexdigest()[:12]


def _build(run: _Context, job: ImageJob) -> ImageResult:
    assert job.context is not None
    run.progress(ImageEvent(job.name, "start", f"build {job.dest}"))
    try:
        text = wire_contexts(job.dockerfile_text, _helpers(run, job))
    except DockerfileProblem as exc:
        raise _dockerfile_error(job, exc) from None
    dockerfile = ctx.dockerfile_name(text)
    patterns = ctx.dockerignore(job.context)
    tree = ctx.tree_digest(job.context, ctx.included(job.context, patterns, dockerfile))
    key = ctx.content_key(text, tree, job.build_args, [n for n, _ in job.secret_args])
    registry = run.registries[job.dest.host]
    remote = registry.remote(job.dest)
    if remote is not None and remote.labels.get(ctx.KEY_LABEL) == key and not run.options.force:
        run.progress(ImageEvent(job.name, "done", "skipped: unchanged"))
        return ImageResult(
            job.name,
            "build",
            str(job.dest),
            remote.digest,
            skipped=True,
            reason="unchanged inputs (content key matches)",
        )
    with ctx.context_archive(job.context, patterns, dockerfile, text) as archive:
        daemon.build(
            run.client,
            archive,
            dockerfile=dockerfile,
            tag=str(job.dest),
            build_args=dict(job.build_args) | dict(job.secret_args),
            labels={ctx.KEY_LABEL: key},
            image=job.name,
            progress=run.progress,
        )
    digest = _push(run, job)
    run.progress(ImageEvent(job.name, "done", f"built and pushed {digest}"))
    return ImageResult(job.name, "build", str(job.dest), digest, built=True, pushed=True)

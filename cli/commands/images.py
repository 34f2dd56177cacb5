"""``images mirror|build``, ``ci images`` and ``registry up|down|status``.

The image commands take codexctl's flags and variables (``ci images``: ``--mirror``
[CODEXCTL_MIRROR_IMAGES], ``--build`` [CODEXCTL_BUILD_IMAGES], ``--slot`` [CODEXCTL_SLOT];
``images build``: ``--slot`` without a variable, as in codexctl), plus ``--force`` and
``--parallel``; each builds one :mod:`codexstack.flows.images` request and prints one entry
per image (``--output json`` gives ref, digest, built, pushed, skipped). The registry
commands drive the project's private dockerd and loopback registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import output as out
from cli.options import GlobalOptions, current, flag, go_int, opt
from codexstack import flows

Force = Annotated[
    bool,
    flag(
        "--force/--no-force",
        env="IMAGES_FORCE",
        help="Rebuild and re-push even when the registry has the image.",
    ),
]
Parallel = Annotated[
    int,
    opt("--parallel", env="IMAGES_PARALLEL", parser=go_int, help="Images prepared at once (pool)."),
]
Only = Annotated[str, typer.Option("--only", help="Comma list of image names (default: all).")]
ImagesDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--state-dir",
        envvar="CODEXSTACK_IMAGES_DIR",
        help="Image-host state directory (dockerd data, registry blobs, logs, pids).",
        show_default="./.codexstack/images",
    ),
]


def _prepare(
    opts: GlobalOptions, *, mirror: bool, build: bool, force: bool, parallel: int, only: str
) -> int:
    names = tuple(n.strip() for n in only.split(",") if n.strip())
    request = flows.images.Request(
        opts.target, mirror=mirror, build=build, force=force, parallel=parallel, only=names
    )
    return out.finish(flows.images.run(request, flows.StderrReporter()), opts.fmt)


def mirror(
    ctx: typer.Context, *, force: Force = False, parallel: Parallel = 2, only: Only = ""
) -> int:
    """Mirror every `type: external` image: pull `from`, push to `local`.

    The push is skipped when the registry already holds that image under that tag. The
    daemon is DOCKER_HOST, else the project's own (`codexstack registry up`).
    """
    opts = current(ctx)
    return _prepare(opts, mirror=True, build=False, force=force, parallel=parallel, only=only)


def build(
    ctx: typer.Context, *, force: Force = False, parallel: Parallel = 2, only: Only = ""
) -> int:
    """Build and push every `type: build` image (dockerfile, context, buildArgs, contexts).

    Paths are relative to the project root. A build is skipped when the registry's image
    under the tag has the same content key (Dockerfile, context files, build args); --force
    rebuilds. secretBuildArgs never reach logs or the image history.
    """
    opts = current(ctx)
    return _prepare(opts, mirror=False, build=True, force=force, parallel=parallel, only=only)


def ci_images(
    ctx: typer.Context,
    *,
    mirror: Annotated[
        bool, flag("--mirror/--no-mirror", env="MIRROR_IMAGES", help="Mirror external images.")
    ] = True,
    build: Annotated[
        bool, flag("--build/--no-build", env="BUILD_IMAGES", help="Build images.")
    ] = True,
    force: Force = False,
    parallel: Parallel = 2,
    only: Only = "",
) -> int:
    """Mirror, then build (codexctl's `ci images`); digests go to the next apply."""
    opts = current(ctx)
    return _prepare(opts, mirror=mirror, build=build, force=force, parallel=parallel, only=only)


def registry_up(
    ctx: typer.Context,
    state_dir: ImagesDirOpt = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each part.")] = 60.0,
) -> int:
    """Start the private dockerd and loopback registry (no-op when healthy), import the base.

    The base image codexstack/busybox-static:local is busybox-static's root filesystem, for
    Dockerfiles on machines that reach no public registry. Prints DOCKER_HOST and the
    registry address (`-o json` for scripts).
    """
    request = flows.image_host.Request("up", state_dir, timeout=timeout)
    result = flows.image_host.run(request, flows.StderrReporter())
    return out.finish(result, current(ctx).fmt)


def registry_down(
    ctx: typer.Context,
    state_dir: ImagesDirOpt = None,
    purge: Annotated[bool, typer.Option(help="Also delete images, blobs and logs.")] = False,
) -> int:
    """Stop the registry and dockerd this state directory started (nothing else)."""
    request = flows.image_host.Request("down", state_dir, purge=purge)
    result = flows.image_host.run(request, flows.StderrReporter())
    return out.finish(result, current(ctx).fmt)


def registry_status(ctx: typer.Context, state_dir: ImagesDirOpt = None) -> int:
    """Health of dockerd and the registry; exits 1 unless both are healthy."""
    result = flows.image_host.run(flows.image_host.Request("status", state_dir))
    return out.finish(result, current(ctx).fmt)

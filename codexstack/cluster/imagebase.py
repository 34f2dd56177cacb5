"""The local base image: a root filesystem from Debian's busybox-static, ``docker import``-ed.

No public registry is reachable from the machines codexstack is built and tested on, so the
image every test and the demo start ``FROM`` is made here: the static busybox binary plus its
applet links in ``/bin``, imported into the project's private dockerd under :data:`BASE_IMAGE`
(a name with no registry host, only ever resolved locally). Idempotent: an existing image is
kept.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

import docker

from codexstack.errors import DeployError

BUSYBOX = Path("/bin/busybox")
BASE_IMAGE = "codexstack/busybox-static:local"
APPLETS = (
    "sh",
    "ash",
    "cat",
    "cp",
    "echo",
    "env",
    "false",
    "grep",
    "head",
    "id",
    "ls",
    "mkdir",
    "mv",
    "printf",
    "pwd",
    "rm",
    "sed",
    "sleep",
    "tail",
    "test",
    "touch",
    "true",
    "wc",
    "wget",
    "uname",
)


def rootfs_archive(busybox: Path = BUSYBOX) -> bytes:
    """A tar of a minimal root filesystem: static busybox plus its applet links in /bin."""
    data = busybox.read_bytes()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name in ("bin", "tmp", "etc"):
            info = tarfile.TarInfo(name)
            info.type = tarfile.DIRTYPE
            info.mode = 0o1777 if name == "tmp" else 0o755
            archive.addfile(info)
        info = tarfile.TarInfo("bin/busybox")
        info.size, info.mode = len(data), 0o755
        archive.addfile(info, io.BytesIO(data))
        for applet in APPLETS:
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            archive.addfile(link)
    return buffer.getvalue()


def ensure_base_image(client: docker.DockerClient, ref: str = BASE_IMAGE) -> str:
    """Import the busybox root filesystem as ``ref`` unless it exists; returns the image ID."""
    try:
        return _image_id(client, ref)
    except docker.errors.ImageNotFound:
        pass
    if not BUSYBOX.is_file():
        raise DeployError(
            f"{BUSYBOX} is missing", hint="run `scripts/image-tools` (installs busybox-static)"
        )
    repository, _, tag = ref.rpartition(":")
    client.api.import_image_from_data(rootfs_archive(), repository=repository, tag=tag)
    return _image_id(client, ref)


def _image_id(client: docker.DockerClient, ref: str) -> str:
    info: dict[str, Any] = client.api.inspect_image(ref)  # type: ignore[no-untyped-call]
    return str(info["Id"])


def ensure_local_base(docker_host: str, ref: str = BASE_IMAGE) -> str:
    """:func:`ensure_base_image` on the daemon at ``docker_host``."""
    client = docker.DockerClient(base_url=docker_host, timeout=120)
    try:
        return ensure_base_image(client, ref)
    finally:
        client.close()

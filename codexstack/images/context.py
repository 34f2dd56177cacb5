"""Build contexts: what is sent to the builder, and the content key that says "unchanged".

The files sent are the docker CLI's: the context directory minus its ``.dockerignore``
patterns, plus the (possibly rewritten) Dockerfile under a hidden name that the same
``.dockerignore`` then hides from ``COPY .`` (the daemon drops both files before the build).
The content key is a SHA-256 over everything that decides the image: the Dockerfile text as
sent, every included path with its type, mode and content (or link target), the plain build
args and the *names* of the secret ones. Secret values are left out on purpose: a hash of a
short secret stored in an image label could be guessed offline; a changed secret alone is
rebuilt with ``--force``.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from docker.utils.build import exclude_paths, tar

KEY_LABEL = "io.codexstack.image.key"
KEY_VERSION = "codexstack-image-key/1"


def dockerignore(context: Path) -> list[str]:
    """The ``.dockerignore`` patterns of ``context`` (as the docker CLI reads them)."""
    path = context / ".dockerignore"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def dockerfile_name(text: str) -> str:
    """A stable hidden name for the Dockerfile inside the context."""
    return ".dockerfile." + hashlib.sha256(text.encode()).hexdigest()[:20]


def included(context: Path, patterns: list[str], dockerfile: str) -> list[str]:
    """Relative paths (files and directories) sent to the builder, sorted."""
    return sorted(exclude_paths(str(context), list(patterns), dockerfile=dockerfile))


def tree_digest(root: Path, paths: Iterable[str]) -> str:
    """SHA-256 over the paths' names, types, modes and contents (or link targets)."""
    digest = hashlib.sha256()
    for rel in paths:
        full = root / rel
        info = full.lstat()
        digest.update(
            f"{rel}\0{stat.S_IFMT(info.st_mode)}\0{stat.S_IMODE(info.st_mode)}\0".encode()
        )
        if stat.S_ISLNK(info.st_mode):
            digest.update(os.readlink(full).encode())
        elif stat.S_ISREG(info.st_mode):
            with full.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


def content_key(
    dockerfile_text: str,
    tree: str,
    build_args: Iterable[tuple[str, str]],
    secret_names: Iterable[str],
) -> str:
    """The content key of one build (see the module docstring for what goes in)."""
    digest = hashlib.sha256(KEY_VERSION.encode() + b"\0")
    digest.update(hashlib.sha256(dockerfile_text.encode()).digest())
    digest.update(tree.encode() + b"\0")
    for name, value in build_args:
        digest.update(f"arg\0{name}\0{value}\0".encode())
    for name in sorted(secret_names):
        digest.update(f"secret\0{name}\0".encode())
    return digest.hexdigest()


def context_archive(
    context: Path, patterns: list[str], dockerfile: str, dockerfile_text: str
) -> IO[bytes]:
    """A temporary tar of the context with the Dockerfile added as ``dockerfile``."""
    handle: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  (the caller closes it)
    sent = (dockerfile, dockerfile_text)
    tar(context, exclude=list(patterns), dockerfile=sent, fileobj=handle)
    handle.seek(0)
    return handle

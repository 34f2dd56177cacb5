"""Safe access to files a project names: manifests, envFiles, config templates, blocks.

Every path written in services.yaml is relative to the project root (the directory of
services.yaml). :func:`resolve_project_path` refuses, before anything is opened, absolute
paths, ``..`` that climbs out of the project and symlinks that lead out of it (F3).
:func:`read_text_file` then reads only regular files of bounded size, so a FIFO, a device or a
huge file named by a config never blocks or exhausts the process.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from codexstack.errors import ConfigError, Location

MAX_INPUT_BYTES = 8 * 1024 * 1024
"""Largest config, manifest or variable file codexstack reads."""


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _realpath_below(lexical: str, real_root: str) -> str:
    """``os.path.realpath(lexical)`` for a normalised path inside ``real_root``, a realpath.

    realpath would ``lstat`` the root's components again (6 calls instead of 2 for
    ``svc/x.yaml`` under ``/tmp/p``, and a render resolves every manifest twice). Only the
    components below the root are looked at: if none is a symlink, realpath would return
    ``lexical`` unchanged (a missing component counts as a plain name there too); if one
    is, realpath itself runs on the whole path.
    """
    path = real_root
    for part in lexical[len(real_root) :].split(os.sep):
        if not part:
            continue
        path = os.path.join(path, part)
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return os.path.realpath(lexical)
        except OSError:
            continue
    return lexical


def resolve_project_path(
    root: Path | str, rel: str, what: str, *, source: str | None = None
) -> Path:
    """The absolute path of ``rel`` inside ``root``, or a ConfigError if it could leave it.

    ``what`` names the key in messages (``"manifest path"``); ``source`` is the file that
    mentions the path. No file is opened here: the checks are path arithmetic plus
    ``realpath``, which only follows symlinks.
    """
    where = Location(file=source, key=what) if source else None
    if not rel or not rel.strip():
        raise ConfigError(f"{what} is empty", location=where)
    if "\x00" in rel:
        raise ConfigError(f"{what} contains a NUL byte", location=where)
    if os.path.isabs(rel) or rel.startswith("~"):
        raise ConfigError(
            f"{what} {rel!r} is absolute; paths must be relative to the project root",
            location=where,
        )
    real_root = os.path.realpath(root)
    lexical = os.path.normpath(os.path.join(real_root, rel))
    if not _inside(lexical, real_root):
        raise ConfigError(f"{what} {rel!r} leaves the project directory", location=where)
    if not _inside(_realpath_below(lexical, real_root), real_root):
        raise ConfigError(
            f"{what} {rel!r} is a symlink that leads outside the project", location=where
        )
    return Path(lexical)


def read_text_file(path: Path | str, what: str, *, limit: int = MAX_INPUT_BYTES) -> str:
    """Read a UTF-8 text file that must be a regular file no larger than ``limit`` bytes.

    The file is opened non-blocking and checked on the open descriptor, so a FIFO or device
    swapped in under the name is refused instead of blocking the process.
    """
    where = Location(file=str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ConfigError(f"{what} not found", location=where) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {what}: {exc.strerror}", location=where) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ConfigError(f"{what} is not a regular file", location=where)
    with os.fdopen(fd, "rb") as handle:
        # read(n) allocates n bytes up front, so asking for limit + 1 (8 MiB) cost more than
        # reading a small manifest. Ask for the size fstat saw (plus one byte, to notice growth)
        # and only read on, up to limit + 1 bytes in all, when the file grew since.
        first = min(info.st_size, limit) + 1
        data = handle.read(first)
        if len(data) == first and first <= limit:
            data += handle.read(limit + 1 - first)
    if len(data) > limit:
        raise ConfigError(f"{what} is larger than {limit // (1024 * 1024)} MiB", location=where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} is not UTF-8 text (byte {exc.start})", location=where) from None


def read_project_file(
    root: Path | str, rel: str, what: str, *, source: str | None = None
) -> tuple[Path, str]:
    """:func:`resolve_project_path` then :func:`read_text_file`: the path check comes first."""
    path = resolve_project_path(root, rel, what, source=source)
    return path, read_text_file(path, what)

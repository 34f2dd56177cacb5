"""Source sync into a slot's workspace: a host folder under the code-root base.

Targets follow codexctl: env ``ai`` -> ``<base>/<slot>/src``, ``ai-repair`` ->
``<base>/ai-staging/src``, any other env E -> ``<base>/E/src``. The copy is incremental (a
file is copied when its size or mtime differs) and, unlike codexctl's (D-SYNC), never wipes
the target first: removing files the source no longer has is opt-in (``prune``). The target
is written by an agent between syncs, so nothing in it is trusted: every operation below the
target is relative to an open directory descriptor and opened with ``O_NOFOLLOW``, files are
written to a temporary name and renamed over the old entry (a planted symbolic link is
replaced, never written through), and removal is ``rmtree`` by descriptor. Credentials never
travel: every ``.git/**/config`` (submodules and worktrees too) loses its ``extraheader``
lines and URL user-info, and ``.env*`` files and ``.git-credentials`` stay behind unless
listed. A per-target lock keeps two syncs of one workspace apart.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from codexstack.errors import CodexstackError, TemporaryError, UsageError
from codexstack.flock import held_flock

DEFAULT_EXCLUDES = frozenset({".codexstack", ".venv", "node_modules", "__pycache__"})
SECRET_NAMES = frozenset({".git-credentials", ".netrc"})
_URL_USERINFO = re.compile(r"(\w+://)[^/@\s]+@")
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_CHUNK = 1 << 20


@dataclass
class SyncReport:
    target: Path
    copied: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    """Files left behind because they may hold credentials (``.env*`` not listed)."""


@dataclass(frozen=True)
class SyncOptions:
    prune: bool = False
    excludes: frozenset[str] = DEFAULT_EXCLUDES
    env_files: frozenset[str] = frozenset()
    """``.env*`` file names that may be copied (all others are withheld)."""
    lock_wait: float = 300.0


def workspace_target(base: Path, env: str, slot: int) -> Path:
    """Where the sources of ``env``/``slot`` live."""
    if env == "ai":
        if slot <= 0:
            raise UsageError("env ai needs a slot > 0 to sync sources")
        return base / str(slot) / "src"
    return base / ("ai-staging" if env == "ai-repair" else env) / "src"


def withheld(name: str, env_files: frozenset[str]) -> bool:
    """True for files that may hold credentials and are not listed for copying."""
    return name in SECRET_NAMES or (name.startswith(".env") and name not in env_files)


def travels(
    entry: os.DirEntry[str],
    rel: PurePosixPath,
    options: SyncOptions,
    inner: PurePosixPath | None,
    report: SyncReport,
) -> bool:
    """Whether a source entry is copied (excluded names and the target itself are not; files
    that may hold credentials are recorded in ``report.withheld``)."""
    if entry.name in options.excludes or rel == inner:
        return False
    if entry.is_file(follow_symlinks=False) and withheld(entry.name, options.env_files):
        report.withheld.append(str(rel))
        return False
    return True


def is_git_config(rel: PurePosixPath) -> bool:
    """``.git/config``, ``.git/modules/*/config``, ``.git/worktrees/*/config.worktree`` …"""
    return ".git" in rel.parts[:-1] and rel.name in ("config", "config.worktree")


def sync_sources(
    source: Path,
    target: Path,
    *,
    prune: bool = False,
    excludes: frozenset[str] = DEFAULT_EXCLUDES,
    options: SyncOptions | None = None,
) -> SyncReport:
    """Bring ``target`` up to date with ``source`` (under the target's lock)."""
    opts = options or SyncOptions(prune=prune, excludes=excludes)
    source = source.resolve()
    target = Path(os.path.abspath(target))
    if target == source or target in source.parents:
        raise UsageError(f"cannot sync {source} into {target}: the target contains the source")
    # A target inside the source (a workspace under the checkout) is never copied into itself.
    inner = target.relative_to(source) if source in target.parents else None
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.parent / f".{target.name}.sync.lock"
    with _locked(lock, opts.lock_wait), _open_root(target) as root:
        copier = _Copier(source, root, SyncReport(target), opts, inner)
        copier.tree(source, root, PurePosixPath())
        if opts.prune:
            copier.prune(root, PurePosixPath())
        return copier.report


@contextmanager
def _locked(path: Path, wait: float) -> Iterator[None]:
    def busy() -> Exception:
        holder = path.read_text(errors="replace").strip() or "another process"
        return TemporaryError(
            f"workspace {path.parent} is being synced by {holder}",
            hint="wait for that sync to finish, then run again",
        )

    with held_flock(path, f"sync pid {os.getpid()}", wait, busy):
        yield


@contextmanager
def _open_root(target: Path) -> Iterator[int]:
    parent = os.open(target.parent, _DIR_FLAGS)
    try:
        yield _subdir(parent, target.name, target)
    finally:
        os.close(parent)


def _subdir(parent: int, name: str, shown: Path | PurePosixPath) -> int:
    """Open (creating if needed) directory ``name`` below ``parent``; never through a link."""
    try:
        st = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        os.mkdir(name, 0o755, dir_fd=parent)
    else:
        if not stat.S_ISDIR(st.st_mode):
            _remove(parent, name)
            os.mkdir(name, 0o755, dir_fd=parent)
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=parent)
    except OSError as exc:
        raise CodexstackError(f"cannot open workspace folder {shown}: {exc.strerror}") from None


def _remove(parent: int, name: str) -> None:
    st = os.stat(name, dir_fd=parent, follow_symlinks=False)
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(name, dir_fd=parent)  # descriptor-based: never follows a link out
    else:
        os.unlink(name, dir_fd=parent)


class _Copier:
    """One sync run: walks the source, writes the target through directory descriptors."""

    def __init__(
        self,
        source: Path,
        root: int,
        report: SyncReport,
        options: SyncOptions,
        inner: Path | None,
    ) -> None:
        self.source, self.root, self.report, self.options = source, root, report, options
        self.inner = PurePosixPath(inner.as_posix()) if inner is not None else None
        self.seen: set[PurePosixPath] = set()

    def tree(self, folder: Path, dst: int, rel: PurePosixPath) -> None:
        try:
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                self.entry(entry, dst, rel / entry.name)
        finally:
            if dst != self.root:
                os.close(dst)

    def entry(self, entry: os.DirEntry[str], dst: int, rel: PurePosixPath) -> None:
        name = entry.name
        if not travels(entry, rel, self.options, self.inner, self.report):
            return
        self.seen.add(rel)
        if entry.is_symlink():
            self.link(entry, dst, name)
        elif entry.is_dir(follow_symlinks=False):
            self.tree(Path(entry.path), _subdir(dst, name, self.report.target / rel), rel)
        elif entry.is_file(follow_symlinks=False):
            self.file(entry, dst, rel)

    def link(self, entry: os.DirEntry[str], dst: int, name: str) -> None:
        link = os.readlink(entry.path)
        try:
            if os.readlink(name, dir_fd=dst) == link:
                self.report.unchanged += 1
                return
        except OSError:
            pass
        tmp = _tmp_name(name)
        os.symlink(link, tmp, dir_fd=dst)
        self._replace(dst, tmp, name)
        self.report.copied += 1

    def file(self, entry: os.DirEntry[str], dst: int, rel: PurePosixPath) -> None:
        name, src = entry.name, entry.stat(follow_symlinks=False)
        if is_git_config(rel):
            with open(entry.path, "rb") as fh:
                data = scrub_git_config(fh.read().decode(errors="replace")).encode()
            if _read_regular(dst, name) == data:
                self.report.unchanged += 1
                return
            self._write(dst, name, src, data=data)
        else:
            try:
                old = os.stat(name, dir_fd=dst, follow_symlinks=False)
            except FileNotFoundError:
                old = None
            if (
                old is not None
                and stat.S_ISREG(old.st_mode)
                and old.st_size == src.st_size
                and old.st_mtime_ns == src.st_mtime_ns
            ):
                self.report.unchanged += 1
                return
            self._write(dst, name, src, path=entry.path)
        self.report.copied += 1

    def _write(
        self,
        dst: int,
        name: str,
        src: os.stat_result,
        *,
        data: bytes | None = None,
        path: str | None = None,
    ) -> None:
        tmp = _tmp_name(name)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        out = os.open(tmp, flags, stat.S_IMODE(src.st_mode) & 0o777, dir_fd=dst)
        try:
            if data is not None:
                os.write(out, data)
            else:
                assert path is not None
                with open(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as fh:
                    while chunk := fh.read(_CHUNK):
                        os.write(out, chunk)
                os.utime(out, ns=(src.st_atime_ns, src.st_mtime_ns))
        finally:
            os.close(out)
        self._replace(dst, tmp, name)

    @staticmethod
    def _replace(dst: int, tmp: str, name: str) -> None:
        try:
            st = os.stat(name, dir_fd=dst, follow_symlinks=False)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            shutil.rmtree(name, dir_fd=dst)
        os.rename(tmp, name, src_dir_fd=dst, dst_dir_fd=dst)  # replaces a link, never follows it

    def prune(self, dst: int, rel: PurePosixPath) -> None:
        for name in sorted(os.listdir(dst)):
            path = rel / name
            if path in self.seen:
                st = os.stat(name, dir_fd=dst, follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode):
                    sub = os.open(name, _DIR_FLAGS, dir_fd=dst)
                    try:
                        self.prune(sub, path)
                    finally:
                        os.close(sub)
                continue
            _remove(dst, name)  # inside the target by construction: descriptors never leave it
            self.report.removed.append(str(path))


def _tmp_name(name: str) -> str:
    return f".{name[:200]}.codexstack-sync-{os.getpid()}"


def _read_regular(dst: int, name: str) -> bytes | None:
    try:
        if not stat.S_ISREG(os.stat(name, dir_fd=dst, follow_symlinks=False).st_mode):
            return None
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dst)
    except OSError:
        return None
    with open(fd, "rb") as fh:
        return fh.read()


def scrub_git_config(text: str) -> str:
    """``.git/config`` without credentials: no extraheader lines, no user-info in URLs."""
    kept = [line for line in text.splitlines() if "extraheader" not in line.lower()]
    return "\n".join(_URL_USERINFO.sub(r"\1", line) for line in kept) + "\n"

"""Source sync into a slot's workspace: a host folder under the code-root base.

Targets follow codexctl: env ``ai`` -> ``<base>/<slot>/src``, ``ai-repair`` ->
``<base>/ai-staging/src``, any other env E -> ``<base>/E/src``. The copy is incremental (a
file is copied when its size or mtime differs) and, unlike codexctl's (D-SYNC), never wipes
the target first: removing files the source no longer has is opt-in (``prune``) and only ever
happens inside the target. Credentials never travel: ``.git/config`` is copied with its
``extraheader`` lines (actions/checkout's token) and URL user-info removed. Symlinks are
copied as links, never followed.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from codexstack.errors import UsageError

DEFAULT_EXCLUDES = frozenset({".codexstack", ".venv", "node_modules", "__pycache__"})
_URL_USERINFO = re.compile(r"(\w+://)[^/@\s]+@")


@dataclass
class SyncReport:
    target: Path
    copied: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def workspace_target(base: Path, env: str, slot: int) -> Path:
    """Where the sources of ``env``/``slot`` live."""
    if env == "ai":
        if slot <= 0:
            raise UsageError("env ai needs a slot > 0 to sync sources")
        return base / str(slot) / "src"
    return base / ("ai-staging" if env == "ai-repair" else env) / "src"


def sync_sources(
    source: Path, target: Path, *, prune: bool = False, excludes: frozenset[str] = DEFAULT_EXCLUDES
) -> SyncReport:
    """Bring ``target`` up to date with ``source``."""
    source, target = source.resolve(), target.resolve()
    if target == source or target in source.parents:
        raise UsageError(f"cannot sync {source} into {target}: the target contains the source")
    # A target inside the source (a workspace under the checkout) is never copied into itself.
    inner = target.relative_to(source) if source in target.parents else None
    target.mkdir(parents=True, exist_ok=True)
    report = SyncReport(target)
    seen: set[str] = set()
    for folder, dirs, files in os.walk(source):
        rel_dir = Path(folder).relative_to(source)
        dirs[:] = sorted(d for d in dirs if d not in excludes and rel_dir / d != inner)
        for name in [*dirs, *sorted(files)]:
            rel = rel_dir / name
            seen.add(str(rel))
            _copy(source / rel, target / rel, report)
    if prune:
        _prune(target, seen, report)
    return report


def _copy(src: Path, dst: Path, report: SyncReport) -> None:
    if src.is_symlink():
        link = os.readlink(src)
        if dst.is_symlink() and os.readlink(dst) == link:
            report.unchanged += 1
            return
        _remove(dst)
        dst.symlink_to(link)
    elif src.is_dir():
        if dst.is_symlink() or (dst.exists() and not dst.is_dir()):
            _remove(dst)
        dst.mkdir(exist_ok=True)
        return
    elif src.parts[-2:] == (".git", "config"):
        scrubbed = scrub_git_config(src.read_text(errors="replace"))
        if dst.is_file() and dst.read_text(errors="replace") == scrubbed:
            report.unchanged += 1
            return
        dst.write_text(scrubbed)
    else:
        if dst.is_file() and not dst.is_symlink() and _same(src, dst):
            report.unchanged += 1
            return
        _remove(dst)
        shutil.copy2(src, dst, follow_symlinks=False)
    report.copied += 1


def _same(a: Path, b: Path) -> bool:
    sa, sb = a.stat(), b.stat()
    return sa.st_size == sb.st_size and int(sa.st_mtime) == int(sb.st_mtime)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _prune(target: Path, seen: set[str], report: SyncReport) -> None:
    for folder, dirs, files in os.walk(target, topdown=False):
        for name in [*files, *dirs]:
            path = Path(folder) / name
            rel = str(path.relative_to(target))
            if rel not in seen:
                _remove(path)  # inside target by construction: os.walk never leaves it
                report.removed.append(rel)


def scrub_git_config(text: str) -> str:
    """``.git/config`` without credentials: no extraheader lines, no user-info in URLs."""
    kept = [line for line in text.splitlines() if "extraheader" not in line.lower()]
    return "\n".join(_URL_USERINFO.sub(r"\1", line) for line in kept) + "\n"

"""The project's record of pushed image digests: ``<project>/.codexstack/image-digests.json``.

Every prepared image (built, pushed or skipped) records ``ref -> manifest digest``. The deploy
layer reads it and pins each workload container whose image is a recorded ref with a
pod-template annotation, so an image rebuilt under the same tag changes that one workload's
template and the next apply rolls exactly it — while the manifests (and ``render``) keep the
image string codexctl would write. Writes are atomic (temp file + rename).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

FILE = Path(".codexstack") / "image-digests.json"


def digests_path(project_root: Path) -> Path:
    """Where the digests of the project rooted at ``project_root`` are kept."""
    return project_root / FILE


def load_digests(project_root: Path) -> dict[str, str]:
    """Recorded ``ref -> digest`` (empty when nothing was prepared yet or the file is bad)."""
    try:
        data = json.loads(digests_path(project_root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    images = data.get("images") if isinstance(data, dict) else None
    if not isinstance(images, dict):
        return {}
    return {str(k): str(v) for k, v in images.items() if isinstance(v, str) and v}


def record_digests(project_root: Path, digests: Iterable[tuple[str, str]]) -> Mapping[str, str]:
    """Merge ``(ref, digest)`` pairs into the record; returns the whole record."""
    current = load_digests(project_root)
    current.update({ref: digest for ref, digest in digests if digest})
    target = digests_path(project_root)
    target.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"images": dict(sorted(current.items()))}, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".image-digests.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(body)
    os.replace(tmp, target)
    return current

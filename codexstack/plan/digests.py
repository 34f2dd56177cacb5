"""The project's record of pushed image digests: ``<project>/.codexstack/image-digests.json``.

Every image the images flows prepare (built, pushed or skipped) records ``ref -> manifest
digest`` here. The deploy layer reads it into :attr:`Plan.image_digests`; the components then
pin each workload container whose image is a recorded ref with a pod-template annotation
(:func:`pod_annotations`), so an image rebuilt under the same tag changes that one workload's
template and the next apply rolls exactly it — while the manifests (and ``render``) keep the
image string codexctl would write. Writes are atomic (temp file + rename).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

FILE = Path(".codexstack") / "image-digests.json"
ANNOTATION_PREFIX = "images.codexstack.io/"
"""Pod-template annotation per container: ``images.codexstack.io/<container>: sha256:…``."""


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


def pod_annotations(pod_spec: Mapping[str, Any], digests: Mapping[str, str]) -> dict[str, str]:
    """``images.codexstack.io/<container>`` -> digest for containers running a recorded ref."""
    found: dict[str, str] = {}
    for key in ("initContainers", "containers"):
        for container in pod_spec.get(key) or ():
            if not isinstance(container, Mapping):
                continue
            digest = digests.get(str(container.get("image") or "").strip())
            name = str(container.get("name") or "")
            if digest and name:
                found[ANNOTATION_PREFIX + name] = digest
    return found

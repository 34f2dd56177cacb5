"""Images: mirror and build a project's images into its registry (reference §2.4, §4.8).

The contract: :func:`resolve_jobs` turns a loaded services.yaml into checked jobs (pure; every
input error names its services.yaml line), :func:`prepare` runs them against a Docker daemon
(docker-py, any Docker-compatible daemon through ``DOCKER_HOST``) and the registries
(python-dxf, read-only), returning one :class:`ImageResult` per image; the flows record the
pushed digests (``codexstack.plan.record_digests``) for the deploy layer to pin workloads
with. :class:`ImageEvent` values report progress; nothing here prints. Modules load on first
use (docker and requests are heavy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack.lazy import exports

if TYPE_CHECKING:
    from codexstack.images.daemon import connect
    from codexstack.images.events import ImageEvent, ProgressFn
    from codexstack.images.jobs import ImageJob, JobSet, resolve_jobs
    from codexstack.images.runner import ImageResult, Options, prepare

__all__ = [
    "ImageEvent",
    "ImageJob",
    "ImageResult",
    "JobSet",
    "Options",
    "ProgressFn",
    "connect",
    "prepare",
    "resolve_jobs",
]

__getattr__, __dir__ = exports(
    __name__,
    {
        "connect": "daemon",
        "ImageEvent": "events",
        "ProgressFn": "events",
        "ImageJob": "jobs",
        "JobSet": "jobs",
        "resolve_jobs": "jobs",
        "ImageResult": "runner",
        "Options": "runner",
        "prepare": "runner",
    },
)

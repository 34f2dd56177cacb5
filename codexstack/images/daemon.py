"""The Docker Engine API through docker-py: connect, pull, build and push.

Any Docker-compatible daemon works; ``DOCKER_HOST`` (or the given address) picks it, which is
the project's private dockerd after ``codexstack registry up``. Streams are read event by
event: builder output becomes redacted log events (the last lines are kept for the error of a
failing step; secrets registered with :mod:`codexstack.redact` are masked), pull and push
progress becomes layer and byte counts. Registry credentials
reach the daemon in the ``X-Registry-Auth`` header, never on a command line.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import docker
from docker.errors import APIError, DockerException

from codexstack.errors import DeployError, TemporaryError
from codexstack.images.events import ImageEvent, ProgressFn
from codexstack.images.registry import Credentials
from codexstack.redact import redact

LOG_TAIL = 20


def connect(docker_host: str | None = None) -> docker.DockerClient:
    """A client for ``docker_host`` (default ``DOCKER_HOST``); exit 75 when it does not answer."""
    address = docker_host or os.environ.get("DOCKER_HOST", "") or "unix:///var/run/docker.sock"
    try:
        client = docker.DockerClient(base_url=address, timeout=600)
        client.ping()
    except DockerException as exc:
        raise TemporaryError(
            f"Docker daemon at {address} is unreachable: {str(exc).splitlines()[0][:200]}",
            hint="`codexstack registry up` starts the project's own daemon; "
            "or set DOCKER_HOST to a Docker-compatible daemon",
        ) from None
    return client


def image_id(client: docker.DockerClient, ref: str) -> str:
    """The local image ID of ``ref`` (raises docker's ImageNotFound when absent)."""
    info: dict[str, Any] = client.api.inspect_image(ref)  # type: ignore[no-untyped-call]
    return str(info["Id"])


_FINISHED = ("Pushed", "Layer already exists", "Pull complete", "Already exists", "Mounted from")


@dataclass
class _Layers:
    """Per-layer byte counts of one pull or push stream."""

    total: dict[str, int] = field(default_factory=dict)
    done: dict[str, int] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)

    def update(self, event: Mapping[str, Any]) -> bool:
        layer = str(event.get("id") or "")
        status = str(event.get("status") or "")
        if not layer or status.startswith("Pulling from"):  # the tag line, not a layer
            return False
        detail = event.get("progressDetail") or {}
        self.total.setdefault(layer, 0)
        if detail.get("total"):
            self.total[layer] = int(detail["total"])
        if detail.get("current") is not None:
            self.done[layer] = int(detail["current"])
        if status.startswith(_FINISHED):
            self.finished.add(layer)
            self.done[layer] = self.total.get(layer) or self.done.get(layer, 0)
        return True

    def event(self, image: str, message: str) -> ImageEvent:
        return ImageEvent(
            image,
            "layers",
            message,
            len(self.finished),
            len(self.total),
            sum(self.done.values()),
            sum(self.total.values()),
        )


def pull(client: docker.DockerClient, ref: str, image: str, progress: ProgressFn) -> str:
    """Pull ``ref``; returns the local image ID."""
    layers = _Layers()
    try:
        for event in client.api.pull(ref, stream=True, decode=True):
            if event.get("error"):
                raise DeployError(f"image '{image}': pulling {ref} failed: {event['error']}")
            if layers.update(event):
                progress(layers.event(image, f"pull {ref}"))
        return image_id(client, ref)
    except APIError as exc:
        raise DeployError(f"image '{image}': pulling {ref} failed: {exc.explanation}") from None


def push(
    client: docker.DockerClient,
    repository: str,
    tag: str,
    *,
    image: str,
    progress: ProgressFn,
    creds: Credentials | None,
) -> str:
    """Push ``repository:tag``; returns the manifest digest the registry reported."""
    layers = _Layers()
    digest = ""
    auth = creds.auth_config() if creds else None
    try:
        stream = client.api.push(repository, tag, stream=True, decode=True, auth_config=auth)
        for event in stream:
            if event.get("error"):
                raise DeployError(
                    f"image '{image}': pushing {repository}:{tag} failed: {event['error']}"
                )
            aux = event.get("aux") or {}
            digest = str(aux.get("Digest") or digest)
            if layers.update(event):
                progress(layers.event(image, f"push {repository}:{tag}"))
    except APIError as exc:
        raise DeployError(
            f"image '{image}': pushing {repository}:{tag} failed: {exc.explanation}"
        ) from None
    return digest


class BuildFailed(DeployError):
    """A build step failed; the message ends with the last lines of the build log."""


def build(
    client: docker.DockerClient,
    archive: IO[bytes],
    *,
    dockerfile: str,
    tag: str,
    build_args: Mapping[str, str],
    labels: Mapping[str, str],
    image: str,
    progress: ProgressFn,
) -> str:
    """Build from a context archive with the classic builder; returns the image ID."""
    tail: deque[str] = deque(maxlen=LOG_TAIL)
    built = ""
    try:
        stream: Iterator[dict[str, Any]] = client.api.build(
            fileobj=archive,
            custom_context=True,
            dockerfile=dockerfile,
            tag=tag,
            buildargs=dict(build_args),
            labels=dict(labels),
            rm=True,
            forcerm=True,
            decode=True,
        )
        for event in stream:
            if "stream" in event:
                for line in redact(str(event["stream"])).splitlines():
                    if line.strip():
                        tail.append(line)
                        progress(ImageEvent(image, "log", line))
            aux = event.get("aux") or {}
            built = str(aux.get("ID") or built)
            if event.get("error"):
                raise BuildFailed(
                    f"image '{image}': build failed: {redact(str(event['error']).strip())}\n"
                    "--- last lines of the build log\n" + "\n".join(tail)
                )
    except APIError as exc:
        raise BuildFailed(
            f"image '{image}': build failed: {redact(str(exc.explanation))}\n"
            "--- last lines of the build log\n" + "\n".join(tail)
        ) from None
    return built or image_id(client, tag)

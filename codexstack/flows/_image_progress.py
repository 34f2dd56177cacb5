"""Showing image work: one rich progress bar per image on a terminal, plain lines elsewhere.

The images library reports :class:`~codexstack.images.ImageEvent` values from its worker
threads; this view turns them into output. On a terminal (the CLI's ``StderrReporter``,
colour allowed) each image gets a bar of bytes pushed (or pulled) with its layer count and
state. In CI logs and tests every image says when it starts and ends, each change of its layer
count, and the builder's (already redacted) log lines, through the flow's reporter.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from codexstack.flows.progress import Reporter, StderrReporter, coloured

if TYPE_CHECKING:
    from codexstack.images import ImageEvent


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


class ImageView:
    """A context manager whose :meth:`event` is the images library's progress callback."""

    def __init__(self, progress: Reporter) -> None:
        self._progress = progress
        self._lock = threading.Lock()
        self._layers: dict[str, int] = {}
        self._bars: Any = None
        self._tasks: dict[str, Any] = {}
        if isinstance(progress, StderrReporter) and coloured():
            from rich.progress import (  # noqa: PLC0415 - only on a terminal
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
            )

            self._bars = Progress(
                TextColumn("{task.description:<12}"),
                BarColumn(),
                TextColumn("{task.fields[layers]}"),
                DownloadColumn(),
                TextColumn("{task.fields[state]}"),
                transient=False,
            )

    def __enter__(self) -> ImageView:
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bars is not None:
            self._bars.stop()

    def event(self, event: ImageEvent) -> None:
        with self._lock:
            if self._bars is not None:
                self._bar(event)
            else:
                self._line(event)

    def _bar(self, e: ImageEvent) -> None:
        task = self._tasks.get(e.image)
        if task is None:
            task = self._bars.add_task(e.image, total=None, layers="", state="")
            self._tasks[e.image] = task
        if e.phase == "layers":
            layers = f"{e.layers_done}/{e.layers_total} layers"
            state = e.message.split(" ", 1)[0]
            self._bars.update(
                task,
                completed=e.bytes_done,
                total=e.bytes_total or None,
                layers=layers,
                state=state,
            )
        elif e.phase in ("start", "done", "failed"):
            self._bars.update(task, state=e.message[:60])
            if e.phase != "start":
                self._bars.update(task, total=1, completed=1)

    def _line(self, e: ImageEvent) -> None:
        if e.phase == "log":
            self._progress.info(f"  [{e.image}] {e.message}")
        elif e.phase == "layers":
            if self._layers.get(e.image) != e.layers_done:
                self._layers[e.image] = e.layers_done
                self._progress.info(
                    f"image {e.image}: {e.message}: {e.layers_done}/{e.layers_total} layers, "
                    f"{_size(e.bytes_done)}"
                )
        elif e.phase == "failed":
            self._progress.warn(f"image {e.image}: {e.message}")
        else:
            self._progress.info(f"image {e.image}: {e.message}")

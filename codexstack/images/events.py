"""Progress of image work as plain records: this package never prints.

Whoever shows progress (the CLI draws one bar per image with rich; tests collect them)
receives :class:`ImageEvent` values from any worker thread. Builder log lines arrive already
redacted. Layer counts and bytes come from the daemon's pull and push streams.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Phase = Literal["start", "log", "layers", "done", "failed"]


@dataclass(frozen=True)
class ImageEvent:
    """One step of one image's work."""

    image: str
    phase: Phase
    message: str = ""
    layers_done: int = 0
    layers_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0


ProgressFn = Callable[[ImageEvent], None]


def ignore(_: ImageEvent) -> None:
    """The progress sink that drops everything."""

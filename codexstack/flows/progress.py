"""How a flow tells people what it is doing: the :class:`Reporter` protocol and its two forms.

A flow never prints. It calls ``progress.info`` (a status line), ``progress.warn`` (something
the user should fix but that does not stop the flow: unknown services.yaml keys, skipped
steps) and ``progress.step`` (one engine event from the deploy layer). :data:`SILENT` drops
everything (the default, for tests and library callers); :class:`StderrReporter` is what the
CLI passes: plain ``codexstack: ...`` lines for CI logs, styled with rich on a terminal,
never colour under ``NO_COLOR``, never on stdout (stdout carries only results).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from codexstack.deploy import Progress

SYMBOLS = {
    "create": "+",
    "update": "~",
    "replace": "+-",
    "delete": "-",
    "refresh": "↻",
    "read": ">",
    "same": "=",
}
"""The mark of each engine operation in a progress line."""


class Reporter(Protocol):
    """Where a flow's progress goes."""

    def info(self, message: str) -> None:
        """A status line for people."""

    def warn(self, message: str) -> None:
        """A warning: the flow goes on."""

    def error(self, message: str) -> None:
        """A problem the flow reports and collects rather than raises (``validate``)."""

    def step(self, event: Progress) -> None:
        """One engine event (an object starting, finishing, failing, or a message)."""


class _Silent:
    """A reporter that drops everything."""

    def info(self, message: str) -> None:
        pass

    def warn(self, message: str) -> None:
        pass

    def error(self, message: str) -> None:
        pass

    def step(self, event: Progress) -> None:
        pass


SILENT: Reporter = _Silent()
"""The default reporter of every flow: says nothing."""


class Recorder:
    """A reporter that keeps every line (tests assert on ``lines``)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, message: str) -> None:
        self.lines.append(f"info: {message}")

    def warn(self, message: str) -> None:
        self.lines.append(f"warning: {message}")

    def error(self, message: str) -> None:
        self.lines.append(f"error: {message}")

    def step(self, event: Progress) -> None:
        self.lines.append(f"step: {step_line(event)}")

    @property
    def warnings(self) -> list[str]:
        """The warnings only, without their prefix."""
        return [line.removeprefix("warning: ") for line in self.lines if line.startswith("warn")]


def step_line(event: Progress) -> str:
    """One engine event as a line of text (without style)."""
    if event.phase == "message":
        who = f"[{event.name}] " if event.name else ""
        return f"{who}{event.message}"
    mark = {"start": SYMBOLS.get(event.op, "*"), "done": "✓", "failed": "✗"}[event.phase]
    took = f" ({event.elapsed_s:.1f}s)" if event.phase == "done" else ""
    return f"{mark} {event.op} {event.kind} {event.name}{took}"


def coloured() -> bool:
    """Whether stderr gets colour: a terminal, and ``NO_COLOR`` unset."""
    return not os.environ.get("NO_COLOR") and sys.stderr.isatty()


def _marked(label: str, colour: str, message: str) -> None:
    prefix = f"\033[{colour}m{label}:\033[0m " if coloured() else f"{label}: "
    print(prefix + message, file=sys.stderr, flush=True)


class StderrReporter:
    """The CLI's reporter: one line per call on stderr."""

    def __init__(self) -> None:
        self._console: Any = None

    def info(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def warn(self, message: str) -> None:
        _marked("warning", "33", message)

    def error(self, message: str) -> None:
        _marked("error", "31", message)

    def step(self, event: Progress) -> None:
        line = step_line(event)
        if not coloured():
            self.info(f"codexstack: {line}")
            return
        if self._console is None:
            from rich.console import Console  # noqa: PLC0415 - only on a terminal

            self._console = Console(stderr=True, highlight=False)
        if event.phase == "message":
            style = {"error": "red", "warning": "yellow"}.get(event.severity, "dim")
        else:
            style = {"start": "cyan", "done": "green", "failed": "red"}[event.phase]
        self._console.print(line, style=style, markup=False)

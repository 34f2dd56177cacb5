"""The shape every flow result has: :class:`Result` (``data``, ``text``, ``exit_code``).

A flow returns a frozen dataclass that satisfies this protocol; the CLI then needs no
knowledge of it: ``data(fmt)`` is what ``--output json|yaml|kv`` prints (``fmt`` is the format
name, since ``kv`` sometimes wants a flatter or codexctl-legacy mapping), ``text()`` is what
people read (``--output text``), ``exit_code`` how the process ends (0 unless the flow's
outcome says otherwise, e.g. ``preview --detailed-exitcode``). :class:`Lines` is the common
base for results shown as codexctl's ``key: value`` lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from codexstack.flows.ci import Value, text


class Result(Protocol):
    """What the CLI emits."""

    @property
    def exit_code(self) -> int:
        """The process exit code for this outcome."""

    def data(self, fmt: str) -> Any:
        """The machine form for ``--output json|yaml|kv``."""

    def text(self) -> str:
        """The human form for ``--output text`` (ends with a newline, or is empty)."""


def lines(values: Mapping[str, Value]) -> str:
    """codexctl's ``key: value`` lines."""
    return "".join(f"{k}: {text(v)}\n" for k, v in values.items())


class Lines:
    """A result shown as ``key: value`` lines of :meth:`values`; exit code 0."""

    exit_code = 0

    def values(self) -> dict[str, Value]:
        """The result's keys in display order."""
        raise NotImplementedError

    def data(self, fmt: str) -> Any:
        return self.values()

    def text(self) -> str:
        return lines(self.values())


class Report(Protocol):
    """A health report of a lower layer (cluster status, doctor)."""

    @property
    def healthy(self) -> bool: ...

    def to_dict(self) -> dict[str, Any]: ...

    def text(self) -> str: ...


R = TypeVar("R", bound=Report)


@dataclass(frozen=True)
class Checked(Generic[R]):
    """A health report as a result: exit code 1 when not healthy."""

    report: R

    @property
    def exit_code(self) -> int:
        return 0 if self.report.healthy else 1

    def data(self, fmt: str) -> Any:
        return self.report.to_dict()

    def text(self) -> str:
        return self.report.text()

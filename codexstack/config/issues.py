"""Problems found in an input file, with their position, and how they become one error.

Every check of the config layer reports :class:`Issue` values (file, line, column, key path,
message, optional hint) instead of raising at the first problem, so one run shows everything
wrong with a file. :func:`raise_if_any` folds the errors into one :class:`ConfigFileError`
(a :class:`~codexstack.errors.ConfigError`) whose text lists each problem on its own line;
warnings are handed back to the caller. Key paths print as ``services[0].overlays.ai``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from codexstack.errors import ConfigError, Location
from codexstack.yamlio import Position

PathPart = str | int
KeyPath = tuple[PathPart, ...]
Severity = Literal["error", "warning"]


def format_path(path: Sequence[PathPart]) -> str:
    """``("services", 0, "name")`` -> ``services[0].name``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Issue:
    """One problem (or warning) at one place in one file."""

    location: Location
    message: str
    hint: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} ({self.hint})" if self.hint else text


class ConfigFileError(ConfigError):
    """One or more errors in one input file; ``issues`` holds each with its location."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues = tuple(issues)
        first = self.issues[0]
        if len(self.issues) == 1:
            super().__init__(first.message, location=first.location, hint=first.hint)
            return
        lines = "\n".join(f"  {issue}" for issue in self.issues)
        super().__init__(
            f"{len(self.issues)} problems:\n{lines}",
            location=Location(file=first.location.file),
        )


def raise_if_any(issues: Iterable[Issue]) -> tuple[Issue, ...]:
    """Raise one error for all error issues (sorted by position); return the warnings."""
    items = list(issues)
    errors = sorted((i for i in items if i.severity == "error"), key=_order)
    if errors:
        raise ConfigFileError(errors)
    return tuple(i for i in items if i.severity == "warning")


def _order(issue: Issue) -> tuple[int, int]:
    return (issue.location.line or 0, issue.location.column or 0)


class Locator:
    """Finds the line and column of a key path in one file, from yamlio's positions.

    The position of the key itself is preferred (the value's for list items); a path that was
    not written (a missing key, an item produced by a template) reports its nearest written
    ancestor, so a message always points into the file.
    """

    def __init__(self, file: str, positions: Mapping[tuple[Any, ...], Position] | None = None):
        self.file = file
        self._positions = positions or {}

    def locate(self, path: Sequence[PathPart]) -> Location:
        """Location of ``path`` (or its nearest written ancestor) in the file."""
        key = format_path(path) or None
        probe = tuple(path)
        while probe and probe not in self._positions:
            probe = probe[:-1]
        found = self._positions.get(probe)
        if found is None:
            return Location(file=self.file, key=key)
        if found.key_line is not None:
            return Location(self.file, found.key_line, found.key_column, key)
        return Location(self.file, found.line, found.column, key)

    def issue(
        self,
        path: Sequence[PathPart],
        message: str,
        *,
        hint: str | None = None,
        severity: Severity = "error",
    ) -> Issue:
        """An :class:`Issue` at ``path``."""
        return Issue(self.locate(path), message, hint, severity)

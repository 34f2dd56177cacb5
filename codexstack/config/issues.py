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
    """Finds the line and column of a key path, from yamlio's per-path positions.

    Positions may come from several parses of the same file (the untemplated text first, the
    rendered text second): the first source knowing a path wins; when none knows it, the
    closest known ancestor is used, so a message always points into the file.
    """

    def __init__(self, file: str, *sources: Mapping[Any, Any]):
        self.file = file
        self._sources = [s for s in sources if s]

    def locate(self, path: Sequence[PathPart]) -> Location:
        """Location of ``path`` (or its nearest known ancestor) in the file."""
        key = format_path(path) or None
        probe = tuple(path)
        while True:
            for source in self._sources:
                found = _lookup(source, probe)
                if found is not None:
                    return Location(file=self.file, line=found[0], column=found[1], key=key)
            if not probe:
                return Location(file=self.file, key=key)
            probe = probe[:-1]

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


def _lookup(source: Mapping[Any, Any], path: KeyPath) -> tuple[int, int] | None:
    """Line/column of ``path`` in one position table, tolerant of its exact key/value shape."""
    for key in (path, format_path(path), ".".join(str(p) for p in path)):
        value = source.get(key)
        if value is not None:
            return _line_col(value)
    return None


def _line_col(value: Any) -> tuple[int, int] | None:
    """(line, column) of a position; the key's own position when the table has it."""
    if isinstance(value, tuple) and len(value) >= 2:
        return int(value[0]), int(value[1])
    line = getattr(value, "key_line", None) or getattr(value, "line", None)
    if line is None:
        return None
    column = getattr(value, "key_column", None) if getattr(value, "key_line", None) else None
    return int(line), int(column if column is not None else getattr(value, "column", 0) or 0)

"""The one exception tree of codexstack and the exit codes the CLI maps it to.

Every error a user can cause or meet is a :class:`CodexstackError` subclass carrying its exit
code and, for input problems, the file, line and key it concerns. The CLI has exactly one
boundary that turns these into a single clear message (no traceback unless ``--debug``);
anything else that escapes is a bug and is shown as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Named process exit codes (sysexits-style where one exists)."""

    OK = 0
    FAILURE = 1
    CHANGES = 2  # only under --detailed-exitcode
    USAGE = 64
    INVALID = 65  # invalid config or template
    TEMPORARY = 75  # slot full, stack locked: try again later
    INTERRUPTED = 130


@dataclass(frozen=True)
class Location:
    """Where in an input file a problem is: file, 1-based line and column, dotted key path."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        if self.key:
            parts.append(f"key '{self.key}'")
        return ", ".join(parts)


class CodexstackError(Exception):
    """Base of every expected error; ``exit_code`` tells the CLI how to end."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, location: Location | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        text = (
            f"{self.location}: {self.message}"
            if self.location and str(self.location)
            else self.message
        )
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class UsageError(CodexstackError):
    """Bad command-line usage: unknown option values, missing required selectors."""

    exit_code = ExitCode.USAGE


class ConfigError(CodexstackError):
    """services.yaml, an env/var file or a manifest is invalid (schema, YAML, paths)."""

    exit_code = ExitCode.INVALID


class TemplateError(ConfigError):
    """A template failed to parse or execute; the location names the template and line."""


class TemporaryError(CodexstackError):
    """A condition that goes away by itself: try again later."""

    exit_code = ExitCode.TEMPORARY


class SlotsFullError(TemporaryError):
    """Every slot up to the capacity is held by another issue or PR."""


class StackBusyError(TemporaryError):
    """Another run holds the stack's lock (apply, destroy or GC in progress)."""


class ToolMissingError(CodexstackError):
    """A required external tool (engine, cluster binary) is not installed."""


class DeployError(CodexstackError):
    """The engine or the cluster refused or failed an operation."""


class ReadinessError(DeployError):
    """Objects were applied but did not become ready in time (the engine's partial failure)."""


class Interrupted(CodexstackError):
    """The run was interrupted by SIGINT/SIGTERM after saving state."""

    exit_code = ExitCode.INTERRUPTED

"""Safe loading of configuration YAML (services.yaml, var files) with positions.

The config layer needs plain data plus, for every value, where it was written, so that an
error can read ``services.yaml:12:5: key 'services[1].overlays.dev.pvcMounts[0].claimName'``.
Loading is strict where codexctl would be unsafe or vague: the file size is checked before
reading, only yaml.v3's standard tags are accepted (a ``!!python/...`` tag is an error, never
code), nesting and alias expansion are bounded, and duplicate keys name both lines. Values
follow yaml.v3 resolution (``yes`` is a string, ``0x10`` is 16); ``raw`` keeps a scalar's
source text because Go decodes a scalar into a string field as exactly that text.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codexstack.errors import ConfigError, Location
from codexstack.yamlio.decode import Decoder, Path, Position, format_path
from codexstack.yamlio.nodes import Limits, check_size, compose, too_large
from codexstack.yamlio.resolve import (
    BINARY,
    BOOL,
    FLOAT,
    INT,
    MAP,
    MERGE,
    NULL,
    SEQ,
    STR,
    TIMESTAMP,
)

CONFIG_LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_depth=100, max_expanded_nodes=200_000)
CONFIG_TAGS = frozenset({"", STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, MAP, SEQ, MERGE, BINARY})


@dataclass(frozen=True)
class LoadedYAML:
    """A loaded config document: ``data`` and the position of every value by path."""

    data: dict[str, Any]
    file: str
    positions: Mapping[Path, Position] = field(default_factory=dict)

    def _nearest(self, path: Path) -> Position | None:
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path)

    def position(self, path: Path) -> Location:
        """Where the key naming ``path`` is (the value for list items); nearest ancestor if
        ``path`` itself was not written (a missing key reports its parent)."""
        found = self._nearest(path)
        key = format_path(tuple(path)) or None
        if found is None:
            return Location(self.file, None, None, key)
        if found.key_line is not None:
            return Location(self.file, found.key_line, found.key_column, key)
        return Location(self.file, found.line, found.column, key)

    def value_position(self, path: Path) -> Location:
        """Where the value at ``path`` starts (nearest written ancestor otherwise)."""
        found = self._nearest(path)
        key = format_path(tuple(path)) or None
        if found is None:
            return Location(self.file, None, None, key)
        return Location(self.file, found.line, found.column, key)

    def raw(self, path: Path) -> str | None:
        """The source text of the scalar at ``path`` (``"1.10"`` where data holds 1.1)."""
        found = self.positions.get(tuple(path))
        return found.raw if found else None


def load_config_text(text: str, file: str, limits: Limits = CONFIG_LIMITS) -> LoadedYAML:
    """Load the first YAML document of ``text``; it must be a mapping, blank or ``null``.

    Raises :class:`ConfigError` (file, line, column, key) for invalid YAML, duplicate keys,
    disallowed tags, oversized or too deeply nested input and alias bombs.
    """
    roots = compose(text, file, limits, first_only=True, allowed_tags=CONFIG_TAGS)
    if not roots:
        return LoadedYAML({}, file)
    positions: dict[Path, Position] = {}
    data = Decoder(file, limits.max_depth, positions).document(roots[0])
    return LoadedYAML(data or {}, file, positions)


def read_text_limited(path: str | os.PathLike[str], limits: Limits = CONFIG_LIMITS) -> str:
    """Read a UTF-8 file, refusing (before reading it) one larger than ``limits.max_bytes``."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > limits.max_bytes:
                raise too_large(name, limits)
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", location=Location(name)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not valid UTF-8 at byte {exc.start}", location=Location(name)) from None
    check_size(text, name, limits)
    return text


def load_config_file(path: str | os.PathLike[str], limits: Limits = CONFIG_LIMITS) -> LoadedYAML:
    """:func:`read_text_limited` then :func:`load_config_text`."""
    return load_config_text(read_text_limited(path, limits), os.fspath(path), limits)

"""The yaml.v3 encoder (``yaml.NewEncoder`` + ``SetIndent(2)``), byte for byte.

``dump_stream`` writes decoded manifests the way codexctl's ``render`` does. The writer keeps
libyaml's emitter state (column, "last write was whitespace", "still at indentation",
indentation stack) and performs the same indicator and indentation steps as the Go emitter
for block mappings and sequences, so every corner (``- - b``, ``? `` keys longer than 128
bytes or multi-line, ``|2-`` hints, ``{}``/``[]``) comes out as yaml.v3 writes it. Scalars
are formatted by :mod:`scalar_style` and Go's ``FormatFloat``; keys are ordered by :mod:`keyorder`.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from codexstack.errors import ConfigError
from codexstack.golang import format_float
from codexstack.yamlio.keyorder import sorted_keys, unwrap
from codexstack.yamlio.scalar_style import (
    BREAKS,
    DOUBLE,
    LITERAL,
    PLAIN,
    SINGLE,
    double_quoted,
    string_style,
)
from codexstack.yamlio.timestamp import Timestamp

MAX_EMIT_DEPTH = 300
_LINES = re.compile("([\n\u2028\u2029])")


def _binary_text(data: bytes) -> str:
    """yaml.v3 ``encodeBase64``: 70-column lines, each ending in a newline when split."""
    encoded = base64.b64encode(data).decode("ascii")
    if len(encoded) < 70:
        return encoded
    return "".join(encoded[i : i + 70] + "\n" for i in range(0, len(encoded), 70))


def _float_text(value: float) -> str:
    """``FormatFloat(value, 'g', -1, 64)`` with yaml.v3's names for infinities and NaN."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    return format_float(value, "g", -1)


def scalar_text(value: Any) -> tuple[str, str, str]:
    """(text, style, tag) yaml.v3 writes for a scalar value; tag is ``""`` or ``!!binary``."""
    if isinstance(value, str):
        return value, string_style(value), ""
    if value is None:
        return "null", PLAIN, ""
    if isinstance(value, bool):
        return ("true" if value else "false"), PLAIN, ""
    if isinstance(value, int):
        return str(int(value)), PLAIN, ""  # int() so an IntEnum prints its number
    if isinstance(value, float):
        return _float_text(value), PLAIN, ""
    if isinstance(value, Timestamp):
        return str(value), PLAIN, ""
    if isinstance(value, bytes | bytearray):
        try:
            return scalar_text(bytes(value).decode("utf-8"))
        except UnicodeDecodeError:
            text = _binary_text(bytes(value))
            return text, (LITERAL if "\n" in text else PLAIN), "!!binary"
    raise TypeError(f"cannot encode {type(value).__name__} as YAML")


def _inline_text(value: str) -> str | None:
    """The one-line form of a string, or None when it needs the emitter's line handling."""
    style = string_style(value)
    if style == PLAIN:
        return value
    if style == DOUBLE:
        return double_quoted(value)
    if style == SINGLE and "\u2028" not in value and "\u2029" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


def _key_text(key: str) -> str | None:
    """The one-line form of a simple key; None for one written as ``? key`` (complex)."""
    if (len(key) > 32 and len(key.encode("utf-8")) > 128) or not BREAKS.isdisjoint(key):
        return None
    return _inline_text(key)


# Keys and short values repeat across documents (a stream of 1,500 has a few thousand
# distinct ones), and both forms depend on the text alone; long texts are not kept.
_inline_short = lru_cache(maxsize=16384)(_inline_text)
_key_short = lru_cache(maxsize=4096)(_key_text)


def _inline(value: Any) -> str | None:
    """The one-line form of a scalar, or None when it needs the emitter's line handling."""
    if type(value) is str:
        return _inline_short(value) if len(value) <= 256 else _inline_text(value)
    if isinstance(value, dict | list | tuple | bytes | bytearray):
        return None
    return scalar_text(value)[0]


class _Emitter:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.indent = -1
        self.indents: list[int] = []
        self.depth = 0

    def write(self, text: str) -> None:
        self.out.append(text)
        self.column += len(text)

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0
        self.indention = True

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if (
            not self.indention
            or self.column > indent
            or (self.column == indent and not self.whitespace)
        ):
            self.put_break()
        if self.column < indent:
            self.write(" " * (indent - self.column))
        self.whitespace = True

    def indicator(self, text: str, need_space: bool, is_space: bool, keeps_indention: bool) -> None:
        if need_space and not self.whitespace:
            self.write(" ")
        self.write(text)
        self.whitespace = is_space
        self.indention = self.indention and keeps_indention

    def increase_indent(self, flow: bool, in_sequence: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = 2 if flow else 0
        elif in_sequence:
            self.indent += 2  # the first level inside "- " just skips the indicator
        else:
            self.indent = 2 * ((self.indent + 2) // 2)

    def document(self, doc: Any, first: bool) -> None:
        if not first:
            self.write_indent()
            self.indicator("---", True, False, False)
            self.write_indent()
        self.node(doc, False)
        self.write_indent()

    def node(self, value: Any, in_sequence: bool) -> None:
        if type(value) is dict or isinstance(value, Mapping):
            self.collection(value, in_sequence, "{}", self.mapping_body)
        elif isinstance(value, list | tuple):
            self.collection(value, in_sequence, "[]", self.sequence_body)
        else:
            self.scalar(*scalar_text(value), in_sequence)

    def collection(self, value: Any, in_sequence: bool, empty: str, body: Any) -> None:
        if not value:
            self.indicator(empty, True, False, False)
            return
        self.depth += 1
        if self.depth > MAX_EMIT_DEPTH:
            raise ConfigError(f"cannot write YAML nested deeper than {MAX_EMIT_DEPTH} levels")
        self.increase_indent(False, in_sequence)
        body(value)
        self.indent = self.indents.pop()
        self.depth -= 1

    def mapping_body(self, mapping: Mapping[Any, Any]) -> None:
        out = self.out
        indent = max(self.indent, 0)  # what write_indent() uses; each key leaves it as it was
        for key in sorted_keys(mapping):
            key_text = None
            if type(key) is str:
                key_text = _key_short(key) if len(key) <= 256 else _key_text(key)
            if key_text is not None:
                # A simple string key: the same steps as the general path below (write_indent,
                # the key's scalar, ":"), written out with locals because most keys take it;
                # an inline value completes the line as yaml.v3 writes ``key: value``.
                value = mapping[key]
                value_text = _inline(value)
                column = self.column
                if (
                    not self.indention
                    or column > indent
                    or (column == indent and not self.whitespace)
                ):
                    out.append("\n")
                    column = 0
                if column < indent:
                    out.append(" " * (indent - column))
                    column = indent
                line = f"{key_text}: {value_text}" if value_text is not None else key_text + ":"
                out.append(line)
                self.column = column + len(line)
                self.whitespace = self.indention = False
                if value_text is None:
                    self.node(value, False)
                continue
            self.write_indent()
            plain_key = unwrap(key)
            text, style, tag = scalar_text(plain_key)
            if len(text.encode("utf-8")) + len(tag) <= 128 and not BREAKS.intersection(text):
                self.scalar(text, style, tag, False)
                self.indicator(":", False, False, False)
            else:
                self.indicator("?", True, False, True)
                self.scalar(text, style, tag, False)
                self.write_indent()
                self.indicator(":", True, False, True)
            # Go's map lookup never finds a NaN key, so its value is written as null.
            is_nan = isinstance(plain_key, float) and math.isnan(plain_key)
            self.node(None if is_nan else mapping[key], False)

    def sequence_body(self, items: Iterable[Any]) -> None:
        for item in items:
            self.write_indent()
            self.indicator("-", True, False, True)
            self.node(item, True)

    def scalar(self, text: str, style: str, tag: str, in_sequence: bool) -> None:
        if tag:
            self.indicator(tag, True, False, False)
        self.increase_indent(True, in_sequence)
        if style == PLAIN:
            self.indicator(text, True, False, False)
        elif style == DOUBLE:
            self.indicator(double_quoted(text), True, False, False)
        elif style == SINGLE:
            self.single_quoted(text)
        else:
            self.literal(text)
        self.indent = self.indents.pop()

    def single_quoted(self, text: str) -> None:
        self.indicator("'", True, False, False)
        self.lines(text.replace("'", "''"))
        self.indicator("'", False, False, False)

    def literal(self, text: str) -> None:
        self.indicator("|", True, False, False)
        if text[0] == " " or text[0] in BREAKS:
            self.indicator("2", False, False, False)
        if text[-1] not in BREAKS:
            self.indicator("-", False, False, False)
        elif len(text) == 1 or text[-2] in BREAKS:
            self.indicator("+", False, False, False)
        self.whitespace = True
        self.lines(text, starts_at_break=True)

    def lines(self, text: str, starts_at_break: bool = False) -> None:
        """Write text whose line breaks restart at the current indentation (libyaml style)."""
        at_break = starts_at_break
        for part in _LINES.split(text):
            if part == "\n":
                self.put_break()
                at_break = True
            elif part in BREAKS:
                self.out.append(part)  # LS/PS are written raw, then count as a new line
                self.column = 0
                self.indention = True
                at_break = True
            elif part:
                if at_break:
                    self.write_indent()
                self.write(part)
                self.indention = False
                at_break = False


def dump_stream(docs: Iterable[Any]) -> str:
    """Encode documents as one YAML stream exactly like codexctl's ``render`` (yaml.v3).

    ``---`` separates documents, none precedes the first, the text ends with a newline, and
    an empty stream is the empty string (codexctl fails there; codexstack prints nothing).
    """
    emitter = _Emitter()
    for index, doc in enumerate(docs):
        emitter.document(doc, index == 0)
    return "".join(emitter.out)


def to_jsonable(value: Any) -> Any:
    """A decoded value with only JSON types, written as the YAML stream would show it.

    Timestamps become their RFC 3339 text, non-string keys the text yaml.v3 writes for them
    (``1``, ``true``, ``null``), undecodable ``!!binary`` data its base64 text, and
    non-finite floats ``.inf``/``-.inf``/``.nan`` (JSON has no such numbers).
    """
    if isinstance(value, Mapping):
        return {
            (key if isinstance(key, str) else scalar_text(unwrap(key))[0].strip()): to_jsonable(
                item
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    if isinstance(value, Timestamp | bytes | bytearray) or (
        isinstance(value, float) and not math.isfinite(value)
    ):
        return scalar_text(value)[0].strip()
    return value

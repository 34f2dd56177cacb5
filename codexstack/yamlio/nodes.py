"""The YAML node tree: libyaml events composed into nodes, with the safety limits applied.

Both readers (config and manifests) start here. The parser is PyYAML's libyaml binding
(pure-Python fallback) used only for *events*; nothing is ever constructed from tags, so no
code can run. Composition is iterative and enforces, before any value exists: input size,
nesting depth, unknown or self-referencing anchors, and the total size the document would
have with every alias expanded (so a "billion laughs" costs nothing to reject). Anchors live
for the whole stream, as in yaml.v3.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from codexstack.errors import ConfigError, Location
from codexstack.yamlio.resolve import short_tag

SCALAR, MAPPING, SEQUENCE, ALIAS = "scalar", "mapping", "sequence", "alias"
_Parser: Any = getattr(yaml, "CBaseLoader", None) or yaml.BaseLoader  # events only


@dataclass(frozen=True)
class Limits:
    """Bounds on untrusted YAML input; every one is checked before values are built."""

    max_bytes: int = 10 * 1024 * 1024
    max_depth: int = 200
    max_expanded_nodes: int = 1_000_000
    """Nodes the document would have with every alias expanded (its own nodes included)."""


class Node:
    """One YAML node: ``tag`` is the explicit short tag or ``""``; ``style`` is the scalar
    indicator (``""`` plain, ``'``, ``"``, ``|``, ``>``); ``target`` is an alias's node."""

    __slots__ = ("children", "column", "kind", "line", "size", "style", "tag", "target", "value")

    def __init__(  # noqa: PLR0917 -- built once per event, where keyword passing costs time
        self, kind: str, tag: str, value: str, style: str, line: int, column: int
    ):
        self.kind = kind
        self.tag = tag
        self.value = value
        self.style = style
        self.line = line
        self.column = column
        self.children: list[Node] = []
        self.target: Node | None = None
        self.size = 1


def _error(message: str, source: str, line: int | None, column: int | None) -> ConfigError:
    return ConfigError(message, location=Location(source, line, column))


def too_large(source: str, limits: Limits) -> ConfigError:
    return _error(
        f"YAML input is larger than the limit of {limits.max_bytes} bytes", source, None, None
    )


def check_size(text: str, source: str, limits: Limits) -> None:
    """Refuse text longer than ``limits.max_bytes`` (UTF-8) before any parsing."""
    # len() is a lower bound of the UTF-8 size, so only borderline texts are encoded.
    if len(text) > limits.max_bytes or (
        len(text) * 4 > limits.max_bytes and len(text.encode("utf-8")) > limits.max_bytes
    ):
        raise too_large(source, limits)


_SLASH_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\/")
_LINE_START_BOM = re.compile("[\n\r\x85\u2028\u2029]\ufeff")


class _Composer:
    def __init__(self, source: str, limits: Limits, allowed_tags: frozenset[str] | None) -> None:
        self.source = source
        self.limits = limits
        self.allowed_tags = allowed_tags
        self.anchors: dict[str, Node] = {}
        self.stack: list[Node] = []
        self.documents: list[Node] = []
        self.open: set[int] = set()
        self.total = 0
        self.text: str | None = None  # set only when a "\/" escape may occur

    def fail(self, message: str, node_or_event: Any) -> ConfigError:
        mark = getattr(node_or_event, "start_mark", None)
        if mark is not None:
            return _error(message, self.source, mark.line + 1, mark.column + 1)
        return _error(message, self.source, node_or_event.line, node_or_event.column)

    def new(self, kind: str, event: Any, tag: str | None = None, value: str = "") -> Node:
        short = "" if tag is None or tag == "!" else short_tag(tag)
        if self.allowed_tags is not None and short not in self.allowed_tags:
            raise self.fail(f"YAML tag '{short}' is not allowed here", event)
        mark = event.start_mark
        style = (event.style or "") if kind is SCALAR else ""
        return Node(kind, short, value, style, mark.line + 1, mark.column + 1)

    def check_expansion(self, size: int, node: Node) -> None:
        if size > self.limits.max_expanded_nodes:
            raise self.fail(
                f"YAML expands to more than {self.limits.max_expanded_nodes} nodes "
                "(alias expansion bomb?)",
                node,
            )

    def document_done(self, root: Node) -> None:
        # Anchors outlive their document, so later documents can re-expand earlier ones.
        self.total += root.size
        self.check_expansion(self.total, root)

    def alias(self, event: Any) -> None:
        target = self.anchors.get(event.anchor)
        if target is None:
            raise self.fail(f"unknown anchor '{event.anchor}' referenced", event)
        if id(target) in self.open:
            raise self.fail(f"anchor '{event.anchor}' value contains itself", event)
        node = self.new(ALIAS, event, value=event.anchor)
        node.target = target
        node.size = target.size
        if self.stack:
            parent = self.stack[-1]
            parent.children.append(node)
            parent.size += node.size
        else:
            self.documents.append(node)
            self.document_done(node)

    def run(self, get_event: Callable[[], Any], first_only: bool) -> None:
        """Compose every event up to the stream end (or the first document's end).

        This loop runs once per event, so the scalar, start and end steps are written out
        here with locals (no per-event method calls); rarer events go to their own methods.
        """
        stack, documents, anchors, open_ = self.stack, self.documents, self.anchors, self.open
        allowed, escapes = self.allowed_tags, self.text is not None
        max_depth, max_nodes = self.limits.max_depth, self.limits.max_expanded_nodes
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                style = event.style if kind is ScalarEvent else None
                if escapes and style == '"':
                    self.check_escapes(event)
                tag = event.tag
                short = "" if tag is None or tag == "!" else short_tag(tag)
                if allowed is not None and short not in allowed:
                    raise self.fail(f"YAML tag '{short}' is not allowed here", event)
                mark = event.start_mark
                anchor = event.anchor
                if kind is ScalarEvent:
                    node = Node(
                        SCALAR,
                        short,
                        event.value,
                        style or "",
                        mark.line + 1,
                        mark.column + 1,
                    )
                    if anchor is not None:
                        anchors[anchor] = node
                    if stack:
                        parent = stack[-1]
                        parent.children.append(node)
                        parent.size += 1
                        continue
                    documents.append(node)
                    self.document_done(node)
                else:
                    collection = MAPPING if kind is MappingStartEvent else SEQUENCE
                    node = Node(collection, short, "", "", mark.line + 1, mark.column + 1)
                    if len(stack) >= max_depth:
                        raise self.fail(f"YAML nesting is deeper than {max_depth} levels", event)
                    if anchor is not None:
                        anchors[anchor] = node
                        open_.add(id(node))  # only an anchored node can be an alias's target
                    if stack:
                        stack[-1].children.append(node)
                    else:
                        documents.append(node)
                    stack.append(node)
                    continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                node = stack.pop()
                if open_:
                    open_.discard(id(node))
                if node.size > max_nodes:
                    self.check_expansion(node.size, node)
                if stack:
                    stack[-1].size += node.size
                    continue
                self.document_done(node)
            elif kind is AliasEvent:
                self.alias(event)
            elif event is None or kind is StreamEndEvent:
                return
            elif kind is DocumentStartEvent and event.version not in (None, (1, 1)):
                raise self.fail("incompatible YAML document (yaml.v3 reads %YAML 1.1 only)", event)
            if first_only and documents and not stack:
                return

    def check_escapes(self, event: Any) -> None:
        # libyaml 0.2.5 knows YAML 1.2's "\/" escape; yaml.v3 (and so codexctl) rejects it.
        raw = self.text[event.start_mark.index : event.end_mark.index] if self.text else ""
        if _SLASH_ESCAPE.search(raw):
            raise self.fail("found unknown escape character '\\/'", event)


def _check_bom(text: str, source: str) -> None:
    """Refuse a byte order mark that starts a later line.

    libyaml skips it as the YAML spec says; yaml.v3 reads it as content (its ``is_bom`` looks
    at the start of the buffer, not the current position), so the two would silently differ.
    """
    if "\ufeff" in text[1:]:
        found = _LINE_START_BOM.search(text)
        if found is not None:
            line = text.count("\n", 0, found.end()) + 1
            raise _error("byte order mark (U+FEFF) at the start of a line", source, line, 1)


def compose(
    text: str,
    source: str,
    limits: Limits,
    *,
    first_only: bool = False,
    allowed_tags: frozenset[str] | None = None,
) -> list[Node]:
    """Parse ``text`` into one root node per document (an empty document is a ``""`` scalar).

    Raises :class:`ConfigError` naming ``source``, line and column for syntax errors, broken
    limits and (when ``allowed_tags`` is given) any other explicit tag. ``first_only`` stops
    after the first document, like ``yaml.Unmarshal``.
    """
    check_size(text, source, limits)
    _check_bom(text, source)
    composer = _Composer(source, limits, allowed_tags)
    if "\\/" in text:
        composer.text = text
    parser = None
    try:
        parser = _Parser(text)
        composer.run(parser.get_event, first_only)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise _error(f"invalid YAML: {problem}", source, line, column) from None
    finally:
        if parser is not None:
            parser.dispose()
    return composer.documents

"""Node tree → plain Python values, with the semantics of yaml.v3 decoding into
``map[string]interface{}``.

The rules reproduced here are the ones a rendered manifest can feel: top-level keys become
their source text (``1:`` is the key ``"1"``, a ``null`` key vanishes); nested mappings keep
typed keys unless every key is a string; duplicate keys are errors (compared by source text,
as yaml.v3 does); ``<<`` merges apply after the mapping's own keys, earlier sources winning;
every alias expands into a fresh copy; and yaml.v3's "excessive aliasing" ratio is enforced
with the same counters. Optionally every value's position is recorded by path.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from codexstack.errors import ConfigError, Location
from codexstack.yamlio.keyorder import TypedKey
from codexstack.yamlio.nodes import ALIAS, MAPPING, SCALAR, SEQUENCE, Node
from codexstack.yamlio.resolve import BINARY, MAP, MERGE, SEQ, STR, ResolveError, resolve

Path = tuple[Any, ...]
_T = TypeVar("_T")
_DROP = object()  # a key that yaml.v3 silently skips (null into a string key)
_STRING_KEY_TAGS = (STR, MERGE)
_resolve_short = lru_cache(maxsize=8192)(resolve)
"""``resolve`` memoised: manifests repeat the same short scalars (keys above all) thousands of
times, and the result (a tag and an immutable value) depends on nothing else."""


def _resolve(tag: str, text: str) -> tuple[str, Any]:
    """:func:`resolve`, from the memo for short texts (long ones would only fill it)."""
    return _resolve_short(tag, text) if len(text) <= 256 else resolve(tag, text)


@dataclass(frozen=True)
class Position:
    """Where a value (and the key naming it) was written; ``raw`` is a scalar's source text."""

    line: int
    column: int
    key_line: int | None = None
    key_column: int | None = None
    raw: str | None = None


def format_path(path: Path) -> str:
    """``("services", 1, "name")`` → ``services[1].name``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def indicated_string(node: Node) -> bool:
    return node.kind == SCALAR and (node.tag == STR or (not node.tag and node.style != ""))


def node_tag(node: Node) -> str:
    """yaml.v3 ``Node.ShortTag()``: explicit tag, or the tag the node resolves to."""
    if node.kind == ALIAS:
        assert node.target is not None
        return node_tag(node.target)
    if indicated_string(node) or node.tag:
        return node.tag or STR
    if node.kind != SCALAR:
        return MAP if node.kind == MAPPING else SEQ
    if node.value == "<<":
        return MERGE
    return _resolve("", node.value)[0]


def _is_merge(node: Node) -> bool:
    return node.kind == SCALAR and node.value == "<<" and node_tag(node) == MERGE


def _string_keys(children: list[Node]) -> bool:
    """True when every key node of a mapping is a string or ``<<`` (:func:`node_tag`)."""
    for index in range(0, len(children), 2):
        key = children[index]
        if key.kind is SCALAR and not key.tag:
            # Untagged scalars inline: quoted is a string, plain resolves (``<<`` merges).
            if key.style or key.value == "<<" or _resolve("", key.value)[0] == STR:
                continue
            return False
        if node_tag(key) not in _STRING_KEY_TAGS:
            return False
    return True


def _slot(out: dict[Any, Any], key: Any) -> Any:
    """The dict key under which a Go interface key is stored (see :class:`TypedKey`)."""
    if key not in out:
        return key
    stored = next(k for k in out if not isinstance(k, TypedKey) and k == key)
    return stored if type(stored) is type(key) else TypedKey(key)


def _allowed_alias_ratio(count: int) -> float:
    low, high = 400_000, 4_000_000
    if count <= low:
        return 0.99
    if count >= high:
        return 0.10
    return 0.99 - 0.89 * (count - low) / (high - low)


class Decoder:
    """One yaml.v3 ``decoder``: counters and merge state for one document."""

    def __init__(self, source: str, max_depth: int, positions: dict[Path, Position] | None):
        self.source = source
        self.max_depth = max_depth
        self.positions = positions
        self.decode_count = 0
        self.alias_count = 0
        self.alias_depth = 0
        self.depth = 0
        self.merged: set[Any] | None = None

    def fail(self, message: str, node: Node, path: Path | None = None) -> ConfigError:
        key = format_path(path) if path else None
        return ConfigError(message, location=Location(self.source, node.line, node.column, key))

    def count(self, node: Node) -> None:
        self.decode_count += 1
        if self.alias_depth > 0:
            self.alias_count += 1
        if (
            self.alias_count > 100
            and self.decode_count > 1000
            and self.alias_count / self.decode_count > _allowed_alias_ratio(self.decode_count)
        ):
            raise self.fail("document contains excessive aliasing", node)

    def aliased(self, node: Node, decode: Callable[[Node], _T]) -> _T:
        """Decode an alias's target, counted as alias-driven work (yaml.v3's ``aliasDepth``)."""
        assert node.target is not None
        self.alias_depth += 1
        try:
            return decode(node.target)
        finally:
            self.alias_depth -= 1

    def scalar(self, node: Node) -> tuple[str, Any]:
        if indicated_string(node):
            return STR, node.value
        if node.tag == BINARY:
            try:
                data = base64.b64decode(
                    node.value.replace("\n", "").replace("\r", ""), validate=True
                )
            except (binascii.Error, ValueError):
                raise self.fail("!!binary value contains invalid base64 data", node) from None
            try:
                return BINARY, data.decode("utf-8")
            except UnicodeDecodeError:
                return BINARY, data
        if not node.tag and node.value == "<<":
            return MERGE, "<<"
        try:
            return _resolve(node.tag, node.value)
        except ResolveError as exc:
            raise self.fail(str(exc), node) from None

    def document(self, root: Node) -> dict[str, Any] | None:
        """Decode one document into a string-keyed mapping; ``None`` when it is null."""
        self.count(root)  # yaml.v3 counts the document node itself
        return self.into_root(root)

    def into_root(self, node: Node) -> dict[str, Any] | None:
        self.count(node)
        if node.kind == ALIAS:
            return self.aliased(node, self.into_root)
        if node.kind == MAPPING:
            out: dict[str, Any] = {}
            self.record((), node, None)
            self.mapping(node, out, True, ())
            return out
        if node.kind == SCALAR and self.scalar(node)[1] is None:
            return None
        shown = node_tag(node) + (f" `{node.value}`" if node.kind == SCALAR else "")
        raise self.fail(
            f"cannot unmarshal {shown} into a mapping (document must be a mapping)", node
        )

    def value(self, node: Node, path: Path) -> Any:
        self.count(node)
        kind = node.kind
        if kind is SCALAR:
            if not node.tag:  # the common case of scalar(), inline: untagged, not "<<"
                text = node.value
                if node.style:
                    return text
                if text != "<<":
                    return _resolve("", text)[1]
            return self.scalar(node)[1]
        if kind == ALIAS:
            return self.aliased(node, lambda target: self.value(target, path))
        self.depth += 1
        if self.depth > self.max_depth:
            raise self.fail(f"YAML nesting is deeper than {self.max_depth} levels", node, path)
        result: list[Any] | dict[Any, Any]
        if kind == SEQUENCE:
            if self.positions is None:
                result = [self.value(child, path) for child in node.children]
            else:
                result = [self.item(child, path, i) for i, child in enumerate(node.children)]
        else:
            # yaml.v3 makes map[string]interface{} only when every key is a string (or <<).
            result = {}
            self.mapping(node, result, _string_keys(node.children), path)
        self.depth -= 1
        return result

    def item(self, child: Node, path: Path, index: int) -> Any:
        if self.positions is None:
            return self.value(child, path)
        child_path = (*path, index)
        self.record(child_path, child, None)
        return self.value(child, child_path)

    def key(self, node: Node, string_keys: bool, path: Path) -> Any:
        """A mapping key decoded into ``string`` (string maps) or ``interface{}``."""
        if not string_keys:
            key = self.value(node, path)
            if isinstance(key, dict | list):
                raise self.fail("invalid map key: a mapping or sequence", node, path)
            return key
        self.count(node)
        if node.kind is SCALAR and not node.tag:  # the common case, inline (see scalar())
            text = node.value
            if node.style:
                return text
            if text != "<<":
                return _DROP if _resolve("", text)[1] is None else text
        if node.kind == ALIAS:
            return self.aliased(node, lambda target: self.key(target, True, path))
        if node.kind != SCALAR:
            raise self.fail(f"cannot unmarshal {node_tag(node)} into a string key", node, path)
        tag, value = self.scalar(node)
        if value is None:
            return _DROP
        return value if tag in (STR, BINARY) else node.value

    def check_unique(self, node: Node, path: Path) -> None:
        keys = node.children[::2]
        if len({key.value for key in keys}) == len(keys):
            return  # distinct texts: no (kind, text) pair can repeat either
        seen: dict[tuple[str, str], Node] = {}
        for key in keys:
            first = seen.setdefault((key.kind, key.value), key)
            if first is not key:
                raise self.fail(
                    f"mapping key {key.value!r} already defined at line {first.line}",
                    key,
                    (*path, key.value),
                )

    def mapping(self, node: Node, out: dict[Any, Any], string_keys: bool, path: Path) -> None:
        self.check_unique(node, path)
        merged, self.merged = self.merged, None
        merge_node: Node | None = None
        children = node.children
        for index in range(0, len(children), 2):
            key_node, value_node = children[index], children[index + 1]
            if key_node.value == "<<" and _is_merge(key_node):
                merge_node = value_node
                continue
            key = self.key(key_node, string_keys, path)
            if key is _DROP:
                continue
            if merged is not None:
                marker = (type(key), key)  # Go compares interface keys by type and value
                if marker in merged:
                    continue
                merged.add(marker)
            if not string_keys:
                key = _slot(out, key)
            if self.positions is None:
                out[key] = self.value(value_node, path)
            else:
                child_path = (*path, key)
                self.record(child_path, value_node, key_node)
                out[key] = self.value(value_node, child_path)
        self.merged = merged
        if merge_node is not None:
            self.merge(node, merge_node, out, string_keys, path)

    def merge(
        self, parent: Node, source: Node, out: dict[Any, Any], string_keys: bool, path: Path
    ) -> None:
        merged = self.merged
        if merged is None:
            keys = [self.key(key, False, path) for key in parent.children[::2]]
            self.merged = {(type(key), key) for key in keys}
        for item in source.children if source.kind == SEQUENCE else [source]:
            target = item.target if item.kind == ALIAS else item
            if target is None or target.kind != MAPPING:
                raise self.fail(
                    "map merge requires map or sequence of maps as the value", item, path
                )
            self.merge_one(item, out, string_keys, path)
        self.merged = merged

    def merge_one(self, node: Node, out: dict[Any, Any], string_keys: bool, path: Path) -> None:
        self.count(node)
        if node.kind == ALIAS:
            self.aliased(node, lambda target: self.merge_one(target, out, string_keys, path))
        else:
            self.mapping(node, out, string_keys, path)

    def record(self, path: Path, node: Node, key: Node | None) -> None:
        if self.positions is not None:
            actual = node.target if node.kind == ALIAS and node.target else node
            self.positions[path] = Position(
                node.line,
                node.column,
                key.line if key else None,
                key.column if key else None,
                actual.value if actual.kind == SCALAR else None,
            )

"""Decode services.yaml text (raw or rendered) into data plus a position per key path.

The one place the config layer talks to ``codexstack.yamlio``: the bomb, depth, tag and
duplicate-key defences live there; here the first document is decoded the way yaml.v3's
``Unmarshal`` reads it (only the first document counts) with every key's position recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codexstack.yamlio.decode import Decoder, Position
from codexstack.yamlio.nodes import Limits, compose


@dataclass(frozen=True)
class YamlSource:
    """A decoded document: ``data`` (None when empty) and ``positions`` by key path."""

    data: Any
    positions: Mapping[tuple[Any, ...], Position] = field(default_factory=dict)


def parse_yaml(text: str, file: str) -> YamlSource:
    """Decode the first YAML document of ``text``; errors name ``file``, line and column."""
    limits = Limits()
    documents = compose(text, file, limits, first_only=True)
    if not documents:
        return YamlSource(None)
    positions: dict[tuple[Any, ...], Position] = {}
    data = Decoder(file, limits.max_depth, positions).document(documents[0])
    return YamlSource(data, positions)

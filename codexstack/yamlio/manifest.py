"""Rendered manifest text → Kubernetes objects, as codexctl's ``loadManifestDocuments``.

codexctl splits a rendered manifest with a yaml.v3 ``Decoder`` and decodes each document into
``map[string]any``; documents that come out empty (blank, comment-only, ``null``, ``{}``) are
dropped, anything that is not a mapping is an error. Errors name the manifest and line.
"""

from __future__ import annotations

from typing import Any

from codexstack.yamlio.decode import Decoder
from codexstack.yamlio.nodes import Limits, compose

MANIFEST_LIMITS = Limits(max_bytes=32 * 1024 * 1024, max_depth=200, max_expanded_nodes=4_000_000)


def decode_manifests(
    text: str, source: str, limits: Limits = MANIFEST_LIMITS
) -> list[dict[str, Any]]:
    """Every non-empty document of ``text`` as a fresh ``dict`` (aliases expanded, no sharing).

    Raises :class:`codexstack.errors.ConfigError` with ``source`` and the line for invalid
    YAML, duplicate keys, non-mapping documents and broken limits.
    """
    docs: list[dict[str, Any]] = []
    for root in compose(text, source, limits):
        doc = Decoder(source, limits.max_depth, None).document(root)
        if doc:
            docs.append(doc)
    return docs

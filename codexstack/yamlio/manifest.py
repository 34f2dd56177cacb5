"""Rendered manifest text → Kubernetes objects, as codexctl's ``loadManifestDocuments``.

codexctl splits a rendered manifest with a yaml.v3 ``Decoder`` and decodes each document into
``map[string]any``; documents that come out empty (blank, comment-only, ``null``, ``{}``) are
dropped, anything that is not a mapping is an error. Errors name the manifest and line.

Known differences from yaml.v3, all deliberate or confined to malformed input: nesting is
refused beyond 200 levels (yaml.v3: 10000); a byte order mark starting a later line is an
error (yaml.v3 reads it as text); and the parser (libyaml 0.2.5) rejects a few odd inputs
yaml.v3 accepts (``[a:]`` at the end of a flow collection, tags containing ``[`` or ``,``)
and accepts a few it rejects. Whenever both accept a text, the result is identical.
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

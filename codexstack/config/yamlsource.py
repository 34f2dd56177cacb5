"""Compatibility name for callers that decode services.yaml text without the full load.

Prefer :func:`codexstack.yamlio.load_config_text` directly; :func:`parse_yaml` is the same
call (data plus positions of the first document, with yamlio's safety limits).
"""

from __future__ import annotations

from codexstack.yamlio import LoadedYAML, load_config_text


def parse_yaml(text: str, file: str) -> LoadedYAML:
    """Decode the first YAML document of ``text`` (errors name ``file``, line and column)."""
    return load_config_text(text, file)

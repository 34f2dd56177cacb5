"""YAML input and output with yaml.v3 semantics: the bottom layer of codexstack.

``load_config_text``/``load_config_file`` read configuration safely with positions;
``decode_manifests`` splits and decodes a rendered manifest stream as codexctl does;
``dump_stream`` writes documents byte-identical to codexctl's yaml.v3 output, and
``to_jsonable`` turns decoded values into JSON types for ``--output json``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack.lazy import exports

if TYPE_CHECKING:
    from codexstack.yamlio.decode import Position, format_path
    from codexstack.yamlio.emit import dump_stream, to_jsonable
    from codexstack.yamlio.guard import check_structure, stand_in, stand_in_strict
    from codexstack.yamlio.load import (
        CONFIG_LIMITS,
        LoadedYAML,
        load_config_file,
        load_config_text,
        read_text_limited,
    )
    from codexstack.yamlio.manifest import MANIFEST_LIMITS, decode_manifests
    from codexstack.yamlio.nodes import Limits
    from codexstack.yamlio.timestamp import Timestamp

_EXPORTS = {
    "Position": "decode",
    "format_path": "decode",
    "dump_stream": "emit",
    "to_jsonable": "emit",
    "check_structure": "guard",
    "stand_in": "guard",
    "stand_in_strict": "guard",
    "CONFIG_LIMITS": "load",
    "LoadedYAML": "load",
    "load_config_file": "load",
    "load_config_text": "load",
    "read_text_limited": "load",
    "MANIFEST_LIMITS": "manifest",
    "decode_manifests": "manifest",
    "Limits": "nodes",
    "Timestamp": "timestamp",
}
__all__ = [
    "CONFIG_LIMITS",
    "MANIFEST_LIMITS",
    "Limits",
    "LoadedYAML",
    "Position",
    "Timestamp",
    "check_structure",
    "decode_manifests",
    "dump_stream",
    "format_path",
    "load_config_file",
    "load_config_text",
    "read_text_limited",
    "stand_in",
    "stand_in_strict",
    "to_jsonable",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)

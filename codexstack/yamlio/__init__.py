"""YAML input and output with yaml.v3 semantics: the bottom layer of codexstack.

``load_config_text``/``load_config_file`` read configuration safely with positions;
``decode_manifests`` splits and decodes a rendered manifest stream as codexctl does;
``dump_stream`` writes documents byte-identical to codexctl's yaml.v3 output, and
``to_jsonable`` turns decoded values into JSON types for ``--output json``.
"""

from codexstack.yamlio.decode import Position, format_path
from codexstack.yamlio.emit import dump_stream, to_jsonable
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

__all__ = [
    "CONFIG_LIMITS",
    "MANIFEST_LIMITS",
    "Limits",
    "LoadedYAML",
    "Position",
    "Timestamp",
    "decode_manifests",
    "dump_stream",
    "format_path",
    "load_config_file",
    "load_config_text",
    "read_text_limited",
    "to_jsonable",
]

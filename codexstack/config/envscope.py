"""Which process variables templates see: an allow-list, not the whole environment.

codexctl hands the whole process environment to every template (``.EnvMap``, ``envOr``), so a
template — or a value spliced into one — can read any credential of the CI runner. codexstack
exposes only (issue 14, defect 3): the variables the project itself names (``envOr "X"``,
``.EnvMap.X``, ``index .EnvMap "X"``, Jinja's ``env_map.X``/``env_map["X"]``, ``envRef: X``,
found in services.yaml and its manifest files), codexctl's own families (``CODEXCTL_*``,
``CODEXSTACK_*``, ``CODEX_*``) and the CI run's (``GITHUB_*``, ``RUNNER_*``, ``CI``).
``envFiles``, ``--var-file`` and ``--vars`` are always visible in full.
``CODEXSTACK_TEMPLATE_ENV=all`` restores codexctl's behaviour. Hook steps are unaffected: they
run with the process environment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

SWITCH = "CODEXSTACK_TEMPLATE_ENV"
PREFIXES = ("CODEXCTL_", "CODEXSTACK_", "CODEX_", "GITHUB_", "RUNNER_")
NAMES = frozenset({"CI"})
_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
_REFERENCES = (
    (("envOr",), re.compile(r"envOr\s*\(?\s*[\"'`]" + _NAME)),
    (("EnvMap", "env_map"), re.compile(r"(?:EnvMap|env_map)\s*\.\s*" + _NAME)),
    (
        ("EnvMap", "env_map"),
        re.compile(r"(?:index\s+\.EnvMap\s+|env_map\s*\[\s*|EnvMap\s*\[\s*)[\"'`]" + _NAME),
    ),
    (("envRef",), re.compile(r"envRef\s*:\s*[\"']?" + _NAME)),
)
"""Each pattern with the words one of which any match contains: a text without them is not
scanned (a substring test is far cheaper than a regex that cannot skip ahead to a literal)."""


def referenced_names(texts: Iterable[str]) -> set[str]:
    """Variable names the project's own files name literally."""
    return {
        m.group(1)
        for text in texts
        for words, pattern in _REFERENCES
        if any(word in text for word in words)
        for m in pattern.finditer(text)
    }


def template_env(process_env: Mapping[str, str], referenced: set[str]) -> dict[str, str]:
    """The part of ``process_env`` templates may see (all of it when the switch says so)."""
    if process_env.get(SWITCH, "").strip().lower() == "all":
        return dict(process_env)
    return {
        name: value
        for name, value in process_env.items()
        if name in referenced or name in NAMES or name.startswith(PREFIXES)
    }

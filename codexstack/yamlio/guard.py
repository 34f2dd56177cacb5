"""The structure guard: a template value must not change the YAML structure of a rendered file.

Manifests and services.yaml are text templates, so a variable holding
``"x\\nkind: ClusterRoleBinding"`` that lands in a plain scalar would add keys, list items or
whole documents (battery S7). When some
template value contains a line break, the manifest is rendered a second time with each such
value replaced by a one-word stand-in. Identical text means no such value was used; otherwise both
renderings are decoded and their *skeletons* (document identity plus every key path, with
list positions) must agree. A line break inside a quoted scalar or a block scalar keeps the
skeleton, so legitimate multi-line values pass; structure smuggled in through a value fails.
services.yaml is guarded more strictly (:func:`stand_in_strict`): a quote or a flow indicator
closes a quoted scalar without any line break (``x'}, {run: 'touch X``), so every value carrying
a YAML indicator gets the stand-in there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from codexstack.errors import ConfigError, Location

Skeleton = tuple[tuple[str, ...], frozenset[str]]


STAND_IN = "codexstack-multiline-value"
"""What a multi-line value becomes in the check rendering: a plain scalar of one word, so the
check output is valid YAML wherever the value sat and only the template gives it structure."""


def stand_in(value: str) -> str:
    """The stand-in for ``value`` in the check rendering (one-line values stay as they are)."""
    return STAND_IN if "\n" in value or "\r" in value else value


_INDICATORS = re.compile(r"[\n\r'\"{}\[\],#:&*!|>%@`]|^[-?\s]")


def stand_in_strict(value: str) -> str:
    """The stand-in for any value that could end a scalar or start structure (services.yaml)."""
    return STAND_IN if _INDICATORS.search(value) else value


def _paths(node: Any, prefix: str) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path
            yield from _paths(value, path)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            path = f"{prefix}[{index}]"
            yield path
            yield from _paths(item, path)


def _identity(doc: Any) -> tuple[str, ...]:
    if not isinstance(doc, Mapping):
        return (type(doc).__name__,)
    meta = doc.get("metadata")
    meta = meta if isinstance(meta, Mapping) else {}
    return tuple(str(x) for x in (doc.get("apiVersion"), doc.get("kind"), meta.get("name")))


def skeleton(docs: Sequence[Any]) -> list[Skeleton]:
    """Per document: its identity and the set of key paths (values ignored)."""
    return [(_identity(doc), frozenset(_paths(doc, ""))) for doc in docs]


def _first_difference(real: list[Skeleton], check: list[Skeleton]) -> str:
    if len(real) != len(check):
        return f"{len(real)} documents instead of {len(check)}"
    for index, ((rid, rkeys), (cid, ckeys)) in enumerate(zip(real, check, strict=True)):
        if rid != cid:
            return f"document {index + 1} is {'/'.join(rid)} instead of {'/'.join(cid)}"
        extra = sorted(rkeys ^ ckeys)
        if extra:
            return f"document {index + 1} gains or loses key '{extra[0]}'"
    return ""


def _culprit(real_text: str, multiline: Mapping[str, str]) -> tuple[str | None, int | None]:
    """The value that shows up first in the output (whole, else a continuation), and its line."""
    found = [(real_text.find(v), k) for k, v in multiline.items() if v.strip() and v != STAND_IN]
    found = [(pos, name) for pos, name in found if pos >= 0]
    if found:
        pos, name = min(found)
        return name, real_text.count("\n", 0, pos) + 1
    for name, value in multiline.items():
        for line in value.splitlines()[1:]:
            pos = real_text.find(line) if line.strip() else -1
            if pos >= 0:
                return name, real_text.count("\n", 0, pos) + 1
    return None, None


def check_structure(
    source: str,
    real_text: str,
    real_docs: Sequence[Any],
    check_docs: Sequence[Any] | None,
    multiline: Mapping[str, str],
) -> None:
    """Raise :class:`ConfigError` when the two renderings differ in structure.

    ``check_docs`` is None when the check rendering is not valid YAML (so the line breaks
    made the structure). ``multiline`` maps the names of the multi-line values to their
    text; the error names the value whose continuation appears in the output, and that line
    of the rendered text.
    """
    if check_docs is None:
        difference = "the output only parses as YAML with the value in it"
    else:
        difference = _first_difference(skeleton(real_docs), skeleton(check_docs))
    if not difference:
        return
    name, line = _culprit(real_text, multiline)
    raise ConfigError(
        f"a template value changes the YAML structure ({difference}); "
        f"the line number is in the rendered output",
        location=Location(file=source, line=line, key=name or ", ".join(sorted(multiline))[:200]),
        hint="quote the value in the template (e.g. '{{ ... }}') or put it in a block scalar "
        "with indent; values must not add keys or documents",
    )

"""Accept the README's ``\\"``-quoted template actions in services.yaml (§3.2).

codexctl's README writes actions inside double-quoted YAML scalars with YAML escapes, e.g.
``"{{ envOr \\"REGISTRY_HOST\\" \\"r.local:32000\\" }}"``. codexctl renders the file *before*
YAML sees it, so Go's lexer meets ``\\"`` outside a string literal and rejects the file
(``unexpected "\\\\"``). codexstack undoes the YAML escaping inside exactly those actions
(``\\"`` -> ``"``, ``\\\\`` -> ``\\``), which is what the author meant; actions Go accepts are
never touched, so only files codexctl refuses behave differently.
"""

from __future__ import annotations

import re

_YAML_ESCAPE = re.compile(r"\\([\"\\])")


def _skip_literal(text: str, pos: int, quote: str) -> int:
    """Index just past the Go literal starting at ``pos`` (or the end of the line/text)."""
    i = pos + 1
    while i < len(text):
        char = text[i]
        if quote != "`" and char == "\\":
            i += 2
            continue
        if char == quote:
            return i + 1
        if quote != "`" and char == "\n":
            return i
        i += 1
    return i


def _scan_action(text: str, start: int) -> tuple[int, bool]:
    """End of the action opened at ``start`` and whether it has ``\\"`` outside literals."""
    i = start + 2
    body = text[i:].lstrip("- ") if text.startswith("-", i) else text[i:]
    if body.startswith("/*"):
        close = text.find("*/", i)
        end = text.find("}}", close if close >= 0 else i)
        return (len(text) if end < 0 else end + 2), False
    escaped = False
    while i < len(text):
        if text.startswith("}}", i):
            return i + 2, escaped
        char = text[i]
        if char == "\\" and text.startswith('"', i + 1):
            escaped = True
            i += 2
        elif char in "\"'`" and not escaped:
            i = _skip_literal(text, i, char)
        else:
            i += 1
    return len(text), escaped


def unescape_readme_actions(text: str) -> str:
    """``text`` with YAML escapes undone inside actions that Go would reject for them."""
    if '\\"' not in text:
        return text
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out)
        end, escaped = _scan_action(text, start)
        out.append(text[pos:start])
        action = text[start:end]
        out.append(_YAML_ESCAPE.sub(r"\1", action) if escaped else action)
        pos = end

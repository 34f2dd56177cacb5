"""How the yaml.v3 encoder writes one string: plain, single-quoted, double-quoted or literal.

This is ``encoder.stringv`` plus libyaml's ``analyze_scalar`` and ``select_scalar_style`` as
yaml.v3 patched them: a string that would read back as another type is double-quoted; one
whose plain form is not allowed (indicators, ``: ``, `` #``, edge spaces) is single-quoted
unless tabs, control or non-BMP characters force double quotes; a string with a newline
becomes a literal block unless trailing spaces or special characters forbid it. Lines are
never wrapped (yaml.v3 sets an unlimited width).
"""

from __future__ import annotations

import re
from functools import lru_cache

from codexstack.yamlio.resolve import is_plain_string

PLAIN, SINGLE, DOUBLE, LITERAL = "plain", "single", "double", "literal"
BREAKS = frozenset("\r\n\x85\u2028\u2029")
_BLANKZ = frozenset(" \t\x00") | BREAKS
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")
_ESCAPES = {
    "\x00": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
# Characters libyaml escapes in double quotes: non-printable, line breaks, '"' and '\'.
_NEEDS_ESCAPE = re.compile(
    r"[^\x20-\x21\x23-\x5b\x5d-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]"
)
_SAFE_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./=+-]*(?::[A-Za-z0-9_./=+-]+)*")


def is_printable(char: str) -> bool:
    """libyaml's ``is_printable`` as yaml.v3 has it (note: nothing beyond the BMP)."""
    code = ord(char)
    return (
        code == 0x0A
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
    )


def _escape(char: str) -> str:
    known = _ESCAPES.get(char)
    if known is not None:
        return known
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def double_quoted(text: str) -> str:
    """The double-quoted form; a leading BOM makes libyaml escape every character."""
    if text.startswith("\ufeff"):
        return '"' + "".join(map(_escape, text)) + '"'
    return '"' + _NEEDS_ESCAPE.sub(lambda match: _escape(match.group()), text) + '"'


def _analyze(text: str) -> tuple[bool, bool, bool]:
    """(block_plain_allowed, single_quoted_allowed, block_allowed) for a non-empty string."""
    indicators = text.startswith(("---", "..."))
    tabs = special = space_break = break_space = False
    previous_space = previous_break = False
    preceded_by_blank = True
    last = len(text) - 1
    for i, char in enumerate(text):
        followed_by_blank = i == last or text[i + 1] in " \t"
        if i == 0:
            if char in _FIRST_INDICATORS or (char in "?:-" and followed_by_blank):
                indicators = True
        elif (char == ":" and followed_by_blank) or (char == "#" and preceded_by_blank):
            indicators = True
        if char == "\t":
            tabs = True
        elif not is_printable(char):
            special = True
        if char == " ":
            break_space = break_space or previous_break
            previous_space, previous_break = True, False
        elif char in BREAKS:
            space_break = space_break or previous_space
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_by_blank = char in _BLANKZ
    edges = text[0] in " \r\n\x85\u2028\u2029" or text[-1] in " \r\n\x85\u2028\u2029"
    multiline = any(char in BREAKS for char in text)
    plain = not (edges or break_space or space_break or tabs or special or multiline or indicators)
    single = not (break_space or space_break or tabs or special)
    block = not (text[-1] == " " or space_break or special)
    return plain, single, block


def _select(text: str) -> str:
    if not text:
        return DOUBLE  # "" would read back as null
    plain_ok, single_ok, block_ok = _analyze(text)
    if "\n" in text:
        return LITERAL if block_ok else DOUBLE
    if not is_plain_string(text):
        return DOUBLE
    if plain_ok:
        return PLAIN
    return SINGLE if single_ok else DOUBLE


@lru_cache(maxsize=16384)
def _select_cached(text: str) -> str:
    return _select(text)


def string_style(text: str) -> str:
    """The style yaml.v3 picks for ``text`` in block context (keys and values alike)."""
    if _SAFE_PLAIN.fullmatch(text):
        return PLAIN if is_plain_string(text) else DOUBLE
    return _select_cached(text) if len(text) <= 256 else _select(text)

"""Go's ``strconv`` quoting: ``Quote``, ``QuoteRune``, ``Unquote``, ``UnquoteChar``, ``IsPrint``.

Mirrors Go 1.26 ``strconv/quote.go`` (checked by the template differential tests). Go
strings are bytes; Python strings here carry raw non-UTF-8 bytes as the
``surrogateescape`` code points U+DC80..U+DCFF, so byte-level operations (``len``, ``slice``,
``%x``, ``\\xff`` escapes) round-trip. Number parsing and float formatting live in
:mod:`codexstack.golang._numconv`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_SIMPLE_ESC = {7: r"\a", 8: r"\b", 12: r"\f", 10: r"\n", 13: r"\r", 9: r"\t", 11: r"\v"}


class SyntaxErr(ValueError):
    """strconv.ErrSyntax: ``invalid syntax``."""

    def __init__(self) -> None:
        super().__init__("invalid syntax")


def to_bytes(s: str) -> bytes:
    """The Go bytes of a model string."""
    return s.encode("utf-8", "surrogateescape")


def from_bytes(b: bytes) -> str:
    """A model string holding the Go bytes ``b`` (invalid UTF-8 kept as raw bytes)."""
    return b.decode("utf-8", "surrogateescape")


@lru_cache(maxsize=4096)
def is_print(r: int) -> bool:
    """``strconv.IsPrint``: letters, marks, numbers, punctuation, symbols and U+0020."""
    if 0x20 <= r < 0x7F:
        return True
    if r < 0xA1 or 0xD800 <= r <= 0xDFFF:
        return False
    return unicodedata.category(chr(r))[0] in "LMNPS"


def _escape_rune(out: list[str], r: int, quote: str, ascii_only: bool) -> None:
    ch = chr(r)
    if ch in (quote, "\\"):
        out.append("\\" + ch)
        return
    if 0xDC80 <= r <= 0xDCFF:  # a raw byte of invalid UTF-8
        out.append(f"\\x{r - 0xDC00:02x}")
        return
    if (r < 0x80 or not ascii_only) and is_print(r):
        out.append(ch)
        return
    if r in _SIMPLE_ESC:
        out.append(_SIMPLE_ESC[r])
    elif r < 0x20 or r == 0x7F:
        out.append(f"\\x{r:02x}")
    elif 0xD800 <= r <= 0xDFFF:
        out.append("\\ufffd")
    elif r < 0x10000:
        out.append(f"\\u{r:04x}")
    else:
        out.append(f"\\U{r:08x}")


def quote(s: str, ascii_only: bool = False) -> str:
    """``strconv.Quote`` (or ``QuoteToASCII``)."""
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return f'"{s}"'
    out = ['"']
    for ch in s:
        _escape_rune(out, ord(ch), '"', ascii_only)
    out.append('"')
    return "".join(out)


def quote_rune(r: int, ascii_only: bool = False) -> str:
    """``strconv.QuoteRune`` (invalid runes become U+FFFD)."""
    if r > 0x10FFFF or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    out = ["'"]
    _escape_rune(out, r, "'", ascii_only)
    out.append("'")
    return "".join(out)


def can_backquote(s: str) -> bool:
    """``strconv.CanBackquote``."""
    for ch in s:
        r = ord(ch)
        if ch == "`" or r == 0xFEFF or 0xDC80 <= r <= 0xDCFF:
            return False
        if (r < 0x20 and ch != "\t") or r == 0x7F:
            return False
    return True


def unquote_char(s: str, quote_ch: str) -> tuple[int, bool, str]:
    """``strconv.UnquoteChar``: (value, multibyte, tail); raises :class:`SyntaxErr`."""
    if not s:
        raise SyntaxErr
    c = s[0]
    if c == quote_ch and quote_ch in "'\"":
        raise SyntaxErr
    if ord(c) >= 0x80:
        return ord(c), True, s[1:]
    if c != "\\":
        return ord(c), False, s[1:]
    if len(s) <= 1:
        raise SyntaxErr
    c, s = s[1], s[2:]
    simple = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
    if c in simple:
        return simple[c], False, s
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        digits = s[:n]
        if len(digits) < n or any(d not in "0123456789abcdefABCDEF" for d in digits):
            raise SyntaxErr
        v = int(digits, 16)
        if c == "x":
            return v, False, s[n:]
        if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise SyntaxErr
        return v, True, s[n:]
    if c in "01234567":
        digits = c + s[:2]
        if len(digits) < 3 or any(d not in "01234567" for d in digits):
            raise SyntaxErr
        v = int(digits, 8)
        if v > 255:
            raise SyntaxErr
        return v, False, s[2:]
    if c in "'\"":
        if c != quote_ch:
            raise SyntaxErr
        return ord(c), False, s
    raise SyntaxErr


def unquote(s: str) -> str:
    """``strconv.Unquote`` for the string literals of a template."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'`":
        raise SyntaxErr
    q, body = s[0], s[1:-1]
    if q == "`":
        if "`" in body:
            raise SyntaxErr
        return body.replace("\r", "")
    if q == "'":
        value, _, tail = unquote_char(body, q)
        if tail:
            raise SyntaxErr
        return chr(value)
    if "\\" not in body and "\n" not in body and '"' not in body:
        return body
    buf = bytearray()
    while body:
        if body[0] == "\n":
            raise SyntaxErr
        value, multibyte, body = unquote_char(body, q)
        if value < 0x80 or not multibyte:
            buf.append(value) if value < 0x100 else buf.extend(chr(value).encode())
        else:
            buf.extend(chr(value).encode())
    return from_bytes(bytes(buf))

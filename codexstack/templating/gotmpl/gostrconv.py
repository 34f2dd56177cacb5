"""Go's ``strconv`` for the template engine: quoting, literal parsing, float formatting.

Go strings are bytes; Python strings here carry raw non-UTF-8 bytes as the
``surrogateescape`` code points U+DC80..U+DCFF, so byte-level operations (``len``, ``slice``,
``%x``, ``\\xff`` escapes) round-trip. The float formatter takes correctly rounded digits from
Python (``repr`` is the shortest round-trip form, as in Go; fixed precisions are exact) and
lays them out with Go's ``formatDigits`` rules, so ``%v``, ``%g``, ``%e``, ``%f`` agree
digit for digit.
"""

from __future__ import annotations

import math
import re
import struct
import unicodedata
from functools import lru_cache

_LOWERHEX = "0123456789abcdef"
_UPPERHEX = "0123456789ABCDEF"
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


def underscore_ok(s: str) -> bool:
    """Go's rule for ``_`` digit separators in a number literal."""
    saw = "^"
    i = 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    is_hex = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i, saw, is_hex = 2, "0", s[1].lower() == "x"
    for ch in s[i:]:
        if (ch.isdigit() and ch.isascii()) or (is_hex and ch.lower() in "abcdef"):
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
    return saw != "_"


_BASES = {"b": 2, "o": 8, "x": 16}


def parse_uint(s: str) -> int:
    """``strconv.ParseUint(s, 0, 64)``; raises ValueError (range or syntax)."""
    if not s:
        raise SyntaxErr
    s0, base = s, 10
    if s[0] == "0":
        if len(s) >= 3 and s[1].lower() in _BASES:
            base, s = _BASES[s[1].lower()], s[2:]
        else:
            base, s = 8, s[1:]
    digits = s.replace("_", "")
    if digits != s and not underscore_ok(s0):
        raise SyntaxErr
    if not digits and base != 8:
        raise SyntaxErr
    for ch in digits:
        if not ch.isascii() or not ch.isalnum() or int(ch, 36) >= base:
            raise SyntaxErr
    n = int(digits, base) if digits else 0
    if n >= 1 << 64:
        raise ValueError("value out of range")
    return n


def parse_int(s: str) -> int:
    """``strconv.ParseInt(s, 0, 64)``."""
    neg = s[:1] == "-"
    body = s[1:] if s[:1] in "+-" and s else s
    n = parse_uint(body)
    if (not neg and n >= 1 << 63) or (neg and n > 1 << 63):
        raise ValueError("value out of range")
    return -n if neg else n


_DEC_FLOAT = re.compile(r"[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9][0-9_]*)?")
_HEX_FLOAT = re.compile(
    r"[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9][0-9_]*"
)


def parse_float(s: str) -> float:
    """``strconv.ParseFloat(s, 64)`` for number literals; out-of-range is an error."""
    hexa = _HEX_FLOAT.fullmatch(s)
    if not hexa and not _DEC_FLOAT.fullmatch(s):
        raise SyntaxErr
    if "_" in s and not underscore_ok(s):
        raise SyntaxErr
    clean = s.replace("_", "")
    try:
        value = float.fromhex(clean) if hexa else float(clean)
    except ValueError:
        raise SyntaxErr from None
    if math.isinf(value):
        raise ValueError("value out of range")
    return value


def _digits_of(text: str) -> tuple[str, int]:
    """(significant digits without trailing zeros, decimal point position) of a decimal."""
    mant, _, exp = text.partition("e")
    whole, _, frac = mant.partition(".")
    raw = whole + frac
    stripped = raw.lstrip("0")
    dp = len(whole) + (int(exp) if exp else 0) - (len(raw) - len(stripped))
    stripped = stripped.rstrip("0")
    return stripped, (dp if stripped else 0)


def _fmt_e(neg: bool, d: str, dp: int, prec: int, ch: str) -> str:
    out = ["-" if neg else "", d[0] if d else "0"]
    if prec > 0:
        out.append("." + d[1 : prec + 1].ljust(prec, "0"))
    exp = dp - 1 if d else 0
    sign = "-" if exp < 0 else "+"
    out.append(f"{ch}{sign}{abs(exp):02d}")
    return "".join(out)


def _fmt_f(neg: bool, d: str, dp: int, prec: int) -> str:
    out = ["-" if neg else ""]
    out.append(d[:dp].ljust(dp, "0") if dp > 0 else "0")
    if prec > 0:
        frac = "".join(d[j] if 0 <= j < len(d) else "0" for j in range(dp, dp + prec))
        out.append("." + frac)
    return "".join(out)


def _format_digits(  # noqa: PLR0917 -- Go's formatDigits
    neg: bool, d: str, dp: int, prec: int, fmt: str, shortest: bool
) -> str:
    if fmt in "eE":
        return _fmt_e(neg, d, dp, prec, fmt)
    if fmt == "f":
        return _fmt_f(neg, d, dp, prec)
    nd = len(d)
    eprec = prec
    if eprec > nd >= dp:
        eprec = nd
    if shortest:
        eprec = 6
    exp = dp - 1
    if exp < -4 or exp >= eprec:
        prec = min(prec, nd)
        return _fmt_e(neg, d, dp, prec - 1, "e" if fmt == "g" else "E")
    if prec > dp:
        prec = nd
    return _fmt_f(neg, d, dp, max(prec - dp, 0))


def _fmt_b(v: float) -> str:
    bits = struct.unpack("<Q", struct.pack("<d", v))[0]
    neg, exp, mant = bits >> 63, (bits >> 52) & 0x7FF, bits & ((1 << 52) - 1)
    if exp == 0:
        exp = 1
    else:
        mant |= 1 << 52
    exp += -1023 - 52
    return f"{'-' if neg else ''}{mant}p{'+' if exp >= 0 else ''}{exp}"


def _fmt_x(v: float, prec: int, fmt: str) -> str:
    bits = struct.unpack("<Q", struct.pack("<d", v))[0]
    neg, exp, mant = bits >> 63, (bits >> 52) & 0x7FF, bits & ((1 << 52) - 1)
    if exp == 0:
        exp = 1
    else:
        mant |= 1 << 52
    exp -= 1023
    if mant == 0:
        exp = 0
    mant <<= 60 - 52
    while mant != 0 and mant & (1 << 60) == 0:
        mant <<= 1
        exp -= 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant <<= 60 - shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    digits = _LOWERHEX if fmt == "x" else _UPPERHEX
    out = ["-" if neg else "", "0", fmt, str((mant >> 60) & 1)]
    mant = (mant << 4) & ((1 << 64) - 1)
    if prec < 0 and mant != 0:
        out.append(".")
        while mant != 0:
            out.append(digits[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    elif prec > 0:
        out.append(".")
        for _ in range(prec):
            out.append(digits[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    out.append("p" if fmt == "x" else "P")
    out.append(f"{'-' if exp < 0 else '+'}{abs(exp):02d}")
    return "".join(out)


def format_float(v: float, fmt: str, prec: int) -> str:
    """``strconv.FormatFloat(v, fmt, prec, 64)`` for fmt in ``beEfgGxX``."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if fmt == "b":
        return _fmt_b(v)
    if fmt in "xX":
        return _fmt_x(v, prec, fmt)
    neg = math.copysign(1.0, v) < 0
    a = abs(v)
    shortest = prec < 0
    if shortest:
        d, dp = _digits_of(repr(a)) if a != 0 else ("", 0)
        if a != 0:
            prec = {"e": max(len(d) - 1, 0), "E": max(len(d) - 1, 0), "f": max(len(d) - dp, 0)}.get(
                fmt, len(d)
            )
    elif fmt == "f":
        d, dp = _digits_of(f"{a:.{prec}f}")
    else:
        if fmt in "gG" and prec == 0:
            prec = 1
        sig = prec if fmt in "gG" else prec + 1
        d, dp = _digits_of(f"{a:.{sig - 1}e}")
    return _format_digits(neg, d, dp, prec, fmt, shortest)

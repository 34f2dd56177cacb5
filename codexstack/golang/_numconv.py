"""Go's ``strconv`` numbers: ParseInt, ParseUint, ParseBool, ParseFloat and FormatFloat.

Mirrors Go 1.26 ``strconv`` (atoi.go, atof.go, ftoa.go), checked against the Go toolchain by
the template and yaml.v3 differential tests. Parsing follows ``ParseInt/ParseUint(s, base,
64)`` (prefixes and ``_`` separators with base 0, range errors) and ``ParseFloat`` for number
literals (hex floats, separators, overflow is an error). Formatting takes correctly rounded
digits from Python (``repr`` is the shortest round-trip form, as in Go; fixed precisions are
exact) and lays them out with Go's ``formatDigits`` rules, so ``%v``, ``%g``, ``%e``, ``%f``,
``%x`` and ``%b`` agree digit for digit. Errors are ``ValueError`` subclasses carrying Go's
messages (:class:`~codexstack.golang.SyntaxErr`, :class:`RangeErr`).
"""

from __future__ import annotations

import math
import re
import struct

from codexstack.golang._quote import SyntaxErr

_LOWERHEX = "0123456789abcdef"
_UPPERHEX = "0123456789ABCDEF"


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
MAX_INT64 = (1 << 63) - 1
MIN_INT64 = -(1 << 63)
MAX_UINT64 = (1 << 64) - 1


class RangeErr(ValueError):
    """strconv.ErrRange: ``value out of range``."""

    def __init__(self) -> None:
        super().__init__("value out of range")


def parse_uint(s: str, base: int = 0) -> int:
    """``strconv.ParseUint(s, base, 64)``; raises :class:`SyntaxErr` or :class:`RangeErr`.

    With base 0 the base comes from the prefix (``0b``, ``0o``, ``0x``, a leading ``0`` for
    octal) and ``_`` separators are allowed as in Go literals; with an explicit base neither is.
    """
    if not s:
        raise SyntaxErr
    s0, base0 = s, base == 0
    if base0:
        base = 10
        if s[0] == "0":
            if len(s) >= 3 and s[1].lower() in _BASES:
                base, s = _BASES[s[1].lower()], s[2:]
            else:
                base, s = 8, s[1:]
    elif not 2 <= base <= 36:
        raise ValueError(f"invalid base {base}")
    digits = s.replace("_", "") if base0 else s
    if digits != s and not underscore_ok(s0):
        raise SyntaxErr
    if not digits and base != 8:
        raise SyntaxErr
    for ch in digits:
        if not ch.isascii() or not ch.isalnum() or int(ch, 36) >= base:
            raise SyntaxErr
    n = int(digits, base) if digits else 0
    if n > MAX_UINT64:
        raise RangeErr
    return n


def parse_int(s: str, base: int = 0) -> int:
    """``strconv.ParseInt(s, base, 64)``: an optional sign, then :func:`parse_uint`."""
    neg = s[:1] == "-"
    body = s[1:] if s[:1] in "+-" and s else s
    n = parse_uint(body, base)
    if (not neg and n > MAX_INT64) or (neg and n > -MIN_INT64):
        raise RangeErr
    return -n if neg else n


def parse_bool(s: str) -> bool:
    """``strconv.ParseBool``: 1, t, T, TRUE, true, True and their false twins."""
    if s in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if s in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise SyntaxErr


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
        raise RangeErr
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


def _decompose(v: float) -> tuple[bool, int, int]:
    """(negative, mantissa with the implicit bit, unbiased exponent) as ``genericFtoa``."""
    bits = struct.unpack("<Q", struct.pack("<d", v))[0]
    neg, exp, mant = bool(bits >> 63), (bits >> 52) & 0x7FF, bits & ((1 << 52) - 1)
    if exp == 0:  # denormal
        exp = 1
    else:
        mant |= 1 << 52
    return neg, mant, exp - 1023


def _fmt_b(v: float) -> str:
    neg, mant, exp = _decompose(v)
    exp -= 52
    return f"{'-' if neg else ''}{mant}p{'+' if exp >= 0 else ''}{exp}"


def _fmt_x(v: float, prec: int, fmt: str) -> str:
    neg, mant, exp = _decompose(v)
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

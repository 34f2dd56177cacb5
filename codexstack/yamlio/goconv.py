"""Go ``strconv`` number parsing and formatting, as far as yaml.v3 relies on them.

yaml.v3 decides whether a plain scalar is an int or a float with ``strconv.ParseInt``,
``ParseUint`` and ``ParseFloat`` and prints floats with ``FormatFloat(f, 'g', -1, 64)``. Their
edge cases (base prefixes, legacy octal ``012``, 64-bit overflow, ``1e+06``) decide both the
decoded value and the quoting of strings on output, so they are reproduced here exactly.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

MAX_UINT64 = (1 << 64) - 1
MAX_INT64 = (1 << 63) - 1
MIN_INT64 = -(1 << 63)

_DIGIT_VALUES = {c: i for i, c in enumerate("0123456789abcdefghijklmnopqrstuvwxyz")}
_PREFIX_BASES = {"b": 2, "o": 8, "x": 16}
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", re.ASCII)
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?", re.ASCII)


def parse_uint(text: str, base: int) -> int | None:
    """``strconv.ParseUint(text, base, 64)``; ``None`` on any syntax or range error.

    Underscores are never passed in (yaml.v3 strips them first), so they are simply invalid.
    """
    if not text:
        return None
    if base == 0:
        base = 10
        if text[0] == "0":
            prefix_base = _PREFIX_BASES.get(text[1:2].lower()) if len(text) >= 3 else None
            if prefix_base is not None:
                base, text = prefix_base, text[2:]
            else:
                base, text = 8, text[1:]
    value = 0
    for char in text:
        digit = _DIGIT_VALUES.get(char.lower()) if char.isascii() else None
        if digit is None or digit >= base:
            return None
        value = value * base + digit
    return value if value <= MAX_UINT64 else None


def parse_int(text: str, base: int) -> int | None:
    """``strconv.ParseInt(text, base, 64)``; ``None`` on any syntax or range error."""
    if not text:
        return None
    negative = text[0] == "-"
    if text[0] in "+-":
        text = text[1:]
    magnitude = parse_uint(text, base)
    if magnitude is None:
        return None
    value = -magnitude if negative else magnitude
    return value if MIN_INT64 <= value <= MAX_INT64 else None


def parse_float(text: str) -> float | None:
    """``strconv.ParseFloat(text, 64)`` for the decimal forms yaml.v3 hands it.

    Callers pass either a ``.5``-style text or one matching yaml.v3's ``yamlStyleFloat``;
    Go reports overflow to infinity as an error, so that is ``None`` here too.
    """
    if not (_DECIMAL_FLOAT.fullmatch(text) or _DOT_FLOAT.fullmatch(text)):
        return None
    value = float(text)
    return None if math.isinf(value) else value


def is_yaml_style_float(text: str) -> bool:
    """yaml.v3's ``yamlStyleFloat`` regular expression."""
    return _DECIMAL_FLOAT.fullmatch(text) is not None


def format_float(value: float) -> str:
    """``strconv.FormatFloat(value, 'g', -1, 64)`` with yaml.v3's names for inf and NaN."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0"
    # repr() yields the shortest round-tripping digits, the same digits Go's shortest mode picks.
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    assert isinstance(exponent, int)
    point = len(digit_tuple) + exponent  # position of the decimal point within digits
    exp10 = point - 1
    if exp10 < -4 or exp10 >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp10 < 0 else '+'}{abs(exp10):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"

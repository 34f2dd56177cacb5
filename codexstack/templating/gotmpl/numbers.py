"""Number and character literals of the Go template dialect (``parse.newNumber``).

A literal such as ``1``, ``0x1F``, ``1_000``, ``1.5e3``, ``'a'`` or ``2i`` can mean several
things at once; Go records every interpretation (int, uint, float, complex) and lets the
consumer pick: a function parameter of type ``int`` takes the int value, an ``interface {}``
argument the "ideal constant" (:func:`ideal_constant`).
"""

from __future__ import annotations

import math

from codexstack.golang import SyntaxErr, parse_float, parse_int, parse_uint, quote, unquote_char
from codexstack.templating.gotmpl import lexer as L
from codexstack.templating.gotmpl.nodes import NumberValue

_I64 = 1 << 63
_U64 = 1 << 64


def _fits_int64(f: float) -> bool:
    """``float64(int64(f)) == f`` on amd64."""
    return math.isfinite(f) and f == int(f) and -_I64 <= f < _I64


def _fits_uint64(f: float) -> bool:
    """``float64(uint64(f)) == f`` on amd64."""
    return math.isfinite(f) and f == int(f) and 0 <= f < _U64


def _simplify_complex(n: NumberValue) -> None:
    n.is_float = n.complex128.imag == 0
    if n.is_float:
        n.float64 = n.complex128.real
        n.is_int = _fits_int64(n.float64)
        if n.is_int:
            n.int64 = int(n.float64)
        n.is_uint = _fits_uint64(n.float64)
        if n.is_uint:
            n.uint64 = int(n.float64)


def _split_complex(text: str) -> complex:
    for k in range(len(text) - 1, 0, -1):
        if text[k] in "+-" and text[k - 1] not in "eEpP":
            return complex(parse_float(text[:k]), parse_float(text[k:-1]))
    raise SyntaxErr


def parse_number(text: str, typ: int) -> NumberValue:
    """All interpretations of a number token; ValueError carries Go's message."""
    n = NumberValue()
    if typ == L.CHAR_CONSTANT:
        value, _, tail = unquote_char(text[1:], text[0])
        if tail != "'":
            raise ValueError(f"malformed character constant: {text}")
        n.is_int = n.is_uint = n.is_float = True
        n.int64 = n.uint64 = value
        n.float64 = float(value)
        return n
    if typ == L.COMPLEX:
        try:
            n.complex128 = _split_complex(text)
        except ValueError:
            raise ValueError("expected integer") from None
        n.is_complex = True
        _simplify_complex(n)
        return n
    if text.endswith("i"):
        try:
            n.complex128 = complex(0, parse_float(text[:-1]))
        except ValueError:
            pass
        else:
            n.is_complex = True
            _simplify_complex(n)
            return n
    _parse_real(n, text)
    if not (n.is_int or n.is_uint or n.is_float):
        raise ValueError(f"illegal number syntax: {quote(text)}")
    return n


def _parse_real(n: NumberValue, text: str) -> None:
    try:
        n.uint64 = parse_uint(text)
        n.is_uint = True
    except ValueError:
        pass
    try:
        n.int64 = parse_int(text)
        n.is_int = True
        if n.int64 == 0:
            n.is_uint = True
    except ValueError:
        pass
    if n.is_int:
        n.is_float, n.float64 = True, float(n.int64)
    elif n.is_uint:
        n.is_float, n.float64 = True, float(n.uint64)
    else:
        try:
            f = parse_float(text)
        except ValueError:
            return
        if not any(c in text for c in ".eEpP"):
            raise ValueError(f"integer overflow: {quote(text)}")
        n.is_float, n.float64 = True, f
        if _fits_int64(f):
            n.is_int, n.int64 = True, int(f)
        if _fits_uint64(f):
            n.is_uint, n.uint64 = True, int(f)


def is_ideal_float(text: str) -> bool:
    """Whether an untyped constant reads as a float (``1.0``, ``1e3``; not ``0x1F``, ``'a'``)."""
    is_hex_int = (
        len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")
    )
    is_rune = text[:1] == "'"
    return not is_hex_int and not is_rune and any(c in text for c in ".eEpP")

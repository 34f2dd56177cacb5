"""Scalar resolution: what a plain YAML scalar means, exactly as yaml.v3's ``resolve``.

One function serves both directions. Decoding asks "which tag and value does this scalar
have" (``0x10`` is the int 16, ``yes`` stays a string, ``2024-01-01`` is a timestamp).
Encoding asks "would this string read back as something else if written plain", which is
why :func:`needs_quotes` adds yaml.v3's YAML 1.1 compatibility forms (``yes``/``on``,
sexagesimal ``1:20``) on top.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, TypeVar

from codexstack.golang import parse_float, parse_int, parse_uint
from codexstack.yamlio.timestamp import parse_timestamp

NULL, BOOL, STR, INT, FLOAT = "!!null", "!!bool", "!!str", "!!int", "!!float"
TIMESTAMP, SEQ, MAP, BINARY, MERGE = "!!timestamp", "!!seq", "!!map", "!!binary", "!!merge"
LONG_PREFIX = "tag:yaml.org,2002:"
RESOLVABLE = frozenset({"", STR, BOOL, INT, FLOAT, NULL, TIMESTAMP})

_SIGN, _DIGIT, _MAPPED, _DOT = "S", "D", "M", "."
_HINTS = {"+": _SIGN, "-": _SIGN, ".": _DOT}
_HINTS.update(dict.fromkeys("0123456789", _DIGIT))
_HINTS.update(dict.fromkeys("yYnNtTfFoO~", _MAPPED))

_MAPPED_VALUES: dict[str, tuple[str, Any]] = {"<<": (MERGE, "<<")}
for _words, _item in (
    (("true", "True", "TRUE"), (BOOL, True)),
    (("false", "False", "FALSE"), (BOOL, False)),
    (("", "~", "null", "Null", "NULL"), (NULL, None)),
    ((".nan", ".NaN", ".NAN"), (FLOAT, math.nan)),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), (FLOAT, math.inf)),
    (("-.inf", "-.Inf", "-.INF"), (FLOAT, -math.inf)),
):
    _MAPPED_VALUES.update(dict.fromkeys(_words, _item))

_OLD_BOOLS = frozenset(
    (
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "on",
        "On",
        "ON",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "off",
        "Off",
        "OFF",
    )
)
_T = TypeVar("_T")
_YAML_STYLE_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", re.ASCII
)
"""yaml.v3's ``yamlStyleFloat``: the only texts it hands to ``ParseFloat`` after an int failed."""
_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?", re.ASCII)


class ResolveError(ValueError):
    """An explicitly tagged scalar cannot have that tag (``!!int abc``)."""


def short_tag(tag: str) -> str:
    """yaml.v3's ``shortTag``: ``tag:yaml.org,2002:str`` → ``!!str``; others unchanged."""
    return "!!" + tag[len(LONG_PREFIX) :] if tag.startswith(LONG_PREFIX) else tag


def _go(parse: Callable[..., _T], *args: Any) -> _T | None:
    """A Go ``strconv`` parse (``codexstack.golang.numconv``), None where Go returns an error."""
    try:
        return parse(*args)
    except ValueError:
        return None


def _prefixed_int(plain: str) -> int | None:
    # The 0b/0o branches run after ParseInt(base 0) failed, so "0b-1" reads as -1 here.
    for prefix, base in (("0b", 2), ("0o", 8)):
        if plain.startswith(prefix):
            return _go(parse_int, plain[2:], base)
        if plain.startswith("-" + prefix):
            return _go(parse_int, "-" + plain[3:], base)
    return None


def _resolve_number(text: str, tag: str) -> tuple[str, Any] | None:
    if tag in ("", TIMESTAMP):
        stamp = parse_timestamp(text)
        if stamp is not None:
            return TIMESTAMP, stamp
    plain = text.replace("_", "")
    number = _go(parse_int, plain, 0)
    if number is None:
        number = _go(parse_uint, plain, 0)
    if number is not None:
        return INT, number
    if _YAML_STYLE_FLOAT.fullmatch(plain):
        value = _go(parse_float, plain)
        if value is not None:
            return FLOAT, value
    number = _prefixed_int(plain)
    return (INT, number) if number is not None else None


def _resolve_plain(text: str, tag: str) -> tuple[str, Any]:
    hint = _HINTS.get(text[0]) if text else _MAPPED
    if hint is None:
        return STR, text
    mapped = _MAPPED_VALUES.get(text)
    if mapped is not None:
        return mapped
    if hint == _DOT:
        value = _go(parse_float, text)
        if value is not None:
            return FLOAT, value
    elif hint in (_DIGIT, _SIGN):
        found = _resolve_number(text, tag)
        if found is not None:
            return found
    return STR, text


def resolve(tag: str, text: str) -> tuple[str, Any]:
    """yaml.v3 ``resolve(tag, in)``: the resolved short tag and Python value.

    ``tag`` is the short explicit tag or ``""``. Raises :class:`ResolveError` when an
    explicit resolvable tag does not fit the text, as yaml.v3 does.
    """
    if tag not in RESOLVABLE:
        return tag, text
    if tag == STR:
        return STR, text
    rtag, value = _resolve_plain(text, tag)
    if tag in ("", rtag):
        return rtag, value
    if tag == FLOAT and rtag == INT:
        return FLOAT, float(value)
    raise ResolveError(f"cannot decode {rtag} `{text}` as a {tag}")


def is_plain_string(text: str) -> bool:
    """True when ``text`` written plain reads back as the same string (no type change)."""
    if text and text[0] not in _HINTS:
        return True  # fast path: no resolvable, old-bool or base-60 form starts like this
    if _resolve_plain(text, "")[0] != STR or text in _OLD_BOOLS:
        return False
    return not (":" in text and _BASE60_FLOAT.fullmatch(text))

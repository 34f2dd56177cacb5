"""Mapping key order of the yaml.v3 encoder (``keyList.Less`` in sorter.go).

Strings use yaml.v3's "natural" order: letters by code point, a letter against a non-letter
decided by whether the common run so far ended in a digit, digit runs compared as numbers
(a non-digit counts as 0), a proper prefix first. Keys of other types (only possible in
nested maps with non-string keys) sort numbers and booleans by value, then by Go kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cmp_to_key, lru_cache
from typing import Any

from codexstack.yamlio.timestamp import Timestamp

_INT64 = 1 << 64
# reflect.Kind numbers, which break ties between keys of different Go types.
_BOOL, _INT, _UINT, _FLOAT, _NIL, _STRING, _STRUCT = 1, 2, 11, 14, 20, 24, 25


@dataclass(frozen=True)
class TypedKey:
    """A non-string key that Python would merge with another of a different Go type.

    Go keeps ``1``, ``1.0`` and ``true`` apart in a ``map[interface{}]interface{}``; Python's
    dict does not. The decoder wraps the later key in this (only on such a collision).
    """

    value: Any

    def __hash__(self) -> int:
        return hash((type(self.value), self.value))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TypedKey)
            and type(other.value) is type(self.value)
            and other.value == self.value
        )


def unwrap(key: Any) -> Any:
    return key.value if isinstance(key, TypedKey) else key


def _wrap64(value: int) -> int:
    value %= _INT64
    return value - _INT64 if value >= _INT64 >> 1 else value


def _digit_run(text: str, start: int, value: int) -> tuple[int, int]:
    end = start
    while end < len(text) and text[end].isdecimal():
        value = value * 10 + ord(text[end]) - 48
        end += 1
    return _wrap64(value), end


def string_less(a: str, b: str) -> bool:
    """yaml.v3 natural order of two strings."""
    digits = False
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            digits = ca.isdecimal()
            continue
        a_letter, b_letter = ca.isalpha(), cb.isalpha()
        if a_letter and b_letter:
            return ca < cb
        if a_letter or b_letter:
            return a_letter if digits else b_letter
        start = 0
        if ca == "0" or cb == "0":
            # A zero continuing a non-zero digit run is an ordinary digit, not a leading zero.
            j = i - 1
            while j >= 0 and a[j].isdecimal() and a[j] == "0":
                j -= 1
            start = 1 if j >= 0 and a[j].isdecimal() else 0
        a_number, a_end = _digit_run(a, i, start)
        b_number, b_end = _digit_run(b, i, start)
        if a_number != b_number:
            return a_number < b_number
        if a_end != b_end:
            return a_end < b_end
        return ca < cb
    return len(a) < len(b)


def _string_cmp(a: str, b: str) -> int:
    return -1 if string_less(a, b) else (1 if string_less(b, a) else 0)


@lru_cache(maxsize=4096)
def _sorted_strings(keys: tuple[str, ...]) -> tuple[str, ...]:
    if all(key.isalpha() for key in keys):
        return tuple(sorted(keys))  # letters only: natural order is code-point order
    return tuple(sorted(keys, key=cmp_to_key(_string_cmp)))


def _kind(key: Any) -> tuple[int, float | None]:
    if isinstance(key, bool):
        return _BOOL, float(key)
    if isinstance(key, int):
        return (_INT if key < (1 << 63) else _UINT), float(key)
    if isinstance(key, float):
        return _FLOAT, key
    if isinstance(key, str | bytes):
        return _STRING, None
    return (_STRUCT if isinstance(key, Timestamp) else _NIL), None


def _text(key: str | bytes) -> str:
    return key if isinstance(key, str) else key.decode("utf-8", "surrogateescape")


def _any_less(a: Any, b: Any) -> bool:
    a, b = unwrap(a), unwrap(b)
    (a_kind, a_number), (b_kind, b_number) = _kind(a), _kind(b)
    if a_number is not None and b_number is not None:
        if a_number != b_number:
            return a_number < b_number
        return a_kind < b_kind if a_kind != b_kind else bool(a < b)
    if a_kind != _STRING or b_kind != _STRING:
        return a_kind < b_kind
    return string_less(_text(a), _text(b))


def _any_cmp(a: Any, b: Any) -> int:
    return -1 if _any_less(a, b) else (1 if _any_less(b, a) else 0)


def sorted_keys(keys: Iterable[Any]) -> list[Any]:
    """The keys of one mapping in yaml.v3 encoder order."""
    key_tuple = tuple(keys)
    if all(type(key) is str for key in key_tuple):
        return list(_sorted_strings(key_tuple))
    return sorted(key_tuple, key=cmp_to_key(_any_cmp))

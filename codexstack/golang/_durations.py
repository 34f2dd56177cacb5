"""Go duration strings (``time.ParseDuration``) as used by codexctl's timeouts.

``codex.timeouts.*`` and hook ``timeout`` are Go duration strings such as ``60m``, ``1200s``
or ``1h30m``. This module parses them with Go's grammar (a sequence of decimal numbers with
units ``ns us µs ms s m h``, optional sign, ``0`` alone allowed) and formats seconds back into
Go's ``Duration.String`` form, which codexctl passes on to kubectl (``10m0s``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_UNITS_NS: dict[str, int] = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,  # U+00B5 micro sign
    "μs": 1_000,  # U+03BC greek mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
}
_PART = re.compile(r"(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)")
_MAX_NS = (1 << 63) - 1


class DurationError(ValueError):
    """The text is not a Go duration."""


def parse_duration_ns(text: str) -> int:
    """Parse a Go duration into nanoseconds, exactly as ``time.ParseDuration`` accepts it."""
    s = text
    sign = 1
    if s[:1] in ("+", "-"):
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise DurationError(f"invalid duration {text!r}")
    total = Decimal(0)
    pos = 0
    while pos < len(s):
        match = _PART.match(s, pos)
        if not match or match.group(1) in ("", "."):
            raise DurationError(f"invalid duration {text!r}")
        try:
            number = Decimal(match.group(1))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
            raise DurationError(f"invalid duration {text!r}") from exc
        total += number * _UNITS_NS[match.group(2)]
        pos = match.end()
    if total > _MAX_NS:
        raise DurationError(f"invalid duration {text!r}: out of range")
    return sign * int(total)


def parse_duration(text: str) -> float:
    """Parse a Go duration into seconds (float)."""
    return parse_duration_ns(text) / 1e9


def is_duration(text: str) -> bool:
    """Whether ``text`` parses as a Go duration."""
    try:
        parse_duration_ns(text)
    except DurationError:
        return False
    return True


def format_duration(seconds: float) -> str:
    """Go's ``Duration.String`` for whole-second and larger values (``600`` -> ``10m0s``)."""
    ns = round(seconds * 1e9)
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size:
                return sign + _trim(Decimal(ns) / size) + unit
    hours, rest = divmod(ns, 3600 * 1_000_000_000)
    minutes, rest = divmod(rest, 60 * 1_000_000_000)
    secs = _trim(Decimal(rest) / 1_000_000_000)
    if hours:
        return f"{sign}{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{sign}{minutes}m{secs}s"
    return f"{sign}{secs}s"


def _trim(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text

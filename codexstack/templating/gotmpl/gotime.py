"""Go's ``time.Time`` for templates: ``.Now``, ``now``, ``.Format``, ``.Unix``, ``.UTC``, ``.Year``.

A :class:`GoTime` is an instant (Unix seconds + nanoseconds) with a fixed zone (offset and
name; codexctl only ever uses UTC). It prints as Go does (``2006-01-02 15:04:05.999999999
-0700 MST``) and formats with Go reference layouts: :func:`format` is a port of
``time.Time.Format`` (``nextStdChunk`` + ``appendFormat``), including ``_2``, ``002``,
``.000``/``.999``, ``Z07:00`` and friends. Civil dates use integer arithmetic, so every year
Go can represent works.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from codexstack.templating.gotmpl import types as T
from codexstack.templating.gotmpl.gostrconv import quote
from codexstack.templating.gotmpl.values import (
    GoFunc,
    GoPtr,
    GoStruct,
    Int64,
    NilPtr,
    Uint64,
    register_struct_zero,
)

TIME = T.struct_type([], name="time.Time")
_LOCATION = T.ptr_to(T.struct_type([], name="time.Location"))
_LOCAL_PTR = GoPtr(GoStruct(T.struct_type([], name="time.Location")))

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_ZERO_UNIX = -62135596800  # 0001-01-01T00:00:00Z


class GoTime:
    """An instant with a fixed zone; immutable."""

    __slots__ = ("nsec", "offset", "sec", "zone")
    gotype = TIME

    def __init__(self, sec: int, nsec: int = 0, *, offset: int = 0, zone: str = "UTC") -> None:
        self.sec = sec + nsec // 1_000_000_000
        self.nsec = nsec % 1_000_000_000
        self.offset = offset
        self.zone = zone

    @classmethod
    def from_datetime(cls, when: _dt.datetime) -> GoTime:
        """A GoTime from an aware datetime (naive ones are taken as UTC)."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=_dt.UTC)
        delta = when - _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
        sec = delta.days * 86400 + delta.seconds
        off = when.utcoffset() or _dt.timedelta(0)
        zone = "UTC" if not off else (when.tzname() or "")
        return cls(sec, delta.microseconds * 1000, offset=int(off.total_seconds()), zone=zone)

    def utc(self) -> GoTime:
        return GoTime(self.sec, self.nsec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoTime) and (self.sec, self.nsec, self.offset, self.zone) == (
            other.sec,
            other.nsec,
            other.offset,
            other.zone,
        )

    def __hash__(self) -> int:
        return hash((self.sec, self.nsec))

    def __repr__(self) -> str:
        return f"GoTime({self})"

    def __str__(self) -> str:
        return format_time(self, "2006-01-02 15:04:05.999999999 -0700 MST")

    def struct_fields(self) -> list[tuple[str, Any]]:
        """time.Time's private fields (wall, ext, loc), as ``%d`` and friends print them."""
        loc: Any = NilPtr(_LOCATION) if self.zone == "UTC" and not self.offset else _LOCAL_PTR
        return [("wall", Uint64(self.nsec)), ("ext", Int64(self.sec - _ZERO_UNIX)), ("loc", loc)]

    def go_string(self) -> str:
        """``%#v``: ``time.Date(2023, time.November, 14, 22, 13, 20, 123456789, time.UTC)``."""
        year, month, day, hour, minute, sec, _, _ = self.civil()
        zone = (
            "time.UTC"
            if self.zone == "UTC" and not self.offset
            else f"time.Location({quote(self.zone)})"
        )
        return (
            f"time.Date({year}, time.{_MONTHS[month - 1]}, {day}, {hour}, {minute}, {sec}, "
            f"{self.nsec}, {zone})"
        )

    def civil(self) -> tuple[int, int, int, int, int, int, int, int]:
        """(year, month, day, hour, minute, second, weekday, yearday) in the time's zone."""
        local = self.sec + self.offset
        days, secs = divmod(local, 86400)
        year, month, day = _civil_from_days(days)
        weekday = (days + 4) % 7
        yday = days - _days_from_civil(year, 1, 1) + 1
        return year, month, day, secs // 3600, secs // 60 % 60, secs % 60, weekday, yday


def _civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _int(x: int, width: int) -> str:
    return ("-" if x < 0 else "") + str(abs(x)).rjust(width, "0")


_TZ_STD = {
    "Z070000": "iso_s",
    "Z07:00:00": "iso_cs",
    "Z0700": "iso",
    "Z07:00": "iso_c",
    "Z07": "iso_short",
    "-070000": "num_s",
    "-07:00:00": "num_cs",
    "-0700": "num",
    "-07:00": "num_c",
    "-07": "num_short",
}
_STD0X = {"1": "01", "2": "02", "3": "03", "4": "04", "5": "05", "6": "06"}


def _next_chunk(layout: str) -> tuple[str, str, str]:
    """``nextStdChunk``: (literal prefix, std code, rest); code "" when none is left."""
    n = len(layout)
    for i, c in enumerate(layout):
        rest = layout[i:]
        if c == "J" and rest.startswith("Jan"):
            if rest.startswith("January"):
                return layout[:i], "January", layout[i + 7 :]
            if not rest[3:4].islower() or not rest[3:4].isascii():
                return layout[:i], "Jan", layout[i + 3 :]
        elif c == "M" and n >= i + 3:
            if rest.startswith("Mon"):
                if rest.startswith("Monday"):
                    return layout[:i], "Monday", layout[i + 6 :]
                if not rest[3:4].islower() or not rest[3:4].isascii():
                    return layout[:i], "Mon", layout[i + 3 :]
            if rest.startswith("MST"):
                return layout[:i], "MST", layout[i + 3 :]
        elif c == "0":
            if rest[1:2] in _STD0X:
                return layout[:i], _STD0X[rest[1]], layout[i + 2 :]
            if rest.startswith("002"):
                return layout[:i], "002", layout[i + 3 :]
        elif c == "1":
            if rest.startswith("15"):
                return layout[:i], "15", layout[i + 2 :]
            return layout[:i], "1", layout[i + 1 :]
        elif c == "2":
            if rest.startswith("2006"):
                return layout[:i], "2006", layout[i + 4 :]
            return layout[:i], "2", layout[i + 1 :]
        elif c == "_":
            if rest.startswith("_2"):
                if rest.startswith("_2006"):
                    return layout[: i + 1], "2006", layout[i + 5 :]
                return layout[:i], "_2", layout[i + 2 :]
            if rest.startswith("__2"):
                return layout[:i], "__2", layout[i + 3 :]
        elif c in "345":
            return layout[:i], c, layout[i + 1 :]
        elif (c == "P" and rest.startswith("PM")) or (c == "p" and rest.startswith("pm")):
            return layout[:i], rest[:2], layout[i + 2 :]
        elif c in "-Z":
            for pattern in _TZ_STD:
                if pattern[0] == c and rest.startswith(pattern):
                    return layout[:i], pattern, layout[i + len(pattern) :]
        elif c in ".," and rest[1:2] in ("0", "9"):
            j = i + 1
            while j < n and layout[j] == rest[1]:
                j += 1
            if not (j < n and "0" <= layout[j] <= "9"):
                return layout[:i], f"frac{rest[1]}{c}{j - i - 1}", layout[j:]
    return layout, "", ""


def _zone(t: GoTime, code: str) -> str:
    kind = _TZ_STD[code]
    if t.offset == 0 and kind.startswith("iso"):
        return "Z"
    zone = t.offset // 60 if t.offset >= 0 else -((-t.offset) // 60)
    absoff = abs(t.offset)
    out = "-" if zone < 0 else "+"
    zone = abs(zone)
    out += _int(zone // 60, 2)
    if kind.endswith("_c") or kind.endswith("_cs"):
        out += ":"
    if not kind.endswith("short"):
        out += _int(zone % 60, 2)
    if kind.endswith("_s") or kind.endswith("_cs"):
        out += (":" if kind.endswith("_cs") else "") + _int(absoff % 60, 2)
    return out


def _frac(nsec: int, code: str) -> str:
    trim, sep, digits = code[4] == "9", code[5], int(code[6:])
    if trim and (digits == 0 or nsec == 0):
        return ""
    text = _int(nsec, 9)
    if digits < 9:
        text = text[:digits]
    out = sep + text
    if trim:
        out = out.rstrip("0")
        if out == sep:
            return ""
    return out


def format_time(t: GoTime, layout: str) -> str:
    """``t.Format(layout)`` with Go's reference-time layout language."""
    year, month, day, hour, minute, sec, weekday, yday = t.civil()
    hour12 = hour % 12 or 12
    fields: dict[str, str] = {
        "2006": _int(year, 4),
        "06": _int(abs(year) % 100, 2),
        "Jan": _MONTHS[month - 1][:3],
        "January": _MONTHS[month - 1],
        "1": str(month),
        "01": _int(month, 2),
        "Mon": _DAYS[weekday][:3],
        "Monday": _DAYS[weekday],
        "2": str(day),
        "_2": (" " if day < 10 else "") + str(day),
        "02": _int(day, 2),
        "__2": " " * (yday < 100) + " " * (yday < 10) + str(yday),
        "002": _int(yday, 3),
        "15": _int(hour, 2),
        "3": str(hour12),
        "03": _int(hour12, 2),
        "4": str(minute),
        "04": _int(minute, 2),
        "5": str(sec),
        "05": _int(sec, 2),
        "PM": "PM" if hour >= 12 else "AM",
        "pm": "pm" if hour >= 12 else "am",
    }
    out: list[str] = []
    while layout:
        prefix, code, layout = _next_chunk(layout)
        out.append(prefix)
        if not code:
            break
        if code in fields:
            out.append(fields[code])
        elif code == "MST":
            out.append(t.zone or _zone(t, "-0700"))
        elif code.startswith("frac"):
            out.append(_frac(t.nsec, code))
        else:
            out.append(_zone(t, code))
    return "".join(out)


def _method(name: str, fn: Any, params: list[T.GoType], result: T.GoType) -> None:
    TIME.add_method(name, GoFunc(name, fn, [TIME, *params], result))


_method("Format", format_time, [T.STRING], T.STRING)
_method("String", str, [], T.STRING)
_method("GoString", GoTime.go_string, [], T.STRING)
_method("Unix", lambda t: Int64(t.sec), [], T.INT64)
_method("UnixMilli", lambda t: Int64(t.sec * 1000 + t.nsec // 1_000_000), [], T.INT64)
_method("UnixNano", lambda t: Int64(t.sec * 1_000_000_000 + t.nsec), [], T.INT64)
_method("UTC", GoTime.utc, [], TIME)
_method("Year", lambda t: t.civil()[0], [], T.INT)
_method("Day", lambda t: t.civil()[2], [], T.INT)
_method("Hour", lambda t: t.civil()[3], [], T.INT)
_method("Minute", lambda t: t.civil()[4], [], T.INT)
_method("Second", lambda t: t.civil()[5], [], T.INT)
_method("YearDay", lambda t: t.civil()[7], [], T.INT)
_method("Nanosecond", lambda t: t.nsec, [], T.INT)
_method("IsZero", lambda t: t.sec == _ZERO_UNIX and t.nsec == 0, [], T.BOOL)
register_struct_zero(TIME, lambda: GoTime(_ZERO_UNIX))

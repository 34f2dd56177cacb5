"""Go's ``time.Time`` as a value: an instant with a fixed zone, civil fields and ``Format``.

Mirrors Go 1.26 ``time`` (format.go ``nextStdChunk`` + ``appendFormat``, ``Time.String``):
:class:`Time` is an instant (Unix seconds + nanoseconds) with a fixed zone (offset and name;
codexctl only ever uses UTC) and :func:`format_time` formats it with Go reference layouts,
including ``_2``, ``002``, ``.000``/``.999``, ``Z07:00`` and friends. Civil dates use integer
arithmetic, so every year Go can represent works (Python's ``datetime`` has no year 0). The
template engine's ``GoTime`` and yaml.v3's timestamps are both built on it.
"""

from __future__ import annotations

import datetime as _dt
from typing import Self

MONTHS = (
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
DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
ZERO_UNIX = -62135596800  # 0001-01-01T00:00:00Z, Go's zero Time
RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00"
STRING_LAYOUT = "2006-01-02 15:04:05.999999999 -0700 MST"
_DAYS_IN = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Time:
    """An instant with a fixed zone; immutable."""

    __slots__ = ("nsec", "offset", "sec", "zone")

    def __init__(self, sec: int, nsec: int = 0, *, offset: int = 0, zone: str = "UTC") -> None:
        self.sec = sec + nsec // 1_000_000_000
        self.nsec = nsec % 1_000_000_000
        self.offset = offset
        self.zone = zone

    @classmethod
    def from_civil(  # noqa: PLR0917 -- time.Date's argument list
        cls,
        year: int,
        month: int,
        day: int,
        hour: int = 0,
        minute: int = 0,
        second: int = 0,
        nsec: int = 0,
        offset: int = 0,
    ) -> Self:
        """``time.Date`` in a fixed zone ``offset`` seconds east of UTC (zone name empty)."""
        days = days_from_civil(year, month, day)
        sec = days * 86400 + hour * 3600 + minute * 60 + second - offset
        return cls(sec, nsec, offset=offset, zone="UTC" if offset == 0 else "")

    @classmethod
    def from_datetime(cls, when: _dt.datetime) -> Self:
        """A GoTime from an aware datetime (naive ones are taken as UTC)."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=_dt.UTC)
        delta = when - _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
        sec = delta.days * 86400 + delta.seconds
        off = when.utcoffset() or _dt.timedelta(0)
        zone = "UTC" if not off else (when.tzname() or "")
        return cls(sec, delta.microseconds * 1000, offset=int(off.total_seconds()), zone=zone)

    def utc(self) -> Self:
        return type(self)(self.sec, self.nsec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Time) and (self.sec, self.nsec, self.offset, self.zone) == (
            other.sec,
            other.nsec,
            other.offset,
            other.zone,
        )

    def __hash__(self) -> int:
        return hash((self.sec, self.nsec))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self})"

    def __str__(self) -> str:
        return format_time(self, STRING_LAYOUT)

    def civil(self) -> tuple[int, int, int, int, int, int, int, int]:
        """(year, month, day, hour, minute, second, weekday, yearday) in the time's zone."""
        local = self.sec + self.offset
        days, secs = divmod(local, 86400)
        year, month, day = civil_from_days(days)
        weekday = (days + 4) % 7
        yday = days - days_from_civil(year, 1, 1) + 1
        return year, month, day, secs // 3600, secs // 60 % 60, secs % 60, weekday, yday


def civil_from_days(z: int) -> tuple[int, int, int]:
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


def days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def days_in(month: int, year: int) -> int:
    """Days of ``month`` in ``year`` (proleptic Gregorian, as Go's ``daysIn``)."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _DAYS_IN[month - 1]


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


def _zone(t: Time, code: str) -> str:
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


def format_time(t: Time, layout: str) -> str:
    """``t.Format(layout)`` with Go's reference-time layout language."""
    year, month, day, hour, minute, sec, weekday, yday = t.civil()
    hour12 = hour % 12 or 12
    fields: dict[str, str] = {
        "2006": _int(year, 4),
        "06": _int(abs(year) % 100, 2),
        "Jan": MONTHS[month - 1][:3],
        "January": MONTHS[month - 1],
        "1": str(month),
        "01": _int(month, 2),
        "Mon": DAYS[weekday][:3],
        "Monday": DAYS[weekday],
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

"""YAML timestamps the way yaml.v3 reads and writes them (Go ``time.Parse``/RFC 3339).

yaml.v3 turns an unquoted scalar into a ``time.Time`` when one of four Go layouts parses it
(``2006-1-2T15:4:5.999999999Z07:00``, its lower-case ``t`` twin, ``2006-1-2 15:4:5.999999999``
and ``2006-1-2``) and writes it back as RFC 3339 with nanoseconds. Python's ``datetime`` has
neither year 0 nor nanoseconds, so a small value type keeps the parsed fields exactly; the
calendar and the RFC 3339 output are Go's own (:mod:`codexstack.golang.gotime`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from codexstack.golang import RFC3339_NANO, Time, days_in, format_time

_N = r"([0-9][0-9]?)"  # Go's getnum: one digit, or two when the second is a digit
_DATE = rf"([0-9]{{4}})-{_N}-{_N}"
_CLOCK = rf"{_N}:{_N}:{_N}(?:[.,]([0-9]+))?"
_WITH_ZONE = re.compile(rf"{_DATE}[Tt]{_CLOCK}(Z|[+-][0-9]{{2}}:[0-9]{{2}})")
_SPACED = re.compile(rf"{_DATE} +{_CLOCK}")
_DATE_ONLY = re.compile(_DATE)


@dataclass(frozen=True, order=True)
class Timestamp:
    """A decoded YAML timestamp: wall-clock fields plus the UTC offset in seconds."""

    year: int
    month: int
    day: int
    hour: int = 0
    minute: int = 0
    second: int = 0
    nanosecond: int = 0
    offset: int = 0

    def __str__(self) -> str:
        """RFC 3339 with trailing fractional zeros removed (Go's ``time.RFC3339Nano``)."""
        fields = (self.hour, self.minute, self.second, self.nanosecond, self.offset)
        return format_time(Time.from_civil(self.year, self.month, self.day, *fields), RFC3339_NANO)

    def to_datetime(self) -> datetime:
        """The same instant as an aware ``datetime`` (microsecond precision, year ≥ 1)."""
        zone = UTC if self.offset == 0 else timezone(timedelta(seconds=self.offset))
        return datetime(
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.nanosecond // 1000,
            tzinfo=zone,
        )


def _nanos(fraction: str | None) -> int:
    # Go consumes every digit but keeps nine.
    return int((fraction or "")[:9].ljust(9, "0"))


def _offset(zone: str | None) -> int | None:
    if zone is None or zone == "Z":
        return 0
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    if hours > 24 or minutes > 60:  # Go's own (lenient) range test
        return None
    seconds = (hours * 60 + minutes) * 60
    return -seconds if zone[0] == "-" else seconds


def parse_timestamp(text: str) -> Timestamp | None:
    """yaml.v3's ``parseTimestamp``: the Timestamp, or ``None`` when no layout matches."""
    if len(text) < 5 or text[4] != "-" or not text[:4].isascii() or not text[:4].isdigit():
        return None
    for pattern in (_WITH_ZONE, _SPACED, _DATE_ONLY):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groups()
        year, month, day = (int(g) for g in groups[:3])
        hour, minute, second = (int(g) for g in groups[3:6]) if len(groups) > 3 else (0, 0, 0)
        fraction = groups[6] if len(groups) > 6 else None
        offset = _offset(groups[7] if len(groups) > 7 else None)
        valid = (
            1 <= month <= 12 and hour < 24 and minute < 60 and second < 60 and offset is not None
        )
        if valid and 1 <= day <= days_in(month, year):
            return Timestamp(year, month, day, hour, minute, second, _nanos(fraction), offset or 0)
        return None
    return None

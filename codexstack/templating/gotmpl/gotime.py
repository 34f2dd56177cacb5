"""``time.Time`` inside templates: ``.Now``, ``now``, ``.Format``, ``.Unix``, ``.UTC``, ``.Year``.

:class:`GoTime` is :class:`codexstack.golang.gotime.Time` (the value, its civil fields and
``Format``) plus what the template engine needs: its Go type with the methods templates may
call, the private fields ``%v`` of a struct prints, and ``%#v``.
"""

from __future__ import annotations

from typing import Any

from codexstack.golang import MONTHS, ZERO_UNIX, Time, format_time, quote
from codexstack.templating.gotmpl import types as T
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


class GoTime(Time):
    """A :class:`Time` as a template value (Go type ``time.Time``)."""

    __slots__ = ()
    gotype = TIME

    def struct_fields(self) -> list[tuple[str, Any]]:
        """time.Time's private fields (wall, ext, loc), as ``%d`` and friends print them."""
        loc: Any = NilPtr(_LOCATION) if self.zone == "UTC" and not self.offset else _LOCAL_PTR
        return [("wall", Uint64(self.nsec)), ("ext", Int64(self.sec - ZERO_UNIX)), ("loc", loc)]

    def go_string(self) -> str:
        """``%#v``: ``time.Date(2023, time.November, 14, 22, 13, 20, 123456789, time.UTC)``."""
        year, month, day, hour, minute, sec, _, _ = self.civil()
        zone = (
            "time.UTC"
            if self.zone == "UTC" and not self.offset
            else f"time.Location({quote(self.zone)})"
        )
        return (
            f"time.Date({year}, time.{MONTHS[month - 1]}, {day}, {hour}, {minute}, {sec}, "
            f"{self.nsec}, {zone})"
        )


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
_method("IsZero", lambda t: t.sec == ZERO_UNIX and t.nsec == 0, [], T.BOOL)
register_struct_zero(TIME, lambda: GoTime(ZERO_UNIX))

"""Go compatibility at the bottom of the layers: strconv, time, durations and dotenv.

codexctl is a Go program; where its behaviour comes from Go's standard library or godotenv,
codexstack reproduces that library here, once, for every layer above (yaml.v3 scalars, the
Go template dialect, hook timeouts, ``envFiles``). Each private module names the Go (or
godotenv) version it mirrors, and differential tests check it against the real thing:
``_quote`` and ``_numconv`` (``strconv``), ``_time`` (``time.Time`` and ``Format``),
``_durations`` (``time.ParseDuration`` and ``Duration.String``) and ``_dotenv`` (godotenv
1.5.1). Names load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack.lazy import exports

if TYPE_CHECKING:
    from codexstack.golang._dotenv import parse_dotenv
    from codexstack.golang._durations import (
        DurationError,
        format_duration,
        is_duration,
        parse_duration,
        parse_duration_ns,
    )
    from codexstack.golang._numconv import (
        MAX_INT64,
        MAX_UINT64,
        MIN_INT64,
        RangeErr,
        format_float,
        parse_bool,
        parse_float,
        parse_int,
        parse_uint,
        underscore_ok,
    )
    from codexstack.golang._quote import (
        SyntaxErr,
        can_backquote,
        from_bytes,
        is_print,
        quote,
        quote_rune,
        to_bytes,
        unquote,
        unquote_char,
    )
    from codexstack.golang._time import (
        DAYS,
        MONTHS,
        RFC3339_NANO,
        STRING_LAYOUT,
        ZERO_UNIX,
        Time,
        civil_from_days,
        days_from_civil,
        days_in,
        format_time,
    )

_MODULES = {
    "_dotenv": ("parse_dotenv",),
    "_durations": (
        "DurationError",
        "format_duration",
        "is_duration",
        "parse_duration",
        "parse_duration_ns",
    ),
    "_numconv": (
        "MAX_INT64",
        "MAX_UINT64",
        "MIN_INT64",
        "RangeErr",
        "format_float",
        "parse_bool",
        "parse_float",
        "parse_int",
        "parse_uint",
        "underscore_ok",
    ),
    "_quote": (
        "SyntaxErr",
        "can_backquote",
        "from_bytes",
        "is_print",
        "quote",
        "quote_rune",
        "to_bytes",
        "unquote",
        "unquote_char",
    ),
    "_time": (
        "DAYS",
        "MONTHS",
        "RFC3339_NANO",
        "STRING_LAYOUT",
        "ZERO_UNIX",
        "Time",
        "civil_from_days",
        "days_from_civil",
        "days_in",
        "format_time",
    ),
}
__all__ = [
    "DAYS",
    "MAX_INT64",
    "MAX_UINT64",
    "MIN_INT64",
    "MONTHS",
    "RFC3339_NANO",
    "STRING_LAYOUT",
    "ZERO_UNIX",
    "DurationError",
    "RangeErr",
    "SyntaxErr",
    "Time",
    "can_backquote",
    "civil_from_days",
    "days_from_civil",
    "days_in",
    "format_duration",
    "format_float",
    "format_time",
    "from_bytes",
    "is_duration",
    "is_print",
    "parse_bool",
    "parse_dotenv",
    "parse_duration",
    "parse_duration_ns",
    "parse_float",
    "parse_int",
    "parse_uint",
    "quote",
    "quote_rune",
    "to_bytes",
    "underscore_ok",
    "unquote",
    "unquote_char",
]
__getattr__, __dir__ = exports(
    __name__, {name: module for module, names in _MODULES.items() for name in names}
)

"""Command-line and ``CODEXCTL_*`` values read the way codexctl (Go) reads them.

One parser per kind, shared by every flag and its variable: booleans as ``strconv.ParseBool``
(``1 t T TRUE true True 0 f F FALSE false False``), integers as ``strconv.Atoi``, durations as
``time.ParseDuration`` (in seconds). Each raises :class:`ValueError` naming the bad value; the
CLI turns that into a usage error for a flag and a failure (exit 1, as codexctl) for a
variable. The Go semantics come from :mod:`codexstack.golang`.
"""

from __future__ import annotations

from codexstack import golang


def go_bool(text: str | bool) -> bool:
    """``strconv.ParseBool``."""
    if isinstance(text, bool):
        return text
    try:
        return golang.parse_bool(text.strip())
    except ValueError:
        raise ValueError(f"invalid boolean {text!r}") from None


def go_int(text: str | int) -> int:
    """``strconv.Atoi`` (decimal, optional sign)."""
    if isinstance(text, int):
        return text
    value = text.strip()
    digits = value[1:] if value[:1] in "+-" else value
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"invalid integer {text!r}")
    return int(value)


def go_duration(text: str | float) -> float:
    """``time.ParseDuration`` in seconds."""
    if isinstance(text, int | float):
        return float(text)
    try:
        return golang.parse_duration(text.strip())
    except ValueError as exc:
        raise ValueError(f"invalid duration {text!r} ({exc})") from None

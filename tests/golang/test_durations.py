"""Go duration strings, parsed and printed as Go does."""

from __future__ import annotations

import pytest

from codexstack.golang import DurationError, format_duration, is_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("60m", 3600),
        ("1200s", 1200),
        ("1h30m", 5400),
        ("1.5h", 5400),
        (".5s", 0.5),
        ("5.s", 5),
        ("300ms", 0.3),
        ("10us", 1e-5),
        ("10µs", 1e-5),
        ("1h-1", None),
        ("0", 0),
        ("-2m", -120),
        ("+3s", 3),
    ],
)
def test_parse(text: str, seconds: float | None) -> None:
    if seconds is None:
        assert not is_duration(text)
    else:
        assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "10", "m", ".s", "1d", "1 m", "1hh", "-", "9999999999h"])
def test_invalid(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (600, "10m0s"),
        (1200, "20m0s"),
        (3600, "1h0m0s"),
        (5400.5, "1h30m0.5s"),
        (0, "0s"),
        (45, "45s"),
        (0.3, "300ms"),
    ],
)
def test_format(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text

"""Go value parsing of flags and CODEXCTL_* variables (strconv.ParseBool/Atoi, durations)."""

from __future__ import annotations

import pytest

from codexstack.flows import values


@pytest.mark.parametrize("text", ["1", "t", "T", "TRUE", "true", "True"])
def test_true(text: str) -> None:
    assert values.go_bool(text) is True


@pytest.mark.parametrize("text", ["0", "f", "F", "FALSE", "false", "False"])
def test_false(text: str) -> None:
    assert values.go_bool(text) is False


@pytest.mark.parametrize("text", ["yes", "on", "tRUE", "", "2"])
def test_not_a_go_bool(text: str) -> None:
    with pytest.raises(ValueError, match="invalid boolean"):
        values.go_bool(text)


def test_ints_and_durations() -> None:
    assert [values.go_int(t) for t in ("7", "-3", "+4", 5)] == [7, -3, 4, 5]
    for bad in ("three", "1.5", "", "٣"):
        with pytest.raises(ValueError, match="invalid integer"):
            values.go_int(bad)
    assert [values.go_duration(t) for t in ("1h30m", "0", "250ms", 2.5)] == [5400.0, 0.0, 0.25, 2.5]
    for bad in ("10", "5 seconds", "1d"):
        with pytest.raises(ValueError, match="invalid duration"):
            values.go_duration(bad)

"""Safe config loading: positions for error messages, and the F2 bad-input battery.

F2 asks for rejection in under a second with bounded memory, asserted as written (the
whole CLI run, with "nothing applied", is in tests/integration/test_harden_deploy.py); the
memory bound is a few MB of Python allocations.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from codexstack.errors import ConfigError, ExitCode
from codexstack.yamlio import CONFIG_LIMITS, load_config_file, load_config_text

SERVICES = """\
project: demo
services:
  - name: api
    manifests: [{path: k8s/api.yaml}]
  - name: web
    overlays:
      dev:
        pvcMounts:
          - name: data
            claimName: web-data
            mountPath: /data
    replicas: 010
"""


def _line_col(text: str, needle: str) -> tuple[int, int]:
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_positions_point_at_keys_and_values() -> None:
    loaded = load_config_text(SERVICES, "services.yaml")
    path = ("services", 1, "overlays", "dev", "pvcMounts", 0, "claimName")
    assert loaded.data["services"][1]["overlays"]["dev"]["pvcMounts"][0]["claimName"] == "web-data"
    where = loaded.position(path)
    assert (where.file, where.line, where.column) == (
        "services.yaml",
        *_line_col(SERVICES, "claimName"),
    )
    assert where.key == "services[1].overlays.dev.pvcMounts[0].claimName"
    value = loaded.value_position(path)
    assert (value.line, value.column) == _line_col(SERVICES, "web-data")
    assert str(where).startswith(f"services.yaml:{where.line}:{where.column}, key 'services[1]")


def test_missing_key_reports_nearest_written_parent() -> None:
    loaded = load_config_text(SERVICES, "services.yaml")
    where = loaded.position(("services", 0, "image", "repository"))
    assert where.line == _line_col(SERVICES, "- name: api")[0]
    assert where.key == "services[0].image.repository"


def test_raw_keeps_scalar_source_text_for_string_fields() -> None:
    loaded = load_config_text(SERVICES, "services.yaml")
    assert loaded.data["services"][1]["replicas"] == 8  # legacy octal, as yaml.v3
    assert loaded.raw(("services", 1, "replicas")) == "010"


def test_blank_config_is_an_empty_mapping() -> None:
    assert load_config_text("# nothing yet\n", "services.yaml").data == {}
    assert load_config_text("", "services.yaml").data == {}


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_non_mapping_top_level_is_refused(text: str) -> None:
    with pytest.raises(ConfigError, match="must be a mapping") as caught:
        load_config_text(text, "services.yaml")
    assert caught.value.location is not None
    assert caught.value.location.line == 1


def test_duplicate_keys_name_the_key_and_both_lines() -> None:
    text = "project: a\nservices: []\nproject: b\n"
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, "services.yaml")
    err = caught.value
    assert err.exit_code == ExitCode.INVALID
    assert err.location is not None
    assert (err.location.line, err.location.key) == (3, "project")
    assert "'project' already defined at line 1" in err.message


def _measure(action: Callable[[], object]) -> tuple[float, int, ConfigError]:
    """Seconds and peak traced bytes of an action that must raise ConfigError."""
    start = time.perf_counter()
    with pytest.raises(ConfigError) as caught:
        action()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError):
            action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return seconds, peak, caught.value


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("billion laughs", BILLION_LAUGHS, "alias expansion bomb"),
        ("10k flow nesting", "a: " + "[" * 10_000 + "]" * 10_000, "deeper than"),
        ("10k block nesting", "- " * 10_000 + "x\n", "deeper than"),
        ("3k mapping nesting", "".join(" " * i + "k:\n" for i in range(3_000)), "deeper than"),
        ("python tag", "a: !!python/object/apply:os.system ['true']\n", "not allowed"),
        ("python name tag", "a: !!python/name:os.system\n", "not allowed"),
        ("custom tag", "a: !Ref thing\n", "not allowed"),
        ("self alias", "a: &a [*a]\n", "contains itself"),
        ("duplicate", "a: 1\nb: 2\na: 3\n", "already defined"),
    ],
    ids=lambda value: value if len(value) < 40 and "\n" not in value else "",
)
def test_f2_bad_input_rejected_fast_with_bounded_memory(
    name: str, text: str, fragment: str
) -> None:
    seconds, peak, err = _measure(lambda: load_config_text(text, "services.yaml"))
    assert fragment in err.message, name
    assert err.location is not None
    assert err.location.file == "services.yaml"
    assert seconds < 1.0, f"{name}: {seconds:.2f}s"  # the battery says <1 s
    assert peak < 16 * 1024 * 1024, f"{name}: {peak} bytes"


def test_f2_python_tag_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ConfigError):
        load_config_text(text, "services.yaml")
    assert not marker.exists()


def test_f2_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "services.yaml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: its size is all that matters
    seconds, peak, err = _measure(lambda: load_config_file(big))
    assert "larger than the limit" in err.message
    assert seconds < 1.0
    assert peak < 1024 * 1024  # nothing of the file was read


def test_f2_fifty_megabyte_text_is_refused_before_parsing() -> None:
    text = "a: " + "x" * (50 * 1024 * 1024) + "\n"
    start = time.perf_counter()
    with pytest.raises(ConfigError, match="larger than the limit"):
        load_config_text(text, "services.yaml")
    assert time.perf_counter() - start < 1.0


def test_file_loading_matches_text_loading(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    path.write_text(SERVICES, encoding="utf-8")
    loaded = load_config_file(path)
    assert loaded.data == load_config_text(SERVICES, str(path)).data
    assert loaded.file == str(path)


def test_unreadable_and_non_utf8_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config_file(tmp_path / "missing.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"a: \xe9\n")
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        load_config_file(bad)


def test_limits_are_configurable() -> None:
    assert CONFIG_LIMITS.max_bytes == 10 * 1024 * 1024
    with pytest.raises(ConfigError, match="larger than the limit"):
        load_config_text("a: 1\n" * 100, "services.yaml", CONFIG_LIMITS.__class__(max_bytes=50))

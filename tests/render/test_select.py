"""Filters (§4.2) and the ``when`` predicate (§4.3, D-WHEN)."""

from __future__ import annotations

import pytest

from codexstack.errors import ConfigError
from codexstack.render.select import Filters, WhenSite, evaluate_when, parse_names


def test_parse_names_trims_lowercases_and_drops_blanks() -> None:
    assert parse_names(" Api, web ,,") == {"api", "web"}
    assert parse_names(["a,B", "c"]) == {"a", "b", "c"}
    assert parse_names(None) == frozenset()


def test_only_then_skip() -> None:
    f = Filters.parse(only_services="api,web", skip_services="WEB")
    assert f.admits("service", "api")
    assert not f.admits("service", "web")
    assert not f.admits("service", "codex")


def test_service_and_infra_filters_are_independent() -> None:
    f = Filters.parse(only_infra="postgres")
    assert f.admits("service", "api")
    assert f.admits("infra", "postgres")
    assert not f.admits("infra", "redis")


def test_unit_names_compare_lowercased() -> None:
    assert Filters.parse(only_services="api").admits("service", "API")


def test_unknown_filter_name_is_an_error_with_a_suggestion() -> None:
    f = Filters.parse(only_services="apii")
    with pytest.raises(ConfigError) as err:
        f.check_names(["api", "web"], ["postgres"], source="services.yaml")
    assert "did you mean 'api'" in str(err.value)
    assert err.value.location is not None
    assert err.value.location.key == "--only-services"
    assert err.value.location.file == "services.yaml"


def test_unknown_infra_name_in_skip_is_an_error() -> None:
    with pytest.raises(ConfigError, match="--skip-infra"):
        Filters.parse(skip_infra="redis").check_names(["api"], ["postgres"])


def test_known_names_pass() -> None:
    Filters.parse(only_services="API", skip_infra="postgres").check_names(["api"], ["Postgres"])


@pytest.mark.parametrize(
    ("expr", "rendered", "unit", "hook"),
    [
        (None, None, True, True),
        ("  ", "", True, True),
        ("{{ x }}", "", True, False),
        ("{{ x }}", "  \n", True, False),
        ("{{ x }}", "false", False, False),
        ("{{ x }}", " FALSE ", False, False),
        ("{{ x }}", "0", False, False),
        ("{{ x }}", "No", False, False),
        ("{{ x }}", "off", True, True),
        ("{{ x }}", "true", True, True),
        ("{{ x }}", "anything", True, True),
    ],
)
def test_when_table(expr: str | None, rendered: str | None, unit: bool, hook: bool) -> None:
    assert evaluate_when(expr, rendered, WhenSite.unit).enabled is unit
    assert evaluate_when(expr, rendered, WhenSite.hook).enabled is hook


def test_hook_empty_rule_is_flagged_for_a_warning() -> None:
    assert evaluate_when("{{ x }}", "", WhenSite.hook).empty_rule
    assert not evaluate_when("{{ x }}", "", WhenSite.unit).empty_rule
    assert not evaluate_when("{{ x }}", "false", WhenSite.hook).empty_rule

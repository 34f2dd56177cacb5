"""The naming module: stack names, DNS-safe names with hashed cuts, label values."""

from __future__ import annotations

import re

import pytest

from codexstack import naming

DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


@pytest.mark.parametrize(
    ("env", "slot", "stack"),
    [
        ("dev", 0, "dev"),
        ("ai", 7, "ai-7"),
        ("ai", 0, "ai"),
        ("staging", 3, "staging"),
        ("ai-repair", 2, "ai-repair"),
        ("we ird/env", 0, "we-ird-env"),
    ],
)
def test_stack_names(env: str, slot: int, stack: str) -> None:
    assert naming.stack_name(env, slot) == stack


def test_dns_label_sanitises() -> None:
    assert naming.dns_label("Demo_Shop", "dev", 1) == "demo-shop-dev-1"
    assert naming.dns_label("--a..b--") == "a-b"
    assert DNS_LABEL.match(naming.dns_label("!!!"))


def test_long_names_are_cut_with_a_stable_distinct_hash() -> None:
    a = naming.dns_label("x" * 80, "one")
    b = naming.dns_label("x" * 80, "two")
    assert len(a) == len(b) == naming.DNS_LABEL_MAX
    assert a != b
    assert a == naming.dns_label("x" * 80, "one")
    assert DNS_LABEL.match(a)
    assert DNS_LABEL.match(b)


def test_short_names_are_not_hashed() -> None:
    assert naming.dns_label("demo-shop", "dev") == "demo-shop-dev"


def test_dns_subdomain_keeps_dots() -> None:
    assert naming.dns_subdomain("Codex.Config", "v1") == "codex.config-v1"
    assert len(naming.dns_subdomain("a" * 300)) == naming.DNS_SUBDOMAIN_MAX


@pytest.mark.parametrize("value", ["", "ok", "a b/c", "-x-", "v" * 100])
def test_label_values_are_valid(value: str) -> None:
    out = naming.label_value(value)
    assert len(out) <= 63
    assert out == "" or re.match(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$", out)


def test_common_labels() -> None:
    labels = naming.common_labels("demo-shop", "ai", 3)
    assert labels[naming.MANAGED_BY] == "codexstack"
    assert labels[naming.LABEL_SLOT] == "3"
    assert naming.LABEL_SLOT not in naming.common_labels("demo-shop", "dev")

"""Which units take part: the ``--only/--skip`` filters (§4.2) and the ``when`` predicate (§4.3).

Filters are comma lists, trimmed and lower-cased, compared with the lower-cased unit name; an
``only`` set admits only its names, then a ``skip`` set removes names; service and infra
filters are independent. Unlike codexctl, a name that matches no unit is an error with a
"did you mean" (a typo would otherwise silently deploy everything or nothing).

``when`` is one predicate for every site (D-WHEN): a blank expression enables; a rendered
``false``/``0``/``no`` disables; an empty rendering enables units but skips hook steps, which
is codexctl's hook rule, kept for compatibility and reported so the caller can warn.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from codexstack.errors import ConfigError, Location

UnitKind = Literal["infra", "service"]
_FALSE_WORDS = frozenset({"false", "0", "no"})


def parse_names(text: str | Iterable[str] | None) -> frozenset[str]:
    """A filter value (``"a, B"`` or a list of such) as a set of lower-case names."""
    if text is None:
        return frozenset()
    chunks = [text] if isinstance(text, str) else list(text)
    return frozenset(
        name.strip().lower() for chunk in chunks for name in chunk.split(",") if name.strip()
    )


@dataclass(frozen=True)
class Filters:
    """The four filter flags, already parsed (see :func:`parse_names`)."""

    only_services: frozenset[str] = frozenset()
    skip_services: frozenset[str] = frozenset()
    only_infra: frozenset[str] = frozenset()
    skip_infra: frozenset[str] = frozenset()

    @classmethod
    def parse(
        cls,
        only_services: str | Iterable[str] | None = None,
        skip_services: str | Iterable[str] | None = None,
        only_infra: str | Iterable[str] | None = None,
        skip_infra: str | Iterable[str] | None = None,
    ) -> Filters:
        return cls(
            parse_names(only_services),
            parse_names(skip_services),
            parse_names(only_infra),
            parse_names(skip_infra),
        )

    def admits(self, kind: UnitKind, name: str) -> bool:
        """True when a unit of ``kind`` named ``name`` is selected."""
        only, skip = (
            (self.only_services, self.skip_services)
            if kind == "service"
            else (self.only_infra, self.skip_infra)
        )
        key = name.strip().lower()
        return (not only or key in only) and key not in skip

    def check_names(
        self,
        services: Iterable[str],
        infra: Iterable[str],
        *,
        source: str | None = None,
        locate: Callable[[str], Location] | None = None,
    ) -> None:
        """Raise :class:`ConfigError` for a filter name that matches no service or infra item.

        ``locate`` maps a section (``services``/``infrastructure``) to its place in
        services.yaml, so the message points at the list the name was looked up in.
        """
        known = {
            "service": sorted({n.strip().lower() for n in services}),
            "infra": sorted({n.strip().lower() for n in infra}),
        }
        flags: list[tuple[str, UnitKind, frozenset[str]]] = [
            ("--only-services", "service", self.only_services),
            ("--skip-services", "service", self.skip_services),
            ("--only-infra", "infra", self.only_infra),
            ("--skip-infra", "infra", self.skip_infra),
        ]
        for flag, kind, names in flags:
            unknown = sorted(names - set(known[kind]))
            if not unknown:
                continue
            section = "services" if kind == "service" else "infrastructure"
            where = locate(section) if locate else Location(file=source)
            listed = ", ".join(f"'{n}'" for n in unknown)
            raise ConfigError(
                f"unknown {'service' if kind == 'service' else 'infrastructure item'} {listed}",
                location=replace(where, key=flag),
                hint=_did_you_mean(unknown[0], known[kind]),
            )


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    choices = ", ".join(known) if known else "none defined"
    return f"did you mean '{close[0]}'? (known: {choices})" if close else f"known: {choices}"


class WhenSite(StrEnum):
    """Where a ``when`` sits; it decides what an empty rendering means."""

    unit = "unit"
    hook = "hook"


@dataclass(frozen=True)
class WhenResult:
    """The outcome of a ``when``; ``empty_rule`` marks codexctl's hook rule deciding it."""

    enabled: bool
    empty_rule: bool = False


def evaluate_when(expression: str | None, rendered: str | None, site: WhenSite) -> WhenResult:
    """Decide a ``when``: ``expression`` is the raw text, ``rendered`` its rendering."""
    if expression is None or expression.strip() == "":
        return WhenResult(True)
    value = (rendered or "").strip()
    if value == "":
        return WhenResult(site is WhenSite.unit, empty_rule=site is WhenSite.hook)
    return WhenResult(value.lower() not in _FALSE_WORDS)

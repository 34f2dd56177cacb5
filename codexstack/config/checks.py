"""Checks that span several keys of a valid model: errors for broken links, warnings for traps.

Errors: an environment ``from`` chain that loops or names an unknown environment, two
infrastructure blocks or two services with the same name (their stacks would collide), a
``slotBootstrapInfra`` entry naming no infrastructure block (compared case-insensitively, as
codexstack applies it). Warnings: things codexctl silently ignores or works around — an image
type it skips, a Go duration it cannot parse, an overlay for an env that is not declared, a
volume name in both ``hostMounts`` and ``pvcMounts`` (the pvcMounts entry wins), a state
backend other than ConfigMaps.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence

from codexstack.config.environments import InheritanceError, inheritance_chain
from codexstack.config.issues import Issue, Locator
from codexstack.config.models import HookStep, InfraItem, Service, ServicesConfig
from codexstack.golang import is_duration

# Env names with built-in meaning; overlays for them are fine even when not declared.
WELL_KNOWN_ENVS = frozenset({"dev", "staging", "ai-staging", "ai", "ai-repair"})


def check_model(config: ServicesConfig, locator: Locator) -> list[Issue]:
    """All cross-key errors and warnings of ``config``."""
    return [
        *_inheritance(config, locator),
        *_unique_names(config, locator),
        *_bootstrap_names(config, locator),
        *_images(config, locator),
        *_durations(config, locator),
        *_overlays(config, locator),
        *_state(config, locator),
    ]


def _inheritance(config: ServicesConfig, locator: Locator) -> Iterator[Issue]:
    # One message per loop or per unknown parent, however many environments lead into it.
    reported: set[frozenset[str]] = set()
    for name in config.environments:
        try:
            inheritance_chain(config.environments, name)
        except InheritanceError as exc:
            chain = exc.chain
            is_loop = chain[-1] in chain[:-1]
            key = (
                frozenset(chain[chain.index(chain[-1]) :]) if is_loop else frozenset({exc.offender})
            )
            if key not in reported:
                reported.add(key)
                yield locator.issue(("environments", exc.offender, "from"), str(exc))


def _unit_lists(config: ServicesConfig) -> tuple[tuple[str, Sequence[InfraItem | Service]], ...]:
    return (("infrastructure", config.infrastructure), ("services", config.services))


def _unique_names(config: ServicesConfig, locator: Locator) -> Iterator[Issue]:
    for key, units in _unit_lists(config):
        first: dict[str, int] = {}
        for index, unit in enumerate(units):
            norm = unit.name.strip().lower()
            if norm in first:
                yield locator.issue(
                    (key, index, "name"),
                    f"name '{unit.name}' is already used by {key}[{first[norm]}]",
                )
            else:
                first[norm] = index


def _bootstrap_names(config: ServicesConfig, locator: Locator) -> Iterator[Issue]:
    infra = {unit.name.strip().lower(): unit.name for unit in config.infrastructure}
    for env_name, env in config.environments.items():
        for index, wanted in enumerate(env.slot_bootstrap_infra):
            if wanted.strip().lower() not in infra:
                close = difflib.get_close_matches(wanted, list(infra.values()), n=1)
                yield locator.issue(
                    ("environments", env_name, "slotBootstrapInfra", index),
                    f"no infrastructure block is named '{wanted}'",
                    hint=f"did you mean '{close[0]}'?" if close else None,
                )


def _images(config: ServicesConfig, locator: Locator) -> Iterator[Issue]:
    for name, image in config.images.items():
        if image.kind not in ("external", "build"):
            yield locator.issue(
                ("images", name, "type"),
                "image type is neither 'external' nor 'build'; the image is skipped",
                severity="warning",
            )


def _hook_steps(config: ServicesConfig) -> Iterator[tuple[tuple[str | int, ...], HookStep]]:
    for stage in ("beforeAll", "afterAll"):
        steps = config.hooks.before_all if stage == "beforeAll" else config.hooks.after_all
        for i, step in enumerate(steps):
            yield ("hooks", stage, i), step
    for key, units in _unit_lists(config):
        for u, unit in enumerate(units):
            for stage, attr in (
                ("beforeApply", "before_apply"),
                ("afterApply", "after_apply"),
                ("beforeDestroy", "before_destroy"),
                ("afterDestroy", "after_destroy"),
            ):
                for i, step in enumerate(getattr(unit.hooks, attr)):
                    yield (key, u, "hooks", stage, i), step


def _durations(config: ServicesConfig, locator: Locator) -> Iterator[Issue]:
    timeouts = config.codex.timeouts
    for key, value in (
        ("exec", timeouts.exec),
        ("rollout", timeouts.rollout),
        ("deployWait", timeouts.deploy_wait),
    ):
        if value.strip() and not is_duration(value.strip()):
            yield locator.issue(
                ("codex", "timeouts", key),
                "not a Go duration (e.g. '60m', '1200s'); the default is used",
                severity="warning",
            )
    for path, step in _hook_steps(config):
        if step.timeout.strip() and not is_duration(step.timeout.strip()):
            yield locator.issue(
                (*path, "timeout"),
                "not a Go duration (e.g. '90s'); the step will fail unless continueOnError is set",
                severity="warning",
            )


def _overlays(config: ServicesConfig, locator: Locator) -> Iterator[Issue]:
    declared = set(config.environments) | WELL_KNOWN_ENVS
    for s, service in enumerate(config.services):
        for env_name, overlay in service.overlays.items():
            if config.environments and env_name not in declared:
                yield locator.issue(
                    ("services", s, "overlays", env_name),
                    f"no environment is named '{env_name}'; this overlay is never used",
                    severity="warning",
                )
            pvc_names = {m.name for m in overlay.pvc_mounts}
            for m, mount in enumerate(overlay.host_mounts):
                if mount.name in pvc_names:
                    yield locator.issue(
                        ("services", s, "overlays", env_name, "hostMounts", m, "name"),
                        f"volume '{mount.name}' is also in pvcMounts; the pvcMounts entry wins",
                        severity="warning",
                    )


def _state(config: ServicesConfig, locator: Locator) -> Iterator[Issue]:
    backend = config.state.backend.strip()
    if backend not in ("", "configmap"):
        yield locator.issue(
            ("state", "backend"),
            f"state backend '{backend}' is not supported by codexctl; codexstack ignores it",
            severity="warning",
        )

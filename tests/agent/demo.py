"""Helpers for the agent tests: the demo project loaded as ``prompt run`` loads it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from codexstack.agent.prompt import run_vars_spec
from codexstack.config import LoadedConfig, load_config

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo" / "services.yaml"
FIXED_NOW = datetime(2026, 12, 3, 8, 0, 0, tzinfo=UTC)
BASE_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/home/runner"}


def load_demo(
    *,
    slot: int = 3,
    issue: int = 42,
    pr: int = 0,
    env: str = "ai",
    process_env: Mapping[str, str] | None = None,
    infra_unhealthy: bool = False,
    path: Path = DEMO,
    user_vars: str | None = None,
) -> LoadedConfig:
    """The demo loaded with prompt run's injected variables and a fixed, clean environment."""
    environ = dict(BASE_ENV if process_env is None else process_env)
    spec = run_vars_spec(
        user_vars,
        slot=slot,
        issue=issue,
        pr=pr,
        infra_unhealthy=infra_unhealthy,
        process_env=environ,
    )
    return load_config(path, env=env, slot=slot, vars=spec, process_env=environ, now=FIXED_NOW)

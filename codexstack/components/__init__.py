"""Pulumi component resources of codexstack: Infrastructure, Service, Slot, CodexAgent.

Only ``codexstack.program`` uses them. The component modules import Pulumi and the Kubernetes
SDK (about a second), so this package exports them lazily; the pure halves (object shaping,
guardrails, the agent policy and its lint in ``objects``, ``guardrails`` and
``agent_policy``) import no Pulumi and are cheap to use from tests and ``render``.
"""

from __future__ import annotations

import importlib
from typing import Any

TYPE_PREFIX = "codexstack:index:"
"""Type tokens of codexstack components: ``codexstack:index:<Type>``."""

_EXPORTS = {
    "CodexAgent": "codexstack.components.agent",
    "Slot": "codexstack.components.slot",
    "Infrastructure": "codexstack.components.units",
    "Service": "codexstack.components.units",
}

__all__ = ["TYPE_PREFIX", "CodexAgent", "Infrastructure", "Service", "Slot"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)

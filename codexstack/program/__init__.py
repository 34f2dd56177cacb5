"""The Pulumi program of codexstack: a Plan in, one stack's components out.

``program(plan, options)`` registers the stack (provider, Slot, CodexAgent, Infrastructure,
Service); ``make_program`` wraps it for the Automation API's inline mode; ``targets`` turns a
filtered Plan into Pulumi excludes. The program module imports Pulumi, so it is loaded lazily;
``options`` and ``targets`` are pure.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "program": "codexstack.program.stack",
    "make_program": "codexstack.program.stack",
    "ProgramOptions": "codexstack.program.options",
    "plan_excludes": "codexstack.program.targets",
}

__all__ = ["ProgramOptions", "make_program", "plan_excludes", "program"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)

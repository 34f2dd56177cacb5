"""The Pulumi program of codexstack: a Plan in, one stack's components out.

``program(plan, options)`` registers the stack (provider, Slot, CodexAgent, Infrastructure,
Service); ``make_program`` wraps it for the Automation API's inline mode; ``targets`` turns a
filtered Plan into Pulumi excludes. The program module imports Pulumi, so it is loaded lazily;
``options`` and ``targets`` are pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack.lazy import exports

if TYPE_CHECKING:
    from codexstack.program.inventory import (
        applied_by_kubectl,
        leftovers,
        managed_by_codexstack,
        managers,
        stack_objects,
    )
    from codexstack.program.model import describe
    from codexstack.program.options import ProgramOptions, is_slot
    from codexstack.program.stack import make_program, program
    from codexstack.program.targets import plan_excludes, units_in

_EXPORTS = {
    **dict.fromkeys(
        (
            "applied_by_kubectl",
            "leftovers",
            "managed_by_codexstack",
            "managers",
            "stack_objects",
        ),
        "inventory",
    ),
    "describe": "model",
    "ProgramOptions": "options",
    "is_slot": "options",
    "make_program": "stack",
    "program": "stack",
    "plan_excludes": "targets",
    "units_in": "targets",
}
__all__ = [
    "ProgramOptions",
    "applied_by_kubectl",
    "describe",
    "is_slot",
    "leftovers",
    "make_program",
    "managed_by_codexstack",
    "managers",
    "plan_excludes",
    "program",
    "stack_objects",
    "units_in",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)

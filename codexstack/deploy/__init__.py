"""The Automation API seam: stacks opened, locked, recovered, deployed and reported on.

``operations`` (apply, preview, destroy, refresh, render), ``retry`` (``ci apply``),
``status``, ``preflight`` and ``hooks`` are the entry points; ``engine`` (which ``pulumi``
binary and how it runs), ``state`` (backend, passphrase, work dirs), ``workspace`` (opening a
stack, tags), ``locks``/``recovery`` (busy stacks, crashed runs), ``interrupt`` (signals),
``progress``/``summary`` (events in, results out) and ``kube`` support them. Callers import
the names below from the package; each loads its module (and Pulumi) on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack.lazy import exports

if TYPE_CHECKING:
    from codexstack.deploy.builtins import BUILTINS
    from codexstack.deploy.consent import Ask, Consent, DestroyDeclined, needs_question
    from codexstack.deploy.engine import Engine
    from codexstack.deploy.hooks import HookEnv, HookError, HookRunner
    from codexstack.deploy.operations import Request, apply, destroy, preview, refresh
    from codexstack.deploy.preflight import Check
    from codexstack.deploy.preflight import preflight as run_preflight
    from codexstack.deploy.progress import Progress
    from codexstack.deploy.project import Inputs, Loaded
    from codexstack.deploy.project import load as load_project
    from codexstack.deploy.retry import RetryPolicy, apply_with_retries
    from codexstack.deploy.state import ProjectState
    from codexstack.deploy.status import status as stack_status
    from codexstack.deploy.summary import Summary, write_step_summary
    from codexstack.deploy.workspace import last_wait

_EXPORTS = {
    "BUILTINS": "builtins",
    "Ask": "consent",
    "Consent": "consent",
    "DestroyDeclined": "consent",
    "needs_question": "consent",
    "Engine": "engine",
    "HookEnv": "hooks",
    "HookError": "hooks",
    "HookRunner": "hooks",
    "Request": "operations",
    "apply": "operations",
    "destroy": "operations",
    "preview": "operations",
    "refresh": "operations",
    "Check": "preflight",
    "run_preflight": "preflight:preflight",
    "Progress": "progress",
    "Inputs": "project",
    "Loaded": "project",
    "load_project": "project:load",
    "RetryPolicy": "retry",
    "apply_with_retries": "retry",
    "ProjectState": "state",
    "stack_status": "status:status",
    "Summary": "summary",
    "write_step_summary": "summary",
    "last_wait": "workspace",
}
__all__ = [
    "BUILTINS",
    "Ask",
    "Check",
    "Consent",
    "DestroyDeclined",
    "Engine",
    "HookEnv",
    "HookError",
    "HookRunner",
    "Inputs",
    "Loaded",
    "Progress",
    "ProjectState",
    "Request",
    "RetryPolicy",
    "Summary",
    "apply",
    "apply_with_retries",
    "destroy",
    "last_wait",
    "load_project",
    "needs_question",
    "preview",
    "refresh",
    "run_preflight",
    "stack_status",
    "write_step_summary",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)

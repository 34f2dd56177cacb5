"""``status``: what a stack holds and whether it can run now, without changing anything.

Reads the stack without creating it: last operation (kind, result, times, changes), number of
resources and Kubernetes objects, outputs, tags, interrupted operations left by a crash, and
who holds its locks. A stack that does not exist is reported as such, not as an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pulumi.automation import errors as auto_errors

from codexstack.deploy import recovery
from codexstack.deploy.engine import Engine
from codexstack.deploy.locks import engine_locks, local_lock
from codexstack.deploy.progress import is_object
from codexstack.deploy.state import ProjectState, display_url, file_backend_dir
from codexstack.deploy.workspace import open_stack, pulumi_project
from codexstack.errors import StackBusyError
from codexstack.plan import Plan


def _locks(plan: Plan, state: ProjectState, backend: str) -> dict[str, Any]:
    try:
        with local_lock(state.stack_dir(plan.stack), plan.stack):
            local = ""
    except StackBusyError as exc:
        local = exc.message
    backend_dir = file_backend_dir(backend)
    held = engine_locks(backend_dir, pulumi_project(plan), plan.stack) if backend_dir else []
    return {"busy": bool(local or held), "local": local, "engine": [str(lock) for lock in held]}


def status(plan: Plan, project_dir: Path, engine: Engine) -> dict[str, Any]:
    """A JSON-ready description of ``plan``'s stack."""
    state = ProjectState(project_dir)
    backend = state.backend_url()
    out: dict[str, Any] = {
        "stack": plan.stack,
        "project": pulumi_project(plan),
        "backend": display_url(backend),
        "namespace": plan.namespace,
        "locks": _locks(plan, state, backend),
    }
    try:
        handle = open_stack(plan, state, engine, None, create=False)
    except auto_errors.StackNotFoundError:
        return {**out, "exists": False}
    stack = handle.stack
    history = stack.history(page_size=1, show_secrets=False)
    resources = (stack.export_stack().deployment or {}).get("resources") or []
    last = history[0] if history else None
    return {
        **out,
        "exists": True,
        "last_operation": None
        if last is None
        else {
            "kind": last.kind,
            "result": last.result,
            "start": last.start_time.isoformat(),
            "end": last.end_time.isoformat() if last.end_time else None,
            "changes": dict(last.resource_changes or {}),
        },
        "resources": len(resources),
        "objects": sum(1 for r in resources if is_object(str(r.get("type", "")))),
        "outputs": {k: v.value for k, v in stack.outputs().items()},
        "tags": dict(stack.list_tags()),
        "pending_operations": len(recovery.pending_operations(handle)),
    }

"""Bring a stack back to a runnable state after a crash: stale locks, pending operations.

A killed run leaves two things: the engine's lock file (handled by
:func:`codexstack.deploy.locks.clear_stale` under the local lock) and, in the checkpoint,
operations that were in flight. ``up`` proceeds past pending updates and deletes with a
warning, but pending *creates* stay until someone resolves them, because the object may or
may not exist. The safe resolution is automatic: a refresh that clears pending creates, after
which the next create adopts an object that did get created (server-side apply under the
stack's own field manager, plus ``upsert_existing_objects`` where the provider has it) instead
of failing with AlreadyExists or a field conflict (pulumi-notes §3).
"""

from __future__ import annotations

import json
from typing import Any

from codexstack.deploy.locks import clear_stale, engine_locks
from codexstack.deploy.state import file_backend_dir
from codexstack.deploy.workspace import StackHandle, read_checkpoint
from codexstack.errors import StackBusyError


def latest_state(handle: StackHandle) -> dict[str, Any]:
    """The stack's current deployment (checkpoint file when local, else an export)."""
    latest = read_checkpoint(handle.backend, handle.project, handle.stack.name)
    if latest is not None:
        return latest
    return dict(handle.stack.export_stack().deployment or {})


def pending_operations(handle: StackHandle) -> list[dict[str, Any]]:
    """Operations the last run left in flight."""
    return list(latest_state(handle).get("pending_operations") or [])


def resource_urns(handle: StackHandle) -> list[str]:
    """URNs of every resource the stack's state holds."""
    return [str(r.get("urn", "")) for r in latest_state(handle).get("resources") or []]


def recover_locks(handle: StackHandle) -> list[str]:
    """Remove this host's stale engine locks; StackBusyError if a live one remains."""
    backend_dir = file_backend_dir(handle.backend)
    if backend_dir is None:
        return []
    stack = handle.stack.name
    removed, held = clear_stale(backend_dir, handle.project, stack)
    if held:
        who = "; ".join(str(lock) for lock in held)
        raise StackBusyError(
            f"stack {stack} is locked by a running engine ({who})",
            hint=f"if that run is gone, remove {held[0].path.parent} or run `pulumi cancel`",
        )
    return [f"removed a stale engine lock ({lock}): its process is gone" for lock in removed]


def repair_sidecars(backend: str, project: str, stack: str) -> list[str]:
    """Remove truncated ``.attrs`` sidecars of the stack's state files (file backends).

    A file backend writes a state file atomically but its metadata sidecar in place; a run
    killed in between leaves an empty or half-written sidecar, and the engine then cannot load
    the stack ("failed to load checkpoint: EOF"). A missing sidecar is fine for it. Projects
    on codexstack's default backend write no sidecars at all (``metadata=skip``).
    """
    backend_dir = file_backend_dir(backend)
    if backend_dir is None:
        return []
    repaired = []
    folder = backend_dir / ".pulumi" / "stacks" / project
    for sidecar in sorted(folder.glob(f"{stack}.*.attrs")):
        try:
            json.loads(sidecar.read_text() or "-")
        except ValueError:
            sidecar.unlink(missing_ok=True)
            repaired.append(
                f"removed a truncated state metadata file left by a crash: {sidecar.name}"
            )
        except OSError:
            continue
    return repaired


def describe_pending(ops: list[dict[str, Any]]) -> str:
    kinds = sorted({str(op.get("type", "?")) for op in ops})
    return f"{len(ops)} interrupted operation(s) ({', '.join(kinds)})"


def has_engine_lock(handle: StackHandle) -> bool:
    backend_dir = file_backend_dir(handle.backend)
    return bool(backend_dir and engine_locks(backend_dir, handle.project, handle.stack.name))

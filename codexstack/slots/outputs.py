"""The machine outputs of ``ci ensure-slot`` and ``ci ensure-ready`` (codexctl §9.6).

Each result is an ordered mapping in codexctl's stdout order; the flows write it to
``$GITHUB_OUTPUT`` (:class:`codexstack.flows.ci.CiOutputs`). Booleans are ``true``/``false``.
"""

from __future__ import annotations

from collections.abc import Mapping

Value = str | int | bool


def text(value: Value) -> str:
    """A value as codexctl prints it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def slot_result(slot: int, namespace: str, env: str) -> dict[str, Value]:
    """``ci ensure-slot``: stdout ``slot``, ``namespace``, ``env``."""
    return {"slot": slot, "namespace": namespace, "env": env}


def run_args(env: str, slot: int, namespace: str, issue: int, pr: int) -> str:
    """``codexctl_run_args``: the flags later steps pass to address the same slot."""
    parts = [f"--env {env}", f"--slot {slot}"]
    if namespace:
        parts.append(f"--namespace {namespace}")
    if issue:
        parts.append(f"--issue {issue}")
    if pr:
        parts.append(f"--pr {pr}")
    return " ".join(parts)


def ready_result(
    *,
    slot: int,
    namespace: str,
    env: str,
    created: bool,
    recreated: bool,
    infra_ready: bool,
    env_ready: bool,
    issue: int = 0,
    pr: int = 0,
) -> dict[str, Value]:
    """``ci ensure-ready``: the 1.0.x keys in stdout order, then ``codexctl_run_args``."""
    return {
        "slot": slot,
        "namespace": namespace,
        "env": env,
        "created": created,
        "recreated": recreated,
        "infra_ready": infra_ready,
        "codexctl_env_ready": env_ready,
        "infra_unhealthy": not infra_ready,
        "codexctl_new_env": created or recreated,
        "codexctl_run_args": run_args(env, slot, namespace, issue, pr),
    }


STDOUT_HIDDEN = frozenset({"codexctl_run_args"})
"""Keys codexctl writes to ``$GITHUB_OUTPUT`` only."""


def legacy_ready(result: Mapping[str, Value]) -> dict[str, Value]:
    """codexctl <=0.8 ``--output json|kv``: slot, namespace, env, created, recreated, infraReady."""
    return {
        "slot": result["slot"],
        "namespace": result["namespace"],
        "env": result["env"],
        "created": result["created"],
        "recreated": result["recreated"],
        "infraReady": result["infra_ready"],
    }

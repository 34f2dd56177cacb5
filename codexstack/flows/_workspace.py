"""The sync step shared by ``ci sync-sources`` and ``ci ensure-ready``: host folder or PVC.

The workspace is ``<code-root-base>/<slot>/src`` (codexctl's targets, see
:func:`codexstack.slots.workspace_target`). It is a folder on this machine (codexctl ≤0.8,
``hostMounts``) or a folder inside the workspace PVC (1.0.x, ``pvcMounts``), reached through a
short-lived pod. ``CODEXSTACK_SYNC_MODE`` picks ``host`` or ``pvc``; the default (``auto``)
is PVC when the base lies below the workspace mount (``CODEXCTL_WORKSPACE_MOUNT``, default
``/workspace``, as in codexctl's workflows) or ``CODEXCTL_WORKSPACE_PVC`` is set, else host.
The PVC is ``CODEXCTL_WORKSPACE_PVC``, else ``<project>-workspace``; the pod's image
``CODEXCTL_SYNC_IMAGE``, else codexctl's ``busybox:1.37.0``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from codexstack import kube, slots
from codexstack.errors import UsageError
from codexstack.flows._registry import kubeconfig_path
from codexstack.flows.progress import Reporter

MODES = ("auto", "host", "pvc")


@dataclass(frozen=True)
class Where:
    """Whose workspace: the env, slot and namespace of the loaded config."""

    project: str
    env: str
    slot: int
    namespace: str
    kubeconfig: str = ""
    context: str = ""


def sync(
    where: Where,
    *,
    code_root_base: str,
    source: Path,
    options: slots.SyncOptions,
    process_env: Mapping[str, str],
    progress: Reporter,
) -> slots.SyncReport:
    """Copy ``source`` into the workspace of ``where``; progress and a summary line."""
    target = slots.workspace_target(Path(code_root_base), where.env, where.slot)
    mount = process_env.get("CODEXCTL_WORKSPACE_MOUNT") or slots.DEFAULT_MOUNT
    pvc = process_env.get("CODEXCTL_WORKSPACE_PVC", "")
    mode = (process_env.get("CODEXSTACK_SYNC_MODE") or "auto").lower()
    if mode not in MODES:
        raise UsageError(f"CODEXSTACK_SYNC_MODE={mode!r}: use one of {', '.join(MODES)}")
    if mode == "auto":
        below = PurePosixPath(mount) in PurePosixPath(target.as_posix()).parents
        mode = "pvc" if pvc or below else "host"
    if mode == "host":
        progress.info(f"sync {source.resolve()} -> {target}")
        report = slots.sync_sources(source, target, options=options)
    else:
        report = _to_pvc(
            where,
            target=target,
            mount=mount,
            pvc=pvc,
            source=source,
            options=options,
            process_env=process_env,
            progress=progress,
        )
    for name in report.withheld:
        progress.warn(f"not copied (may hold credentials; list it to copy it): {name}")
    progress.info(
        f"sources: {report.copied} copied, {report.unchanged} unchanged -> {report.target}"
    )
    return report


def _to_pvc(
    where: Where,
    *,
    target: Path,
    mount: str,
    pvc: str,
    source: Path,
    options: slots.SyncOptions,
    process_env: Mapping[str, str],
    progress: Reporter,
) -> slots.SyncReport:
    if not where.namespace:
        raise UsageError("PVC sync needs the slot's namespace (--namespace or a slot)")
    kubeconfig = kubeconfig_path(where.kubeconfig)
    if kubeconfig is None:
        raise UsageError(
            "PVC sync needs a cluster: no kubeconfig (set KUBECONFIG or the env's kubeconfig)",
            hint="or CODEXSTACK_SYNC_MODE=host to copy into a folder on this machine",
        )
    workspace = slots.PvcWorkspace(
        namespace=where.namespace,
        claim=pvc or f"{where.project}-workspace",
        subpath=slots.pvc_subpath(target.as_posix(), mount),
        mount=mount,
        image=process_env.get("CODEXCTL_SYNC_IMAGE") or slots.DEFAULT_IMAGE,
    )
    progress.info(f"sync {source.resolve()} -> pvc {workspace.claim}:{workspace.subpath}")
    client = kube.Client.from_kubeconfig(kubeconfig, where.context or None)
    return slots.sync_to_pvc(client, source, workspace, options)

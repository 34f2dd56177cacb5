"""Source sync into a workspace PVC (codexctl 1.0.x's mode), through a short-lived pod.

codexctl starts a ``sleep 3600`` pod with the PVC mounted, wipes the target and ``kubectl cp``s
the whole checkout, ``.git/config`` tokens included (D-SYNC). Here a pod
``codexstack-sync-<n>`` mounts the claim at the workspace mount (its working directory), with
an owner reference to that claim (it never outlives the volume it serves) and
``activeDeadlineSeconds`` (the kubelet ends it if this process dies; the next sync deletes
such leftovers). Through the Kubernetes exec API, in three steps: the pod lists the target's
files with size and mtime; the links the agent may have planted on the paths about to be
written are removed (so extraction never writes through a link into another slot's folder);
a tar stream of only the new or changed files (same excludes, withheld ``.env*`` and scrubbed
``.git/**/config`` as the host mode) is extracted without owners. Nothing already in the
target is wiped; ``prune`` removes only files the source no longer has. All paths inside the
pod are relative to its working directory, so the same commands run on any kubelet.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from codexstack import kube
from codexstack.errors import CodexstackError, TemporaryError, UsageError
from codexstack.slots.workspace import (
    SyncOptions,
    SyncReport,
    is_git_config,
    scrub_git_config,
    travels,
    withheld,
)

ROLE_LABEL = "codexstack.io/role"
ROLE = "workspace-sync"
DEFAULT_IMAGE = "busybox:1.37.0"
DEFAULT_MOUNT = "/workspace"
# In the pod: "<size> <mtime> <type> <path>" for every non-directory below the target.
LIST = 'cd "$1" 2>/dev/null || exit 0; find . ! -type d -exec stat -c "%s %Y %F %n" {} +'
# In the pod: remove symbolic links on the paths read from stdin (parents come first).
UNLINK = (
    'mkdir -p "$1" && cd "$1" && head -c "$2" | '
    'while IFS= read -r p; do if [ -L "$p" ]; then rm -f -- "$p"; fi; done'
)
EXTRACT = 'mkdir -p "$1" && head -c "$2" | tar -x -o -f - -C "$1"'
PRUNE = 'cd "$1" && head -c "$2" | while IFS= read -r p; do rm -rf -- "$p"; done'
Say = Callable[[str], None]


@dataclass(frozen=True)
class PvcWorkspace:
    """Where the sources go: a claim, its mount in the sync pod, the folder below it."""

    namespace: str
    claim: str
    subpath: str
    """The target relative to the mount (e.g. ``3/src``)."""
    mount: str = DEFAULT_MOUNT
    image: str = DEFAULT_IMAGE
    deadline: int = 900
    """Seconds the sync pod may live (``activeDeadlineSeconds``)."""
    ready_timeout: float = 120.0


def pvc_subpath(target: str, mount: str) -> str:
    """``target`` relative to ``mount``; it must lie strictly below it (codexctl's rule)."""
    path, root = PurePosixPath(target), PurePosixPath(mount)
    if not path.is_absolute() or ".." in path.parts or root not in path.parents:
        raise UsageError(
            f"workspace {target} is not below the workspace mount {mount}",
            hint="set --code-root-base (CODEXCTL_CODE_ROOT_BASE) under CODEXCTL_WORKSPACE_MOUNT",
        )
    return str(path.relative_to(root))


def sync_to_pvc(
    client: kube.Client,
    source: Path,
    workspace: PvcWorkspace,
    options: SyncOptions,
    say: Say = lambda _: None,
) -> SyncReport:
    """Bring the PVC folder up to date with ``source`` through a short-lived pod."""
    report = SyncReport(Path(workspace.mount) / workspace.subpath)
    _remove_leftovers(client, workspace.namespace)
    pod = _start_pod(client, workspace)
    try:
        _wait_running(client, workspace, pod)
        remote = _remote_files(client, workspace, pod)
        entries = list(_source_entries(source.resolve(), options, report))
        changed = [e for e in entries if _changed(e, remote)]
        report.unchanged = sum(1 for e in entries if e.kind != "dir") - sum(
            1 for e in changed if e.kind != "dir"
        )
        paths = sorted({str(p) for e in changed for p in _with_parents(e.rel)})
        _run(client, workspace, pod, UNLINK, "\n".join(paths).encode() + b"\n")
        with tempfile.TemporaryFile() as archive:
            _write_tar(archive, source.resolve(), changed)
            size = archive.tell()
            archive.seek(0)
            _run(client, workspace, pod, EXTRACT, archive, size=size)
        report.copied = sum(1 for e in changed if e.kind != "dir")
        if options.prune:
            keep = {str(e.rel) for e in entries}
            gone = sorted(p for p in remote if p not in keep and not _kept(p, options))
            if gone:
                _run(client, workspace, pod, PRUNE, "\n".join(gone).encode() + b"\n")
            report.removed.extend(gone)
        say(f"pvc {workspace.claim}:{workspace.subpath}: {report.copied} files sent")
        return report
    finally:
        _delete_pod(client, workspace.namespace, pod)


@dataclass(frozen=True)
class _Entry:
    rel: PurePosixPath
    kind: str  # "dir" | "file" | "link" | "config"
    size: int
    mtime: int


def _source_entries(source: Path, options: SyncOptions, report: SyncReport) -> Iterator[_Entry]:
    def walk(folder: Path, rel: PurePosixPath) -> Iterator[_Entry]:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            path = rel / entry.name
            if not travels(entry, path, options, None, report):
                continue
            st = entry.stat(follow_symlinks=False)
            if entry.is_symlink():
                yield _Entry(path, "link", 0, 0)
            elif entry.is_dir(follow_symlinks=False):
                yield _Entry(path, "dir", 0, 0)
                yield from walk(Path(entry.path), path)
            elif stat.S_ISREG(st.st_mode):
                kind = "config" if is_git_config(path) else "file"
                yield _Entry(path, kind, st.st_size, int(st.st_mtime))

    return walk(source, PurePosixPath())


def _changed(entry: _Entry, remote: dict[str, tuple[int, int, str]]) -> bool:
    if entry.kind in ("dir", "link", "config"):
        return True  # cheap, and a link or a scrubbed config cannot be compared by size
    seen = remote.get(str(entry.rel))
    return (
        seen is None
        or not seen[2].startswith("regular")
        or seen[:2]
        != (
            entry.size,
            entry.mtime,
        )
    )


def _with_parents(rel: PurePosixPath) -> list[PurePosixPath]:
    return [*reversed(rel.parents[:-1]), rel] if rel.parents else [rel]


def _kept(path: str, options: SyncOptions) -> bool:
    """Remote files prune leaves alone: excluded names and files the source withholds."""
    parts = PurePosixPath(path).parts
    return any(p in options.excludes or withheld(p, options.env_files) for p in parts)


def _write_tar(archive: IO[bytes], source: Path, entries: list[_Entry]) -> None:
    with tarfile.open(fileobj=archive, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for entry in entries:
            path = source / entry.rel
            info = tar.gettarinfo(str(path), arcname=str(entry.rel))
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if entry.kind == "config":
                data = scrub_git_config(path.read_bytes().decode(errors="replace")).encode()
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            elif entry.kind == "file":
                with open(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as fh:
                    tar.addfile(info, fh)
            else:
                tar.addfile(info)


def _pod_path(namespace: str, name: str = "") -> str:
    return f"/api/v1/namespaces/{namespace}/pods" + (f"/{name}" if name else "")


def _remove_leftovers(client: kube.Client, namespace: str) -> None:
    """Delete sync pods of earlier runs whose deadline has passed (their process died)."""
    now = time.time()
    for pod in client.list(_pod_path(namespace), {"labelSelector": f"{ROLE_LABEL}={ROLE}"}):
        meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
        created = datetime.strptime(meta["creationTimestamp"], "%Y-%m-%dT%H:%M:%SZ")
        age = now - created.replace(tzinfo=UTC).timestamp()
        if age > float(spec.get("activeDeadlineSeconds") or 0):
            client.request("DELETE", _pod_path(namespace, meta["name"]))


def _start_pod(client: kube.Client, ws: PvcWorkspace) -> str:
    claim = client.request(
        "GET", f"/api/v1/namespaces/{ws.namespace}/persistentvolumeclaims/{ws.claim}"
    )
    if claim.status == 404:
        raise CodexstackError(
            f"workspace PVC {ws.claim} does not exist in namespace {ws.namespace}",
            hint="apply the slot's stack first (it makes the claim), or set CODEXCTL_WORKSPACE_PVC",
        )
    owner = claim.expect()["metadata"]
    body: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "generateName": "codexstack-sync-",
            "labels": {ROLE_LABEL: ROLE, "app.kubernetes.io/managed-by": "codexstack"},
            "ownerReferences": [
                {
                    "apiVersion": "v1",
                    "kind": "PersistentVolumeClaim",
                    "name": owner["name"],
                    "uid": owner["uid"],
                }
            ],
        },
        "spec": {
            "restartPolicy": "Never",
            "activeDeadlineSeconds": ws.deadline,
            "automountServiceAccountToken": False,
            "containers": [
                {
                    "name": "sync",
                    "image": ws.image,
                    "command": ["sleep", str(ws.deadline)],
                    "workingDir": ws.mount,
                    "volumeMounts": [{"name": "workspace", "mountPath": ws.mount}],
                }
            ],
            "volumes": [{"name": "workspace", "persistentVolumeClaim": {"claimName": ws.claim}}],
        },
    }
    created = client.request("POST", _pod_path(ws.namespace), body).expect()
    return str(created["metadata"]["name"])


def _wait_running(client: kube.Client, ws: PvcWorkspace, pod: str) -> None:
    deadline = time.monotonic() + ws.ready_timeout
    phase = ""
    while time.monotonic() < deadline:
        status = client.request("GET", _pod_path(ws.namespace, pod)).expect().get("status") or {}
        phase = str(status.get("phase") or "")
        if phase == "Running":
            return
        if phase in ("Failed", "Succeeded"):
            break
        time.sleep(0.5)
    raise TemporaryError(
        f"sync pod {ws.namespace}/{pod} is not running after {ws.ready_timeout:.0f} s "
        f"(phase {phase or 'unknown'})",
        hint=f"kubectl -n {ws.namespace} describe pod {pod}",
    )


def _remote_files(
    client: kube.Client, ws: PvcWorkspace, pod: str
) -> dict[str, tuple[int, int, str]]:
    out = _run(client, ws, pod, LIST, None)
    files: dict[str, tuple[int, int, str]] = {}
    for line in out.decode(errors="replace").splitlines():
        size, mtime, rest = line.split(" ", 2)
        kind, _, name = rest.rpartition(" ./")
        files[name] = (int(size), int(mtime), kind)
    return files


def _run(
    client: kube.Client,
    ws: PvcWorkspace,
    pod: str,
    script: str,
    stdin: bytes | IO[bytes] | None,
    *,
    size: int | None = None,
) -> bytes:
    out, err = bytearray(), bytearray()
    if isinstance(stdin, bytes):
        size = len(stdin)
    argv = ["sh", "-c", script, "sync", ws.subpath, str(size or 0)]
    result = kube.exec_pod(
        client.endpoint,
        ws.namespace,
        pod,
        argv,
        container="sync",
        stdin=stdin,  # type: ignore[arg-type]
        on_stdout=out.extend,
        on_stderr=err.extend,
        timeout=float(ws.deadline),
    )
    if result.exit_code != 0:
        tail = err.decode(errors="replace").strip().splitlines()[-5:]
        raise CodexstackError(
            f"sync pod {ws.namespace}/{pod}: step failed with exit {result.exit_code}: "
            + (" | ".join(tail) or result.message)
        )
    return bytes(out)


def _delete_pod(client: kube.Client, namespace: str, pod: str) -> None:
    # On failure the deadline ends it, and the next sync removes it.
    with contextlib.suppress(kube.KubeError):
        client.request("DELETE", _pod_path(namespace, pod), {"gracePeriodSeconds": 0})

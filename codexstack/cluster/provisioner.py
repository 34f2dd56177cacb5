"""The local-path provisioner process: directories on this machine as PersistentVolumes.

Run as ``python -m codexstack.cluster.provisioner --state-dir <cluster state>``. It talks to the
apiserver as admin through ``codexstack.kube`` (the cluster's own PKI, one kept-alive
connection) and polls every half second: it keeps our StorageClasses present, makes a pre-bound
PV (and its directory) for every claim the PV controller hands to ``codexstack.io/local-path``,
and deletes the PVs of ours that were Released, with their directories. The controller-manager
does the binding. No error ends the loop (each is logged once, then retried); SIGTERM or SIGINT
end it between syncs.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from codexstack import kube
from codexstack.cluster import probes, storage, volumes
from codexstack.cluster.layout import Layout
from codexstack.cluster.volumes import Obj

LOG = logging.getLogger("local-path-provisioner")
INTERVAL = 0.5
HEARTBEAT_EVERY = 2.0
SC_PATH = "/apis/storage.k8s.io/v1/storageclasses"
PV_PATH = "/api/v1/persistentvolumes"
PVC_PATH = "/api/v1/persistentvolumeclaims"


class Api:
    """The local apiserver as admin: one kept-alive client, rebuilt after a transport failure.

    Ports are read whenever the client is (re)built: a restarted cluster may have re-picked
    them.
    """

    def __init__(self, layout: Layout) -> None:
        self._layout = layout
        self._client: kube.Client | None = None

    def _connected(self) -> kube.Client:
        if self._client is None:
            ports = self._layout.load_ports()
            if ports is None:
                raise kube.KubeError(f"no {self._layout.ports_file} (cluster never started)")
            endpoint = probes.admin_endpoint(ports.apiserver, self._layout.pki)
            self._client = kube.Client(endpoint, timeout=5.0)
        return self._client

    def expect(
        self, method: str, path: str, body: Obj | None = None, ok: tuple[int, ...] = ()
    ) -> Obj:
        try:
            return self._connected().request(method, path, body).expect(ok)
        except kube.KubeError as exc:
            if not exc.status:
                self.close()
            raise

    def items(self, path: str) -> list[Obj]:
        try:
            return self._connected().list(path)
        except kube.KubeError as exc:
            if not exc.status:
                self.close()
            raise

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


@dataclass
class Provisioner:
    """One sync pass at a time over claims and volumes; counts what it did."""

    api: Api
    root: Path
    provisioned: int = 0
    reclaimed: int = 0
    _warned: set[str] = field(default_factory=set)

    def sync(self) -> list[str]:
        """One pass; returns the errors of single objects (the pass itself went through)."""
        classes = self.api.items(SC_PATH)
        for missing in volumes.missing_classes(classes):
            self.api.expect("POST", SC_PATH, missing, ok=(409,))
            LOG.info("created StorageClass %s", missing["metadata"]["name"])
            classes.append(missing)
        ours = volumes.our_classes(classes)
        existing = self.api.items(PV_PATH)
        names = {v["metadata"]["name"] for v in existing}
        errors = []
        for claim in self.api.items(PVC_PATH):
            if volumes.wants_volume(claim, ours) and volumes.volume_name(claim) not in names:
                errors.extend(self._guard(self._provision, claim))
        for volume in existing:
            if volumes.reclaimable(volume):
                errors.extend(self._guard(self._reclaim, volume))
        return errors

    def _guard(self, action: Callable[[Obj], None], obj: Obj) -> list[str]:
        try:
            action(obj)
        except (kube.KubeError, OSError) as exc:
            return [f"{obj['metadata']['name']}: {exc}"]
        return []

    def _provision(self, claim: Obj) -> None:
        meta = claim["metadata"]
        reason = volumes.unsupported(claim)
        if reason is not None:
            if meta["uid"] not in self._warned:
                self._warned.add(meta["uid"])
                LOG.warning("claim %s/%s not served: %s", meta["namespace"], meta["name"], reason)
            return
        directory = volumes.volume_dir(self.root, claim)
        directory.mkdir(parents=True, exist_ok=True)
        body = volumes.persistent_volume(claim, directory)
        self.api.expect("POST", PV_PATH, body, ok=(409,))
        self.provisioned += 1
        LOG.info(
            "provisioned %s for %s/%s at %s",
            body["metadata"]["name"],
            meta["namespace"],
            meta["name"],
            directory,
        )

    def _reclaim(self, volume: Obj) -> None:
        name = volume["metadata"]["name"]
        if not volumes.remove_dir(volume, self.root):
            LOG.warning("%s: directory outside %s left in place", name, self.root)
        self.api.expect("DELETE", f"{PV_PATH}/{name}", ok=(404,))
        self.reclaimed += 1
        LOG.info("deleted released volume %s", name)


class Loop:
    """Sync until stopped; log each distinct error once and keep the heartbeat fresh."""

    def __init__(self, layout: Layout, stop: threading.Event) -> None:
        self.layout = layout
        self.stop = stop
        self.api = Api(layout)
        self.provisioner = Provisioner(self.api, storage.volumes_root(layout))
        self._last_error = ""
        self._last_beat: tuple[float, bool, str] = (0.0, False, "")

    def once(self) -> None:
        try:
            problems = self.provisioner.sync()
            ok, error = True, "; ".join(problems)
        except kube.KubeError as exc:
            ok, error = False, str(exc)
        except Exception as exc:  # a bug or an odd object must not stop provisioning
            LOG.exception("sync failed")
            ok, error = False, f"{type(exc).__name__}: {exc}"
        if error != self._last_error:
            if error:
                LOG.error("%s", error)
            else:
                LOG.info("syncing again")
            self._last_error = error
        self._beat(ok, error)

    def _beat(self, ok: bool, error: str) -> None:
        p = self.provisioner
        detail = error or f"{p.provisioned} provisioned, {p.reclaimed} reclaimed"
        now = time.monotonic()
        if (ok, detail) == self._last_beat[1:] and now - self._last_beat[0] < HEARTBEAT_EVERY:
            return
        try:
            storage.write_heartbeat(self.layout, {"ok": ok, "detail": detail[:300]})
        except OSError as exc:  # status will call us hung; provisioning itself goes on
            if self._last_beat[0] >= 0:
                LOG.warning("heartbeat: %s", exc)
            self._last_beat = (-1.0, ok, detail)
            return
        self._last_beat = (now, ok, detail)

    def run(self) -> None:
        LOG.info("watching claims of %s; volumes in %s", volumes.PROVISIONER, self.provisioner.root)
        while not self.stop.is_set():
            self.once()
            self.stop.wait(INTERVAL)
        self.api.close()
        LOG.info("stopped")


def main(args: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="codexstack.cluster.provisioner", description=__doc__)
    parser.add_argument("--state-dir", type=Path, required=True, help="the cluster's state dir")
    options = parser.parse_args(args)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    Loop(Layout(options.state_dir.resolve()), stop).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Slot registry figures: ensure-slot latency under 64-way concurrency, and `slots list` time.

For each backend (SQLite file; Kubernetes Leases on the project's local cluster when it is
up, or with ``--up`` to start it) this prints:

- ensure-slot latency p50/p95/max over 64 concurrent processes (forked, released together)
  for 64 distinct issues, with room for all (max 64) and under contention (max 16: 48 get
  the "no free slot" answer), over ``--rounds`` rounds;
- the time to list 100 claims (median of 20 listings).

Run: ``.venv/bin/python benchmarks/slots_bench.py [--rounds 5] [--up] [--only sqlite|lease]``
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "slots"))  # the shared concurrent-process runner

from slotkit import clear, demo_namespace, run_concurrently  # noqa: E402

from codexstack.cluster import local  # noqa: E402
from codexstack.kube import Client, path_of  # noqa: E402
from codexstack.slots import Request, Selector, Slots  # noqa: E402
from codexstack.slots.backends import RegistrySettings, open_slots  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def latency(settings: RegistrySettings, slots: Slots, max_slots: int, rounds: int) -> str:
    elapsed: list[float] = []
    for round_no in range(rounds):
        issues = [100_000 * (round_no + 1) + i for i in range(64)]
        outcomes = run_concurrently(settings, issues, max_slots=max_slots)
        bad = [o.message for o in outcomes if o.code not in (0, 75)]
        if bad:
            raise SystemExit(f"unexpected failures: {bad[:3]}")
        elapsed += [o.elapsed for o in outcomes]
        clear(slots)
    p50, p95 = percentile(elapsed, 0.5) * 1000, percentile(elapsed, 0.95) * 1000
    worst = max(elapsed) * 1000
    return f"p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {worst:7.1f} ms   (n={len(elapsed)})"


def list_time(slots: Slots) -> str:
    for issue in range(1, 101):
        slots.ensure(Request(Selector(issue=issue), demo_namespace, max_slots=100))
    times = []
    for _ in range(20):
        started = time.perf_counter()
        claims = slots.claims()
        times.append(time.perf_counter() - started)
    assert len(claims) == 100
    clear(slots)
    return f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"


def bench(name: str, settings: RegistrySettings, rounds: int) -> None:
    slots = open_slots(settings)
    print(f"{name}:")
    print(f"  ensure-slot, 64 processes, max 64: {latency(settings, slots, 64, rounds)}")
    print(f"  ensure-slot, 64 processes, max 16: {latency(settings, slots, 16, rounds)}")
    print(f"  slots list, 100 claims:            {list_time(slots)}", flush=True)


def lease_settings(start: bool) -> tuple[RegistrySettings, str] | None:
    state = REPO / ".codexstack" / "cluster"
    status = local.up(state) if start else local.status(state)
    if not status.healthy:
        print("lease: skipped (local cluster not up; pass --up to start it)")
        return None
    namespace = f"slots-bench-{secrets.token_hex(3)}"
    return RegistrySettings(
        backend="lease", kubeconfig=Path(status.kubeconfig), namespace=namespace
    ), namespace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--up", action="store_true", help="start the local cluster if needed")
    parser.add_argument("--only", choices=["sqlite", "lease"])
    args = parser.parse_args()
    if args.only != "lease":
        with tempfile.TemporaryDirectory() as tmp:
            bench("sqlite", RegistrySettings(path=Path(tmp) / "slots.db"), args.rounds)
    if args.only != "sqlite":
        found = lease_settings(args.up)
        if found:
            settings, namespace = found
            try:
                bench("lease (local kube-apiserver)", settings, args.rounds)
            finally:
                assert settings.kubeconfig is not None
                Client.from_kubeconfig(settings.kubeconfig).request(
                    "DELETE", path_of("api", "v1", "namespaces", namespace)
                )


if __name__ == "__main__":
    main()

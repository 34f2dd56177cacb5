"""Apply benchmark: codexstack against ``kubectl apply --server-side`` + ``kubectl wait``.

On the local cluster, for the demo (env dev, its own namespace) and for generated projects of
N services (Deployment + Service + ConfigMap each), measures:

- first apply with readiness (codexstack ``apply --wait`` through the library; kubectl
  ``apply --server-side`` of the same rendered manifests, then ``wait --for=condition=Available
  deployment --all``),
- no-op apply (the same again, nothing changed),
- "adopt what kubectl applied": the switch from codexctl, i.e. the manifests first applied by
  ``kubectl apply`` (client-side, as codexctl does), then codexstack's first apply, which
  adopts every object instead of creating it; timed against codexstack's first apply on an
  empty namespace,

prints the ratios codexstack/kubectl and the per-object overhead (the slope of codexstack's
time over the number of objects, minus kubectl's). Figures only, no assertions.

Run: ``.venv/bin/python benchmarks/apply_bench.py [--sizes 5,25] [--skip-demo]``
(needs ``scripts/engine`` and ``codexstack cluster up``; state goes to a temporary directory).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from codexstack.cluster import local, tools  # noqa: E402
from codexstack.deploy.engine import Engine  # noqa: E402
from codexstack.deploy.operations import Request, apply, destroy  # noqa: E402
from codexstack.deploy.project import Inputs, load  # noqa: E402
from codexstack.plan.model import ClusterTarget, Manifest, Plan, Unit  # noqa: E402
from codexstack.program.options import ProgramOptions  # noqa: E402
from codexstack.yamlio import dump_stream  # noqa: E402


def _deployment(name: str, ns: str) -> dict[str, Any]:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": name, "image": f"registry.invalid/{name}:1"}]},
            },
        },
    }


def generated_plan(services: int, ns: str, kubeconfig: str) -> Plan:
    units = []
    for i in range(services):
        name = f"svc-{i:03d}"
        objs = [
            _deployment(name, ns),
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": name, "namespace": ns},
                "spec": {"selector": {"app": name}, "ports": [{"port": 80}]},
            },
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": f"{name}-config", "namespace": ns},
                "data": {"N": str(i)},
            },
        ]
        units.append(
            Unit(
                "service",
                name,
                True,
                tuple(Manifest(f"gen/{name}.yaml", j, o) for j, o in enumerate(objs)),
            )
        )
    return Plan(
        "bench", "dev", 0, ns, "dev", (), tuple(units), cluster=ClusterTarget(kubeconfig=kubeconfig)
    )


def demo_plan(project: Path, ns: str, kubeconfig: str) -> Plan:
    loaded = load(Inputs(project / "services.yaml", "dev", namespace=ns, kubeconfig=kubeconfig))
    return dataclasses.replace(
        loaded.plan,
        hooks={},
        infrastructure=tuple(dataclasses.replace(u, hooks={}) for u in loaded.plan.infrastructure),
        services=tuple(dataclasses.replace(u, hooks={}) for u in loaded.plan.services),
    )


def timed(fn: Any, *args: Any, **kwargs: Any) -> float:
    began = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - began


def codexstack_runs(plan: Plan, workdir: Path, engine: Engine) -> tuple[float, float]:
    request = Request(plan, workdir, engine, ProgramOptions(wait=True, await_timeout_s=300))
    first = timed(apply, request)
    noop = timed(apply, request)
    destroy(request, remove=True)
    return first, noop


def _wait_gone(kubectl: list[str], ns: str) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        done = subprocess.run([*kubectl, "get", "namespace", ns], capture_output=True, check=False)
        if done.returncode != 0:
            return
        time.sleep(0.5)


def kubectl_runs(plan: Plan, kubectl: list[str], workdir: Path) -> tuple[float, float]:
    manifest = _manifest(plan, workdir)

    def run() -> None:
        subprocess.run(
            [*kubectl, "apply", "--server-side", "-f", str(manifest)],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *kubectl,
                "wait",
                "--for=condition=Available",
                "deployment",
                "--all",
                "-n",
                plan.namespace,
                "--timeout=300s",
            ],
            check=True,
            capture_output=True,
        )

    first = timed(run)
    noop = timed(run)
    subprocess.run(
        [*kubectl, "delete", "namespace", plan.namespace, "--wait=false"],
        check=False,
        capture_output=True,
    )
    _wait_gone(kubectl, plan.namespace)
    return first, noop


def _manifest(plan: Plan, workdir: Path) -> Path:
    docs = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": plan.namespace}},
        *[d for d in plan.documents(selected_only=False) if d.get("kind") != "Namespace"],
    ]
    manifest = workdir / "manifests.yaml"
    manifest.write_text(dump_stream(docs))
    return manifest


def adopt_run(plan: Plan, workdir: Path, engine: Engine, kubectl: list[str]) -> tuple[float, int]:
    """codexctl's ``kubectl apply`` first, then codexstack's first apply (timed): it adopts."""
    adopt_dir = workdir / "adopt"
    adopt_dir.mkdir()
    subprocess.run(
        [*kubectl, "apply", "-f", str(_manifest(plan, adopt_dir))], check=True, capture_output=True
    )
    request = Request(plan, adopt_dir, engine, ProgramOptions(wait=True, await_timeout_s=300))
    began = time.perf_counter()
    summary = apply(request)
    took = time.perf_counter() - began
    destroy(request, remove=True)
    _wait_gone(kubectl, plan.namespace)
    return took, len(summary.adopted)


def objects(plan: Plan) -> int:
    return sum(len(u.manifests) for u in plan.units())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5,25", help="generated project sizes (services)")
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    os.environ.pop("PULUMI_BACKEND_URL", None)
    cluster = local.up(REPO / ".codexstack" / "cluster")
    kubeconfig = str(cluster.kubeconfig)
    kubectl = [str(tools.require("kubectl")), f"--kubeconfig={kubeconfig}"]
    engine = Engine(tools.pulumi_root(), tools.pulumi_env())
    rows: list[tuple[str, int, float, float, float, float]] = []
    adopts: list[tuple[str, int, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="codexstack-bench-") as tmp:
        cases: list[tuple[str, Plan]] = []
        if not args.skip_demo:
            project = Path(tmp) / "demo"
            shutil.copytree(
                REPO / "examples" / "demo", project, ignore=shutil.ignore_patterns(".codexstack")
            )
            cases.append(("demo dev", demo_plan(project, "bench-demo", kubeconfig)))
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            cases.append(
                (f"{size} services", generated_plan(size, f"bench-gen-{size}", kubeconfig))
            )
        for label, plan in cases:
            work = Path(tmp) / plan.namespace
            work.mkdir()
            cs_first, cs_noop = codexstack_runs(plan, work, engine)
            _wait_gone(kubectl, plan.namespace)
            k_first, k_noop = kubectl_runs(plan, kubectl, work)
            rows.append((label, objects(plan), cs_first, cs_noop, k_first, k_noop))
            adopt_s, adopted = adopt_run(plan, work, engine, kubectl)
            adopts.append((label, adopted, adopt_s, cs_first))
    print(
        f"{'case':<14}{'objects':>8}{'cs first':>10}{'kubectl':>9}{'ratio':>7}"
        f"{'cs no-op':>10}{'kubectl':>9}{'ratio':>7}"
    )
    for label, n, cf, cn, kf, kn in rows:
        print(
            f"{label:<14}{n:>8}{cf:>9.2f}s{kf:>8.2f}s{cf / kf:>7.1f}"
            f"{cn:>9.2f}s{kn:>8.2f}s{cn / kn:>7.1f}"
        )
    print(f"\n{'adopt what kubectl applied':<28}{'adopted':>8}{'adopt':>9}{'first':>9}{'ratio':>7}")
    for label, adopted, took, first in adopts:
        print(f"{label:<28}{adopted:>8}{took:>8.2f}s{first:>8.2f}s{took / first:>7.2f}")
    generated = [r for r in rows if r[0].endswith("services")]
    if len(generated) >= 2:
        (_, n1, c1, cn1, k1, kn1), (_, n2, c2, cn2, k2, kn2) = generated[0], generated[-1]
        per_first = ((c2 - c1) - (k2 - k1)) / (n2 - n1)
        per_noop = ((cn2 - cn1) - (kn2 - kn1)) / (n2 - n1)
        print(
            f"per-object overhead over kubectl: first apply {per_first * 1000:.0f} ms, "
            f"no-op apply {per_noop * 1000:.0f} ms "
            f"(codexstack alone: {(c2 - c1) / (n2 - n1) * 1000:.0f} ms / "
            f"{(cn2 - cn1) / (n2 - n1) * 1000:.0f} ms per object)"
        )


if __name__ == "__main__":
    main()

"""Render benchmarks: start-up of ``codexstack render``, the demo per env, 500 services, --help.

Prints figures only (no assertions). First what a user waits for: ``codexstack render --env ai
--slot 1`` as a fresh process, for the demo and for a generated 500-service project, as the
median wall time, the share of it spent importing (``-X importtime``, top-level imports
summed) and the ratio against a bare ``python -c pass`` start (which factors out how busy the
machine is). Then, in-process, load + plan + YAML stream per demo environment and for 500
services (total and per service), and ``codexstack --help`` as a fresh process.

It also prints the *floor*: a fresh process that only imports what the required stack makes
every ``render`` import (pydantic for the config models, typer for the CLI, which itself builds
a pydantic adapter per parameter, and PyYAML) and runs no codexstack code. No change inside
codexstack can start ``render`` faster than that.

Run: ``.venv/bin/python benchmarks/render_bench.py [--services 500] [--runs 5] [--help-runs 9]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from codexstack.plan import PlanRequest, load_plan  # noqa: E402
from codexstack.yamlio import dump_stream  # noqa: E402

DEMO_CASES = [("dev", 0), ("staging", 0), ("ai-staging", 0), ("ai", 1), ("ai", 7), ("ai-repair", 0)]

SERVICE_MANIFEST = """\
# {{- $name := "svc-NNN" }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: '{{ $name }}-config'
data:
  ENV: '{{ .Env }}'
  URL: 'http://{{ $name }}.{{ .Namespace }}.svc.cluster.local'
  VERSION: '{{ index .Versions "svc-NNN" }}'
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-NNN
  labels:
    app.kubernetes.io/name: svc-NNN
spec:
  replicas: {{ ternary (eq .Env "staging") 2 1 }}
  selector:
    matchLabels:
      app.kubernetes.io/name: svc-NNN
  template:
    metadata:
      labels:
        app.kubernetes.io/name: svc-NNN
    spec:
      containers:
        - name: app
          image: placeholder
          envFrom:
            - configMapRef:
                name: svc-NNN-config
---
apiVersion: v1
kind: Service
metadata:
  name: svc-NNN
spec:
  selector:
    app.kubernetes.io/name: svc-NNN
  ports:
    - port: 80
      targetPort: 8080
"""


def generate_project(root: Path, count: int) -> Path:
    """Write a services.yaml with ``count`` services (3 documents each) under ``root``."""
    lines = ["project: bench", "versions:"]
    lines += [f'  svc-{i:03d}: "1.{i}.0"' for i in range(count)]
    lines += ["environments:", "  dev: {}", "  staging: {}", "  ai:", "    from: staging"]
    lines.append("services:")
    for i in range(count):
        name = f"svc-{i:03d}"
        (root / "svc").mkdir(exist_ok=True)
        (root / "svc" / f"{name}.yaml").write_text(SERVICE_MANIFEST.replace("NNN", f"{i:03d}"))
        lines += [
            f"  - name: {name}",
            f"    manifests: [{{path: svc/{name}.yaml}}]",
            "    image:",
            f"      repository: registry.local/bench/{name}",
            f"      tagTemplate: '{{{{ index .Versions \"{name}\" }}}}'",
            "    overlays:",
            "      ai:",
            "        pvcMounts:",
            "          - {name: src, claimName: bench-workspace, mountPath: /src}",
        ]
    path = root / "services.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def render_once(config: Path, env: str, slot: int) -> tuple[float, int]:
    """Seconds for load + plan + stream, and the number of documents."""
    start = time.perf_counter()
    plan = load_plan(
        PlanRequest(config, env, slot=slot, include_unselected=False, process_env={}), warnings=[]
    )
    docs = plan.documents()
    dump_stream(docs)
    return time.perf_counter() - start, len(docs)


def median_of(runs: int, fn: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    results = [fn() for _ in range(runs)]
    return statistics.median(r[0] for r in results), results[0][1]


START = "import sys; from cli.app import main; sys.argv[0] = 'codexstack'; main()"
RENDER_ARGS = ["render", "--env", "ai", "--slot", "1"]


def wall(argv: list[str], cwd: Path) -> float:
    """Seconds of one fresh process (output discarded)."""
    start = time.perf_counter()
    subprocess.run(
        argv, check=True, capture_output=True, cwd=cwd, env={**os.environ, "NO_COLOR": "1"}
    )
    return time.perf_counter() - start


def import_seconds(cwd: Path, args: list[str]) -> float:
    """Seconds spent in top-level imports of one render, from ``python -X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", START, *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    total = 0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if not name.startswith("  "):  # a top-level import (nested ones are indented)
            total += int(cumulative)
    return total / 1e6


STACK_FLOOR = "from pydantic import BaseModel; import typer, typer._adapters, yaml"
"""What every ``render`` imports before any codexstack code runs (the required stack)."""

TARGETS_MS = {"demo": 150, "500 services": 500}
"""Issue 9 item 7: median wall time of a fresh ``render --env ai --slot 1`` on this machine."""


def startup(label: str, cwd: Path, args: list[str], runs: int) -> None:
    bare = statistics.median(wall([sys.executable, "-c", "pass"], cwd) for _ in range(runs))
    render = statistics.median(wall([sys.executable, "-c", START, *args], cwd) for _ in range(runs))
    imports = statistics.median(import_seconds(cwd, args) for _ in range(max(1, runs // 2)))
    target = TARGETS_MS.get(label)
    verdict = (
        ""
        if target is None
        else f"   target <= {target} ms: {'met' if render * 1000 <= target else 'MISSED'}"
    )
    print(
        f"  {label:<22} median {render * 1000:7.0f} ms   imports {imports / render:4.0%}"
        f"   x{render / bare:5.1f} of `python -c pass` ({bare * 1000:.0f} ms){verdict}"
    )


def floor(runs: int) -> None:
    """Print the median start of a process importing only the required stack (STACK_FLOOR)."""
    bare = statistics.median(wall([sys.executable, "-c", "pass"], REPO) for _ in range(runs))
    stack = statistics.median(wall([sys.executable, "-c", STACK_FLOOR], REPO) for _ in range(runs))
    print(
        f"  {'floor (stack imports)':<22} median {stack * 1000:7.0f} ms"
        f"   x{stack / bare:5.1f} of `python -c pass` ({bare * 1000:.0f} ms)"
        f"   = {stack * 1000 / TARGETS_MS['demo']:.0%} of the demo target, no codexstack code run"
    )


def help_time(runs: int) -> list[float]:
    """Wall times of ``codexstack --help`` in fresh processes."""
    exe = REPO / ".venv" / "bin" / "codexstack"
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "cli.app", "--help"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd, check=True, capture_output=True, cwd=REPO, env={**os.environ, "NO_COLOR": "1"}
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--help-runs", type=int, default=9)
    args = parser.parse_args()

    print(f"== start-up: `codexstack {' '.join(RENDER_ARGS)}` in a fresh process, n={args.runs}")
    floor(args.runs)
    startup("demo", REPO / "examples" / "demo", RENDER_ARGS, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        generate_project(Path(tmp), args.services)
        startup(f"{args.services} services", Path(tmp), RENDER_ARGS, args.runs)

    print("== demo (examples/demo, Go dialect), in-process, median of", args.runs)
    demo = REPO / "examples" / "demo" / "services.yaml"
    for env, slot in DEMO_CASES:
        seconds, docs = median_of(args.runs, lambda e=env, s=slot: render_once(demo, e, s))
        label = f"{env} slot {slot}" if slot else env
        print(f"  {label:<14} {seconds * 1000:8.1f} ms  {docs:3d} documents")

    print(f"== generated project: {args.services} services x 3 documents, env ai slot 1")
    with tempfile.TemporaryDirectory() as tmp:
        config = generate_project(Path(tmp), args.services)
        runs = max(1, args.runs // 2)
        seconds, docs = median_of(runs, lambda: render_once(config, "ai", 1))
        print(f"  total          {seconds:8.2f} s   {docs} documents (median of {runs})")
        print(f"  per service    {seconds / args.services * 1000:8.2f} ms")
        print(f"  per document   {seconds / max(docs, 1) * 1000:8.2f} ms")

    times = help_time(args.help_runs)
    print(
        f"== codexstack --help: median {statistics.median(times) * 1000:.0f} ms, "
        f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms (n={len(times)})"
    )


if __name__ == "__main__":
    main()

"""Battery C1: a 50-object apply through a real TCP fault proxy between the engine's provider
and the local kube-apiserver — 30 % 5xx, 10 % 429, 5 % connection resets.

The proxy (tests/slots/faultproxy.py) terminates TLS with the apiserver's own certificate and
faults only requests whose User-Agent is the provider's, so codexstack's own API checks are
not the subject here. 5xx and 429 answers carry ``Retry-After: 1`` as an overloaded apiserver's
do. The apply is ``ci apply`` with a bounded attempt budget: it must succeed, leave all 50
objects, stay within the budget, and print its figures.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from codexstack.cluster.health import ClusterStatus
from tests.integration.apply_support import CLI, cli_env, kget, new_namespace, sweep
from tests.slots.faultproxy import Fault, FaultProxy, every

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(1800)]
__all__ = ["sweep"]  # fixture
Record = Callable[[str, object], None]
OBJECTS = 50
ATTEMPTS = 8
BUDGET = ("--apply-retries", str(ATTEMPTS), "--apply-backoff", "1s")
PROVIDER = "pulumi"  # the provider's client-go User-Agent names it


@pytest.fixture
def proxy(cluster: ClusterStatus) -> Iterator[FaultProxy]:
    config = yaml.safe_load(Path(cluster.kubeconfig).read_text())
    server = config["clusters"][0]["cluster"]["server"]
    running = FaultProxy(server, Path(cluster.state_dir) / "pki", seed=14).start()
    yield running
    running.stop()


def project(root: Path) -> Path:
    root.mkdir()
    docs = [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": f"c1-{i}"},
            "data": {"i": str(i)},
        }
        for i in range(OBJECTS)
    ]
    (root / "bulk.yaml").write_text(yaml.safe_dump_all(docs))
    (root / "services.yaml").write_text(
        "project: c1\nenvironments:\n  dev: {}\nservices:\n  - name: bulk\n"
        "    manifests: [{path: bulk.yaml}]\n"
    )
    return root


def test_c1_apply_through_a_faulty_network(
    tmp_path: Path,
    cluster: ClusterStatus,
    kubectl: list[str],
    proxy: FaultProxy,
    record_property: Record,
) -> None:
    root = project(tmp_path / "c1")
    config = yaml.safe_load(Path(cluster.kubeconfig).read_text())
    config["clusters"][0]["cluster"]["server"] = proxy.url
    faulty = tmp_path / "faulty.kubeconfig"
    faulty.write_text(yaml.safe_dump(config))
    proxy.faults = [
        Fault("status", every, rate=0.15, status=500, retry_after=1, user_agent=PROVIDER),
        Fault("status", every, rate=0.15, status=503, retry_after=1, user_agent=PROVIDER),
        Fault("status", every, rate=0.10, status=429, retry_after=1, user_agent=PROVIDER),
        Fault("reset", every, rate=0.05, user_agent=PROVIDER),
    ]
    ns = new_namespace("c1")
    began = time.monotonic()
    done = subprocess.run(
        [str(CLI), "ci", "apply", "--env", "dev", "--namespace", ns, *BUDGET],
        cwd=root,
        env={**cli_env(root), "KUBECONFIG": str(faulty), "CODEXSTACK_KUBECONFIG": str(faulty)},
        capture_output=True,
        text=True,
        check=False,
        timeout=1500,
    )
    took = time.monotonic() - began
    # each retry note names its attempt (the summary repeats the notes: count distinct ones)
    retries = len(set(re.findall(r"apply attempt (\d+) failed", done.stderr)))
    figures = {
        "requests": proxy.counters.forwarded + proxy.counters.faulted,
        "faulted": proxy.counters.faulted,
        **{f"faulted {k}": v for k, v in sorted(proxy.counters.by_mode.items())},
        "engine_attempts": retries + 1,
        "seconds": round(took, 1),
    }
    print("C1 figures:", figures)
    for key, value in figures.items():
        record_property(key, value)
    assert done.returncode == 0, done.stderr[-4000:]
    assert proxy.counters.faulted >= 10, figures  # the faults reached the provider
    assert retries + 1 <= ATTEMPTS
    listed = kget(kubectl, "configmaps", "-n", ns)
    assert listed is not None
    names = {item["metadata"]["name"] for item in listed["items"]}
    assert {f"c1-{i}" for i in range(OBJECTS)} <= names

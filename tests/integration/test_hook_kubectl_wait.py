"""The ``kubectl.wait`` hook against the local cluster: it waits for an object to appear.

codexctl's single ``kubectl wait`` fails at once with NotFound when the object does not exist
yet (a StatefulSet's first pod right after an apply without ``--wait``); here the hook keeps
waiting within its timeout, and still fails with kubectl's own words when time runs out.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from codexstack.cluster.health import ClusterStatus
from codexstack.config.models_workloads import HookStep
from codexstack.deploy.builtins import BUILTINS
from codexstack.deploy.hooks import HookEnv, HookError, HookRunner
from codexstack.plan.model import ClusterTarget, Plan
from tests.integration.apply_support import new_namespace, sweep

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("sweep")]
__all__ = ["sweep"]  # fixture

POD = """\
apiVersion: v1
kind: Pod
metadata: {{name: late, namespace: {ns}}}
spec:
  nodeName: kwok-node-0
  tolerations: [{{operator: Exists}}]
  containers: [{{name: c, image: registry.invalid/late:1}}]
"""


def wait_plan(cluster: ClusterStatus, ns: str, timeout: str) -> Plan:
    step = HookStep.model_validate(
        {
            "name": "wait-late",
            "use": "kubectl.wait",
            "with": {
                "kind": "pod",
                "name": "late",
                "namespace": ns,
                "condition": "Ready",
                "timeout": timeout,
            },
        }
    )
    return Plan(
        project="demo",
        env="dev",
        slot=0,
        namespace=ns,
        stack="dev",
        infrastructure=(),
        services=(),
        hooks={"afterAll": (step,)},
        cluster=ClusterTarget(kubeconfig=str(cluster.kubeconfig)),
    )


def run_stage(plan: Plan, kubectl: list[str], tmp: Path) -> HookRunner:
    runner = HookRunner(HookEnv(plan, variables={"HOME": str(tmp)}, kubectl=kubectl[0]), BUILTINS)
    runner.stage("afterAll")
    return runner


def test_waits_for_an_object_created_after_the_hook_started(
    cluster: ClusterStatus, kubectl: list[str], tmp_path: Path
) -> None:
    ns = new_namespace("hookwait")
    subprocess.run([*kubectl, "create", "namespace", ns], check=True, capture_output=True)

    def create_later() -> None:
        time.sleep(3)
        subprocess.run(
            [*kubectl, "apply", "-f", "-"],
            input=POD.format(ns=ns),
            text=True,
            check=True,
            capture_output=True,
        )

    creator = threading.Thread(target=create_later)
    creator.start()
    began = time.monotonic()
    runner = run_stage(wait_plan(cluster, ns, "60s"), kubectl, tmp_path)
    creator.join()
    assert [r.status for r in runner.results] == ["ran"]
    assert 3 <= time.monotonic() - began < 60


def test_still_fails_when_the_object_never_appears(
    cluster: ClusterStatus, kubectl: list[str], tmp_path: Path
) -> None:
    ns = new_namespace("hookwait")
    subprocess.run([*kubectl, "create", "namespace", ns], check=True, capture_output=True)
    began = time.monotonic()
    with pytest.raises(HookError, match=r'(?s)wait-late failed.*pods "late" not found'):
        run_stage(wait_plan(cluster, ns, "4s"), kubectl, tmp_path)
    assert 3 <= time.monotonic() - began < 15

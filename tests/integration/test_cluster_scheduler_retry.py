"""The local scheduler tries a parked pod again within a minute, not after five.

A pod the scheduler finds unschedulable is parked until an event that may fix it arrives;
if the fix comes without such an event, upstream waits 5 minutes before trying it again, and
an apply waiting on that pod stalls as long (the battery's D1/D2 did, in CI). The local cluster
retries parked pods at every 30 s flush. The fix used here makes no event the scheduler listens
for: a pod needs another pod in a namespace that matches a label, and the namespace is labelled
after the pod was parked (InterPodAffinity watches pods and nodes, not namespaces).
"""

from __future__ import annotations

import json
import subprocess
import time
import uuid

import pytest

from codexstack.flock import poll_until

pytestmark = [pytest.mark.integration, pytest.mark.timeout(3600)]

ANCHOR = """
apiVersion: v1
kind: Pod
metadata: {{name: anchor, namespace: {ns}, labels: {{app: anchor}}}}
spec:
  containers: [{{name: anchor, image: anchor:1}}]
"""

FOLLOWER = """
apiVersion: v1
kind: Pod
metadata: {{name: follower, namespace: {ns}}}
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector: {{matchLabels: {{app: anchor}}}}
          namespaceSelector: {{matchLabels: {{team: {team}}}}}
          topologyKey: kubernetes.io/hostname
  containers: [{{name: follower, image: follower:1}}]
"""


def kube(kubectl: list[str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [*kubectl, *args], input=stdin, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, f"kubectl {' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def node_of(kubectl: list[str], ns: str, pod: str) -> str:
    return str(
        json.loads(kube(kubectl, "-n", ns, "get", "pod", pod, "-o", "json"))["spec"].get("nodeName")
        or ""
    )


def parked(kubectl: list[str], ns: str) -> bool:
    pod = json.loads(kube(kubectl, "-n", ns, "get", "pod", "follower", "-o", "json"))
    return any(
        c["type"] == "PodScheduled" and c.get("reason") == "Unschedulable"
        for c in pod.get("status", {}).get("conditions", [])
    )


def test_a_parked_pod_is_retried_without_an_event(kubectl: list[str]) -> None:
    tag = uuid.uuid4().hex[:6]
    anchor_ns, ns = f"itest-anchor-{tag}", f"itest-follower-{tag}"
    kube(kubectl, "create", "namespace", anchor_ns)
    kube(kubectl, "create", "namespace", ns)
    try:
        kube(kubectl, "apply", "-f", "-", stdin=ANCHOR.format(ns=anchor_ns))
        assert poll_until(lambda: bool(node_of(kubectl, anchor_ns, "anchor")), 30, 0.2)
        kube(kubectl, "apply", "-f", "-", stdin=FOLLOWER.format(ns=ns, team=tag))
        assert poll_until(lambda: parked(kubectl, ns), 30, 0.2), "the pod was never parked"
        kube(kubectl, "label", "namespace", anchor_ns, f"team={tag}")
        labelled = time.monotonic()
        # Flushes run every 30 s and take pods parked for over 5 s: at most ~35 s plus the
        # scheduling itself; upstream's default would leave the pod parked for 5 minutes.
        assert poll_until(lambda: bool(node_of(kubectl, ns, "follower")), 120, 0.5), (
            "the parked pod was not retried within 2 minutes"
        )
        assert time.monotonic() - labelled < 120
    finally:
        for name in (ns, anchor_ns):
            kube(kubectl, "delete", "namespace", name, "--wait=false")

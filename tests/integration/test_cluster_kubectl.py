"""A Deployment applied with the built kubectl rolls out on the local cluster.

This is the cluster's contract with everything above it: the controller-manager turns the
Deployment into a ReplicaSet and a Pod, the scheduler binds the Pod to the kwok node, kwok
marks it Running, and the Deployment reports Available, all within 30 seconds.
"""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.timeout(3600)]

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: {ns}
spec:
  replicas: 1
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{{containerPort: 80}}]
"""


def run(argv: list[str], stdin: str | None = None) -> str:
    done = subprocess.run(
        argv, input=stdin, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, f"{' '.join(argv)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_deployment_becomes_available_and_pod_runs(kubectl: list[str]) -> None:
    ns = f"itest-kubectl-{uuid.uuid4().hex[:6]}"
    run([*kubectl, "create", "namespace", ns])
    try:
        run([*kubectl, "apply", "-f", "-"], stdin=DEPLOYMENT.format(ns=ns))
        run(
            [
                *kubectl,
                "-n",
                ns,
                "wait",
                "deployment/web",
                "--for=condition=Available",
                "--timeout=30s",
            ]
        )
        pods = json.loads(run([*kubectl, "-n", ns, "get", "pods", "-l", "app=web", "-o", "json"]))
        phases = [pod["status"].get("phase") for pod in pods["items"]]
        assert phases == ["Running"], phases
        assert pods["items"][0]["spec"]["nodeName"] == "kwok-node-0"
    finally:
        run([*kubectl, "delete", "namespace", ns, "--wait=false"])

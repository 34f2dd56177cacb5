"""The agent re-deploys one of its services as its own service account; the runner sees no drift.

The demo's slot, with ``codex.agentAccess: {redeploy: true, secrets: [postgres-credentials]}``,
is applied by the runner (admin): the stack grants the agent's Role writes on Deployments,
Services and ConfigMaps and installs the namespace's admission guard. The agent's service
account gets a token (``kubectl create token``); with a kubeconfig holding only that token it
may not read Secrets, bumps ``versions.api`` and runs ``apply --only-services api`` against the
real apiserver and the same state. The runner's next apply of the same sources (same options)
then reports 0 changes: state, live objects and field ownership agree. With the same token,
the stack-installed guard admits the demo's own workloads (server-side dry-run) and refuses
every escalating variant of them (``test_agent_admission.ESCALATIONS``: another service
account, Secret volume, projection, env or envFrom outside the allow-list, hostPath,
privileged, host network/PID/IPC); the stack's destroy removes the guard.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from codexstack.cluster.health import ClusterStatus
from tests.integration.test_agent_admission import ESCALATIONS

REPO = Path(__file__).resolve().parents[2]
CODEXSTACK = Path(sys.executable).parent / "codexstack"
SLOT = 40
NS = f"demo-shop-dev-{SLOT}"
GUARD = f"codexstack-agent-guard-{NS}"
ACCESS = """codex:
  agentAccess:
    redeploy: true
    secrets: [postgres-credentials]
"""

pytestmark = pytest.mark.integration


def codexstack(project: Path, kubeconfig: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CODEXCTL_", "DEMO_"))}
    env.update({"KUBECONFIG": str(kubeconfig), "NO_COLOR": "1"})
    return subprocess.run(
        [str(CODEXSTACK), "-c", str(project / "services.yaml"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=400,
        check=False,
    )


@pytest.fixture(scope="module")
def project(
    cluster: ClusterStatus, kubectl: list[str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    subprocess.run(
        [
            *kubectl,
            "delete",
            "namespace",
            NS,
            "--ignore-not-found",
            "--wait=true",
            "--timeout=180s",
        ],
        capture_output=True,
        check=True,
    )
    target = tmp_path_factory.mktemp("inpod") / "demo"
    shutil.copytree(REPO / "examples" / "demo", target)
    services = target / "services.yaml"
    services.write_text(services.read_text().replace("\ncodex:\n", "\n" + ACCESS, 1))
    kubeconfig = Path(cluster.kubeconfig)
    done = codexstack(target, kubeconfig, "apply", "--env", "ai", "--slot", str(SLOT), "--wait")
    assert done.returncode == 0, done.stderr[-3000:]
    yield target
    done = codexstack(target, kubeconfig, "destroy", "--env", "ai", "--slot", str(SLOT), "--yes")
    assert done.returncode == 0, done.stderr[-3000:]
    left = subprocess.run(
        [*kubectl, "get", "validatingadmissionpolicy,validatingadmissionpolicybinding", "-o=name"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert GUARD not in left, left
    subprocess.run(
        [*kubectl, "delete", "namespace", NS, "--wait=false"], capture_output=True, check=False
    )


def agent_kubeconfig(cluster: ClusterStatus, kubectl: list[str], where: Path) -> Path:
    token = subprocess.run(
        [*kubectl, "-n", NS, "create", "token", "codex", "--duration=1h"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    config = yaml.safe_load(Path(cluster.kubeconfig).read_text())
    config["users"] = [{"name": config["users"][0]["name"], "user": {"token": token}}]
    path = where / "agent.kubeconfig"
    path.write_text(yaml.safe_dump(config))
    return path


def changed(run: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in run.stderr.splitlines() if " update " in line or " create " in line]


def test_agent_filtered_apply_then_runner_apply_has_no_changes(
    cluster: ClusterStatus, kubectl: list[str], project: Path, tmp_path: Path
) -> None:
    agent = agent_kubeconfig(cluster, kubectl, tmp_path)
    as_agent = [kubectl[0], f"--kubeconfig={agent}"]
    who = subprocess.run(
        [*as_agent, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert who == f"system:serviceaccount:{NS}:codex"
    secrets = subprocess.run(
        [*as_agent, "-n", NS, "get", "secrets"], capture_output=True, text=True, check=False
    )
    assert secrets.returncode != 0
    services = project / "services.yaml"
    services.write_text(services.read_text().replace('api: "v1.4.2"', 'api: "v1.4.3"'))
    args = ("apply", "--env", "ai", "--slot", str(SLOT), "--wait")
    by_agent = codexstack(project, agent, *args, "--only-services", "api")
    assert by_agent.returncode == 0, by_agent.stderr[-3000:]
    assert re.search(r"0 create, [1-9]\d* update, 0 delete", by_agent.stdout), changed(by_agent)
    image = subprocess.run(
        [
            *kubectl,
            "-n",
            NS,
            "get",
            "deploy",
            "api",
            "-o",
            "jsonpath={.spec.template.spec.containers[0].image}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert image.endswith(":ai-1.4.3")
    by_runner = codexstack(project, Path(cluster.kubeconfig), *args)
    assert by_runner.returncode == 0, by_runner.stderr[-3000:]
    assert "0 create, 0 update, 0 delete" in by_runner.stdout, (
        changed(by_runner),
        changed(by_agent),
    )
    deployment = yaml.safe_load(
        subprocess.run(
            [*kubectl, "-n", NS, "get", "deploy", "api", "-o", "yaml"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    pod = deployment["spec"]["template"]["spec"]
    pod.setdefault("volumes", []).append({"name": "s", "secret": {"secretName": "openai-secret"}})
    escalated = subprocess.run(
        [*as_agent, "apply", "--dry-run=server", "-f", "-"],
        input=yaml.safe_dump(
            {k: deployment[k] for k in ("apiVersion", "kind", "spec")}
            | {"metadata": {"name": "api", "namespace": NS}}
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    assert escalated.returncode != 0
    assert GUARD in escalated.stderr, escalated.stderr
    assert "Secret outside" in escalated.stderr, escalated.stderr


def live_deployment(kubectl: list[str], name: str) -> dict[str, Any]:
    """The Deployment as the agent would re-apply it (its spec, no server-set metadata)."""
    live = yaml.safe_load(
        subprocess.run(
            [*kubectl, "-n", NS, "get", "deploy", name, "-o", "yaml"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    return {k: live[k] for k in ("apiVersion", "kind", "spec")} | {
        "metadata": {"name": name, "namespace": NS}
    }


def dry_run(as_agent: list[str], obj: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*as_agent, "apply", "--dry-run=server", "-f", "-"],
        input=yaml.safe_dump(obj),
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_stack_guard_judges_the_agents_own_pod_specs(
    cluster: ClusterStatus, kubectl: list[str], project: Path, tmp_path: Path
) -> None:
    as_agent = [kubectl[0], f"--kubeconfig={agent_kubeconfig(cluster, kubectl, tmp_path)}"]
    demo = {name: live_deployment(kubectl, name) for name in ("api", "web")}
    for name, obj in demo.items():
        done = dry_run(as_agent, obj)
        assert done.returncode == 0, f"{name}: {done.stderr}"
    refused: dict[str, bool] = {}
    for case, (change, message) in sorted(ESCALATIONS.items()):
        obj = copy.deepcopy(demo["api"])
        change(obj["spec"]["template"]["spec"])
        done = dry_run(as_agent, obj)
        refused[case] = done.returncode != 0 and GUARD in done.stderr and message in done.stderr
    assert all(refused.values()), {c: ok for c, ok in refused.items() if not ok}

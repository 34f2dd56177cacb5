"""Plain ``pulumi up`` of a Python project on disk works with the built engine.

This goes through the language host the engine starts for ``runtime: python`` (the Python
stand-in that scripts/engine installs while the Go host's module is not served): a project
with a secret config value creates a ConfigMap, a second preview expects no changes, and
destroy removes it again, all by running the pulumi CLI exactly as a person would.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from codexstack.cluster import tools
from codexstack.cluster.health import ClusterStatus

pytestmark = [pytest.mark.integration, pytest.mark.timeout(3600)]

PROGRAM = """
import pulumi
import pulumi_kubernetes as k8s

config = pulumi.Config()
provider = k8s.Provider("local", kubeconfig=open(config.require("kubeconfig")).read())
cm = k8s.core.v1.ConfigMap(
    "cm",
    metadata={"name": config.require("name"), "namespace": "default"},
    data={"greeting": config.require_secret("greeting")},
    opts=pulumi.ResourceOptions(provider=provider),
)
pulumi.export("name", cm.metadata["name"])
"""


def test_plain_pulumi_up_preview_destroy(
    engine: dict[str, str], cluster: ClusterStatus, kubectl: list[str], tmp_path: Path
) -> None:
    name = f"itest-plain-{uuid.uuid4().hex[:6]}"
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        f"name: plain-itest\nruntime:\n  name: python\n  options:\n    virtualenv: {sys.prefix}\n",
        encoding="utf-8",
    )
    (project / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    (tmp_path / "state").mkdir()
    env = {
        **engine,
        "PULUMI_BACKEND_URL": f"file://{tmp_path / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": "",
    }
    env.pop("VIRTUAL_ENV", None)  # the project's virtualenv option must be what picks Python

    def pulumi(*args: str) -> str:
        done = subprocess.run(
            [str(tools.require("pulumi")), *args, "--non-interactive"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, f"pulumi {' '.join(args)}\n{done.stdout}\n{done.stderr}"
        return done.stdout

    pulumi("stack", "init", "dev")
    pulumi("config", "set", "kubeconfig", cluster.kubeconfig)
    pulumi("config", "set", "name", name)
    pulumi("config", "set", "--secret", "greeting", "hello")
    assert "3 created" in pulumi("up", "--yes", "--skip-preview")

    got = subprocess.run(
        [*kubectl, "get", "configmap", name, "-o", "jsonpath={.data.greeting}"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert got.stdout == "hello"

    pulumi("preview", "--expect-no-changes")
    pulumi("destroy", "--yes", "--skip-preview")
    gone = subprocess.run(
        [*kubectl, "get", "configmap", name], capture_output=True, text=True, check=False
    )
    assert gone.returncode != 0
    assert "NotFound" in gone.stderr

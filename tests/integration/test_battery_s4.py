"""Battery S4 and issue 14 defect 4 against the real engine: a canary secret in config and env
goes through render, apply (with a hook that prints it), status and destroy, all with
``--debug``, while every process's argv is sampled. The canary and its base64/URL-encoded
forms must be in no stdout, stderr, argv or state file — neither in the Secret that carries it
(``stringData``) nor in the ConfigMap a template fills from the secret variable.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from codexstack.cluster.health import ClusterStatus
from tests.integration.apply_support import CLI, cli_env, demo, kget, new_namespace, sweep
from tests.support.canary import ArgvSampler, Canary

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1800), pytest.mark.usefixtures("sweep")]
__all__ = ["demo", "sweep"]  # fixtures

VAULT = """\
apiVersion: v1
kind: Secret
metadata: {name: vault}
stringData:
  token: '{{ envOr "DEMO_API_TOKEN" "" }}'
---
apiVersion: v1
kind: ConfigMap
metadata: {name: vault-echo}
data:
  token: '{{ envOr "DEMO_API_TOKEN" "" }}'
"""
SERVICE = """\
  - name: vault
    manifests:
      - path: vault.yaml
    hooks:
      afterApply:
        - name: leak-attempt
          run: 'echo "the token is $DEMO_API_TOKEN"'
"""


def test_s4_canary_appears_nowhere_and_not_in_state(
    demo: Path, cluster: ClusterStatus, kubectl: list[str]
) -> None:
    canary = Canary()
    (demo / "vault.yaml").write_text(VAULT)
    services = demo / "services.yaml"
    services.write_text(services.read_text().replace("services:\n", "services:\n" + SERVICE, 1))
    ns = new_namespace("s4")
    where = ["--env", "dev", "--namespace", ns, "--kubeconfig", str(cluster.kubeconfig)]
    env = {**cli_env(demo), "DEMO_API_TOKEN": canary.value}
    runs: list[subprocess.CompletedProcess[str]] = []
    with ArgvSampler() as argv:
        for args in (
            ["render", *where[:4]],
            ["apply", *where],
            ["status", *where, "-o", "json"],
            ["destroy", *where, "--yes"],
        ):
            runs.append(
                subprocess.run(
                    [str(CLI), "--debug", *args],
                    cwd=demo,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                    timeout=900,
                )
            )
            if args[0] == "apply":
                applied = kget(kubectl, "secret", "vault", "-n", ns)
                assert applied is not None  # the real value reached the cluster
    assert [r.returncode for r in runs] == [0, 0, 0, 0], [r.stderr[-3000:] for r in runs]
    assert "the token is ***" in runs[1].stderr  # the hook ran and its output was masked
    assert argv.samples > 10
    state_files = [p for p in (demo / ".codexstack").rglob("*") if p.is_file()]
    assert any(p.suffix == ".json" for p in state_files)
    canary.assert_nowhere(
        {
            "stdout": "".join(r.stdout for r in runs),
            "stderr (--debug)": "".join(r.stderr for r in runs),
            "argv during the runs": argv.text,
        },
        files=state_files,
    )

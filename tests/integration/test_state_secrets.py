"""Secrets stay out of the Pulumi state (issue 14, defect 4), read from the state files.

A real ``pulumi up`` (the engine and the Kubernetes provider, in its render-to-directory mode,
so no cluster is needed) of a unit holding a Secret whose ``stringData`` carries a secret value
and a ConfigMap a template filled from the same secret variable. Afterwards every file of the
state backend is read: the value must be in none of them, neither in the clear nor
base64-encoded — while the rendered objects still carry it (nothing was dropped).

Before the fix the Secret was already safe (the provider marks its data secret) but the
ConfigMap's value sat in the state twice, as the object's inputs and outputs.
"""

from __future__ import annotations

import base64
from pathlib import Path

from codexstack import redact
from codexstack.cluster import tools
from codexstack.deploy.engine import Engine
from codexstack.deploy.state import ProjectState
from codexstack.deploy.workspace import open_stack
from codexstack.program import make_program
from codexstack.program.options import ProgramOptions
from tests.components.plans import configmap, make_plan, unit
from tests.support.canary import Canary


def test_secret_values_are_in_no_state_file(engine: dict[str, str], tmp_path: Path) -> None:
    canary = Canary()
    redact.register(canary.value)  # as the loader does for a secret-named variable
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "vault", "namespace": "demo-dev"},
        "stringData": {"token": canary.value},
    }
    echo = configmap("echo", "demo-dev", token=canary.value)
    plan = make_plan("dev", codex=False, extra_services=(unit("service", "vault", secret, echo),))
    state = tmp_path / "state"
    state.mkdir()
    out = tmp_path / "rendered"
    handle = open_stack(
        plan,
        ProjectState(tmp_path),
        Engine(tools.pulumi_root(), tools.pulumi_env()),
        make_program(plan, ProgramOptions(render_to=out)),
        backend=state.as_uri(),
        secrets={"PULUMI_CONFIG_PASSPHRASE": "state-secrets-test"},
    )
    handle.stack.up()
    files = [p for p in state.rglob("*") if p.is_file()]
    assert any(p.name == "dev.json" for p in files)
    canary.assert_nowhere({}, files=files)
    rendered = "".join(p.read_text() for p in out.rglob("*.yaml"))
    assert canary.value in rendered  # the ConfigMap still carries the real value
    assert base64.b64encode(canary.value.encode()).decode() in rendered  # the Secret's data

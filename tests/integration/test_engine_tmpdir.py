"""No kubeconfig copy is left in ``/tmp`` by the engine (the provider writes one per start).

pulumi-kubernetes writes the kubeconfig it is given, client key included, to a new
``$TMPDIR/kubeconfig*`` file whenever it starts and never removes it. A real preview of a
one-ConfigMap stack against the local cluster runs in a child process whose ``TMPDIR`` is a
folder of the test's: afterwards that folder holds no kubeconfig, the copy went to the
process's private engine folder (0700) under the project's state, and that folder is gone once
the process has exited. A folder left by a killed process is removed by the next one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codexstack.cluster.health import ClusterStatus
from codexstack.deploy.state import ProjectState

pytestmark = pytest.mark.integration

CHILD = textwrap.dedent(
    """
    import dataclasses, os, sys
    from pathlib import Path
    from codexstack.cluster import tools
    from codexstack.deploy.engine import Engine
    from codexstack.deploy.state import ProjectState
    from codexstack.deploy.workspace import open_stack
    from codexstack.plan.model import ClusterTarget
    from codexstack.program import make_program
    from codexstack.program.options import ProgramOptions
    from tests.components.plans import configmap, make_plan, unit

    root, kubeconfig = Path(sys.argv[1]), sys.argv[2]
    cm = configmap("tmpdir-probe", "default", probe="1")
    plan = make_plan("dev", codex=False, namespace="default", extra_services=())
    plan = dataclasses.replace(
        plan,
        infrastructure=(),
        services=(unit("service", "probe", cm),),
        cluster=ClusterTarget(kubeconfig=kubeconfig),
    )
    state = ProjectState(root)
    handle = open_stack(
        plan,
        state,
        Engine(tools.pulumi_root(), tools.pulumi_env()),
        make_program(plan, ProgramOptions()),
        backend=(root / "backend").as_uri(),
        secrets={"PULUMI_CONFIG_PASSPHRASE": "tmpdir-test"},
    )
    handle.stack.preview()
    engine_dirs = sorted((state.root / "tmp").glob("engine-*"))
    print("\\n".join(str(p) for p in engine_dirs))
    for path in engine_dirs:
        assert oct(path.stat().st_mode & 0o777) == "0o700", oct(path.stat().st_mode)
        assert any(f.name.startswith("kubeconfig") for f in path.iterdir()), list(path.iterdir())
    """
)


def test_the_providers_kubeconfig_copy_stays_private_and_is_removed(
    cluster: ClusterStatus, tmp_path: Path
) -> None:
    root, outer = tmp_path / "project", tmp_path / "outer-tmp"
    (root / "backend").mkdir(parents=True)
    outer.mkdir()
    # A pid that cannot exist: the folder of a killed process.
    stale = ProjectState(root).root / "tmp" / "engine-999999999"
    stale.mkdir(parents=True)
    (stale / "kubeconfig123").write_text("left by a killed run")
    env = {**os.environ, "TMPDIR": str(outer), "PYTHONPATH": str(Path.cwd())}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), str(cluster.kubeconfig)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    used = [Path(line) for line in done.stdout.split()]
    assert len(used) == 1, done.stdout  # the stale folder was removed before the run
    assert not [p for p in outer.rglob("*") if p.name.startswith("kubeconfig")]
    assert not stale.exists()
    assert not used[0].exists()  # removed when the process exited

"""The stage of the loop scenarios: the demo repository, the GitHub stand-in, act, the cluster.

:func:`build` puts together, under one temporary directory:

- the GitHub API stand-in (``python -m tests.support.github_standin``, its own process on a
  free port), seeded with the repository ``acme/demo`` and the people of the scenarios;
- that repository's ``origin``: a bare repository in the stand-in's git root, served over
  git smart-HTTP with token auth, holding the demo project plus the workflows
  ``codexstack init workflows`` installs;
- act's working copy of it, and an :class:`~loop.actkit.Act` whose steps reach the stand-in
  through ``GITHUB_API_URL``, the local cluster through ``KUBECONFIG``, and codexstack, the
  engine and kubectl through ``PATH``;
- the runner's shared state: a Pulumi file backend every job uses (``PULUMI_BACKEND_URL``)
  and the slots' code root (``CODEXCTL_CODE_ROOT_BASE``).

The local cluster itself is the session fixture of the integration tests. Every process the
stage starts is stopped by :meth:`Stage.close`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codexstack.cluster import tools
from codexstack.flows import init_workflows
from loop.actkit import Act, ActResult, git
from tests.support.github_standin import Control, spawn

REPO = Path(__file__).resolve().parents[2]
STANDIN_BIN = REPO / "scripts" / "standin"
CODEXCTL_WORKFLOWS = REPO / "tests" / "loop" / "workflows" / "codexctl"
DEMO = REPO / "examples" / "demo"
REPOSITORY = "acme/demo"
TOKEN = "ghp_loopStageToken0123456789abcdef"
PASSPHRASE = "loop-stage-passphrase"
ALLOWED = ("alice", "bob")


def seed() -> dict[str, Any]:
    """The stand-in's starting state: the bot's token, the repository and its people."""
    return {
        "tokens": {TOKEN: "codex-bot"},
        "repos": {
            REPOSITORY: {
                "default_branch": "main",
                "branches": {"main": {"protected": True}},
                "collaborators": {"alice": "admin", "bob": "write", "mallory": "read"},
                "issues": {},
            }
        },
    }


@dataclass
class Stage:
    """Everything a scenario drives and inspects."""

    root: Path
    act: Act
    control: Control
    origin: Path
    code_root: Path
    kubeconfig: Path
    standin: subprocess.Popen[str]
    variables: dict[str, str] = field(default_factory=dict)
    node: NodeEmulation | None = None

    def run(
        self,
        event: str,
        payload: Mapping[str, Any],
        *,
        actor: str,
        workflow: str | None = None,
        variables: Mapping[str, str] | None = None,
    ) -> ActResult:
        """Run the workflows ``event`` triggers, as ``actor``, with the stage's secrets."""
        return self.act.run(
            event,
            {**payload, "sender": {"login": actor}},
            workflow=workflow,
            actor=actor,
            secrets={
                "GITHUB_TOKEN": TOKEN,
                "CODEXCTL_GH_PAT": TOKEN,
                "OPENAI_API_KEY": "sk-loop-stage-not-a-real-key",
                "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            },
            variables={**self.variables, **(variables or {})},
        )

    def add_issue(self, number: int, **fields: Any) -> None:
        """Put issue ``number`` (or a PR, with ``pull=``) into the stand-in's repository."""
        state = self.control.state()
        state["repos"][REPOSITORY]["issues"][str(number)] = fields
        self.control.load(state)

    def issue(self, number: int) -> dict[str, Any]:
        """The stand-in's issue (or PR) ``number``."""
        return dict(self.control.repo(REPOSITORY)["issues"][str(number)])

    def cli_env(self) -> dict[str, str]:
        """What a workflow step of this stage sees: the runner's environment, the repository
        variables the settings step exports, the token and the stack passphrase."""
        exported = {
            k: v
            for k, v in self.variables.items()
            if v and (k.startswith(("CODEXCTL_", "CODEXSTACK_")) or k == "PULUMI_BACKEND_URL")
        }
        return {
            **os.environ,
            **self.act.env,
            **exported,
            "GITHUB_REPOSITORY": REPOSITORY,
            "CODEXCTL_GH_PAT": TOKEN,
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        }

    def codexstack(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the CLI in the act working copy as a workflow step of this stage would."""
        done = subprocess.run(
            [str(Path(sys.executable).with_name("codexstack")), *args],
            cwd=self.act.workdir,
            env=self.cli_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"codexstack {' '.join(args)}: {done.stderr[-3000:]}")
        return done

    def slots(self) -> list[dict[str, Any]]:
        """The slot registry's records (``slots list -o json``)."""
        listed = json.loads(self.codexstack("slots", "list", "-o", "json").stdout or "[]")
        return list(listed if isinstance(listed, list) else listed.get("slots", []))

    def emulate_node(self) -> None:
        """Act as the node that mounts each slot's workspace into its agent pod: kwok has no
        kubelet, so exec into a slot's pods runs where ``cluster map-workspace`` points it
        (``<code root>/<slot>/src``, the stand-in ``codex`` first on PATH). A real cluster
        does this with the pod's volume; the workflows never do it."""
        self.node = NodeEmulation(self)
        self.node.start()

    def close(self) -> None:
        """Stop the stand-in; delete the demo namespaces and the slot registry this stage
        left in the shared cluster (test hygiene: assertions never rely on it)."""
        if self.node is not None:
            self.node.stop()
            for namespace in self.node.mapped:
                subprocess.run(
                    [
                        str(tools.require("kubectl")),
                        f"--kubeconfig={self.kubeconfig}",
                        "delete",
                        "clusterexecs.kwok.x-k8s.io",
                        f"codexstack-workspace-{namespace}",
                        "--ignore-not-found",
                    ],
                    capture_output=True,
                    check=False,
                )
        if self.standin.poll() is None:
            self.standin.send_signal(signal.SIGTERM)
            try:
                self.standin.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.standin.kill()
                self.standin.wait()
        if not self.kubeconfig.is_file():
            return
        kubectl = [str(tools.require("kubectl")), f"--kubeconfig={self.kubeconfig}"]
        listed = subprocess.run(
            [*kubectl, "get", "namespaces", "-o", "name"],
            capture_output=True,
            text=True,
            check=True,
        )
        mine = self.variables["CODEXSTACK_SLOTS_NAMESPACE"]
        doomed = [
            n
            for n in listed.stdout.split()
            if n.startswith("namespace/demo-shop-") or n == f"namespace/{mine}"
        ]
        # Waits: the next scenario's slot 1 reuses the name, and a terminating namespace
        # refuses new objects.
        if doomed:
            subprocess.run(
                [*kubectl, "delete", "--wait=true", "--timeout=180s", *doomed],
                capture_output=True,
                check=True,
            )


class NodeEmulation(threading.Thread):
    """Maps every slot namespace's new ``codex`` Deployment to its workspace (see
    :meth:`Stage.emulate_node`), once per Deployment (by uid), polling once a second."""

    def __init__(self, stage: Stage) -> None:
        super().__init__(daemon=True)
        self.stage = stage
        self.done = threading.Event()
        self.mapped: dict[str, str] = {}
        self.errors: list[str] = []

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=10)

    def run(self) -> None:
        kubectl = [str(tools.require("kubectl")), f"--kubeconfig={self.stage.kubeconfig}"]
        while not self.done.wait(1.0):
            got = [*kubectl, "get", "deployments", "-A", "--field-selector=metadata.name=codex"]
            listed = subprocess.run(
                [*got, "-o", "json"], capture_output=True, text=True, check=False
            )
            if listed.returncode != 0:
                continue
            for item in json.loads(listed.stdout)["items"]:
                namespace, uid = item["metadata"]["namespace"], item["metadata"]["uid"]
                slot = namespace.rsplit("-", 1)[-1]
                if self.mapped.get(namespace) == uid or not namespace.startswith("demo-shop-dev-"):
                    continue
                workdir = self.stage.code_root / slot / "src"
                workdir.mkdir(parents=True, exist_ok=True)
                done = self.stage.codexstack(
                    "cluster",
                    "map-workspace",
                    namespace,
                    "--workdir",
                    str(workdir),
                    "--bin-dir",
                    str(STANDIN_BIN),
                    "--state-dir",
                    str(self.stage.kubeconfig.parent),
                    check=False,
                )
                if done.returncode == 0:
                    self.mapped[namespace] = uid
                else:
                    self.errors.append(done.stderr)


def _start_standin(root: Path) -> tuple[subprocess.Popen[str], str]:
    with (root / "standin.log").open("w") as log:
        return spawn(seed(), root, root / "git", log=log)


def _seed_origin(root: Path, workflows: str) -> tuple[Path, Path]:
    """The demo + workflows as one commit on ``main`` of the bare origin: codexstack's as
    ``init workflows`` installs them, or (``codexctl``) codexctl 1.0.x's unchanged. Returns the
    bare repository and act's working copy (cloned from it)."""
    source = root / "seed"
    subprocess.run(["cp", "-a", f"{DEMO}/.", str(source)], check=True)
    if workflows == "codexctl":
        subprocess.run(["cp", "-a", f"{CODEXCTL_WORKFLOWS}/.", str(source)], check=True)
    else:
        init_workflows.run(init_workflows.Request(source))
    git(source, "init", "--quiet", "--initial-branch=main")
    git(source, "add", "-A")
    git(source, "commit", "--quiet", "-m", "demo project with codexstack workflows")
    bare = root / "git" / f"{REPOSITORY}.git"
    bare.parent.mkdir(parents=True, exist_ok=True)
    git(bare.parent, "init", "--quiet", "--bare", "--initial-branch=main", bare.name)
    git(source, "push", "--quiet", bare.as_uri(), "main")
    workdir = root / "work"
    git(root, "clone", "--quiet", bare.as_uri(), workdir.name)
    return bare, workdir


def build(
    root: Path, kubeconfig: Path | None, max_slots: int = 0, workflows: str = "codexstack"
) -> Stage:
    """Start the stand-in, seed origin and return the stage (``close()`` it afterwards).

    Without a kubeconfig the steps get one that names no cluster at all: a scenario that
    must not reach the cluster (the gate) fails loudly if anything tries."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "git").mkdir()
    origin, workdir = _seed_origin(root, workflows)
    standin, url = _start_standin(root)
    code_root = root / "code"
    code_root.mkdir()
    (root / "state").mkdir()
    # The virtualenv (codexstack) and scripts/engine's bin dir (pulumi, kubectl, ...).
    bins = [Path(sys.executable).parent, tools.cache_dir() / "bin"]
    if kubeconfig is None:
        kubeconfig = root / "no-cluster.kubeconfig"
    runner_path = os.pathsep.join([*map(str, bins), os.environ.get("PATH", "")])
    runner_env = {
        **tools.pulumi_env(),
        "PATH": runner_path,
        "KUBECONFIG": str(kubeconfig),
        "GITHUB_API_URL": url,
        "ACTKIT_GIT_BASE": f"{url}/git",
        "CODEXSTACK_GITHUB_THROTTLE": "0",
        "CODEXSTACK_GITHUB_WAIT": "10",
        "CODEXSTACK_GITHUB_TIMEOUT": "20",
        "NO_COLOR": "1",
    }
    act = Act(
        workdir=workdir,
        git_base=root / "git",
        scratch=root / "act",
        repository=REPOSITORY,
        env=runner_env,
    )
    variables = {
        # Each stage has its own slot registry in the shared cluster.
        "CODEXSTACK_SLOTS_NAMESPACE": f"loop-{os.getpid()}-{abs(hash(root)) % 10**6}",
        "CODEXCTL_ALLOWED_USERS": ",".join(ALLOWED),
        "CODEXCTL_CODE_ROOT_BASE": str(code_root),
        "PULUMI_BACKEND_URL": (root / "state").as_uri(),
        "CODEXSTACK_RUNNER": "ubuntu-latest",
        "CODEXCTL_PREPARE_IMAGES": "false",
    }
    if max_slots:
        variables["CODEXCTL_DEV_SLOTS_MAX"] = str(max_slots)
    if workflows == "codexctl":
        # codexctl's workflows pass no state settings: a codexctl runner has them in its own
        # environment (the Pulumi backend every runner shares, its passphrase, the registry).
        for key in ("PULUMI_BACKEND_URL", "CODEXSTACK_SLOTS_NAMESPACE"):
            runner_env[key] = variables[key]
        runner_env["PULUMI_CONFIG_PASSPHRASE"] = PASSPHRASE
    return Stage(
        root=root,
        act=act,
        control=Control(url),
        origin=origin,
        code_root=code_root,
        kubeconfig=kubeconfig,
        standin=standin,
        variables=variables,
    )


def deployments_available(kubectl: list[str], namespace: str) -> bool:
    """Whether every Deployment of ``namespace`` has condition Available=True (and it has
    at least one)."""
    got = [*kubectl, "-n", namespace, "get", "deployments", "-o", "json"]
    done = subprocess.run(got, capture_output=True, text=True, check=True)
    items = json.loads(done.stdout)["items"]
    assert items, f"no deployments in {namespace}"
    return all(
        any(c["type"] == "Available" and c["status"] == "True" for c in d["status"]["conditions"])
        for d in items
    )


def namespace_exists(kubectl: list[str], name: str) -> bool:
    """Whether namespace ``name`` exists (any other kubectl error fails the test)."""
    got = [*kubectl, "get", "namespace", name, "-o", "name"]
    done = subprocess.run(got, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return True
    assert "NotFound" in done.stderr, done.stderr
    return False

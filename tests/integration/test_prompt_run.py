"""``prompt run`` end to end on a demo slot: real apiserver, kwok's exec, the stand-in agent.

The demo's namespace, workspace PVC and ``codex`` Deployment of one slot are applied from
``codexstack render``; kwok runs the pod, and its exec simulation maps the pod to a workspace
directory (``<code-root-base>/<slot>/src``, a git repository) with the pod's own environment
(the ``openai-secret`` Secret resolved as a kubelet would). Every exec goes client → apiserver
(WebSocket) → kwok's kubelet API → a local process: the stand-in ``codex`` CLI of
``scripts/standin``. Asserted: the agent ran in the slot's workspace, got the whole prompt on
stdin and the rendered config.toml, its JSONL events came back on stdout, its exit status
became ours, ``--resume`` continued the stored session, a 1 MiB prompt passed, a cancel
stopped the remote agent, and (battery S4) no canary secret reached any output with --debug.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from codexstack import flows
from codexstack.agent import Comment
from codexstack.cluster.execsim import map_workspace
from codexstack.cluster.health import ClusterStatus
from codexstack.errors import Interrupted
from codexstack.flows.prompt_run import GitHubContext, Request, run

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo" / "services.yaml"
STANDIN = REPO / "scripts" / "standin"
CODEXSTACK = Path(sys.executable).parent / "codexstack"
SLOT = 37
NAMESPACE = f"demo-shop-dev-{SLOT}"
CANARY = "sk-canary-S4-0123456789"

pytestmark = pytest.mark.integration


def _git(ws: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(ws), *args], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def slot(
    cluster: ClusterStatus, kubectl: list[str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The slot's objects applied and rolled out; returns its workspace (a git repository)."""
    # A namespace left by an earlier run may still be terminating: start from none.
    subprocess.run(
        [
            *kubectl,
            "delete",
            "namespace",
            NAMESPACE,
            "--ignore-not-found",
            "--wait=true",
            "--timeout=180s",
        ],
        capture_output=True,
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CODEXCTL_", "DEMO_"))}
    rendered = subprocess.run(
        [
            str(CODEXSTACK),
            "render",
            "-c",
            str(DEMO),
            "--env",
            "ai",
            "--slot",
            str(SLOT),
            "--only-services",
            "codex",
            "--only-infra",
            "namespace,workspace",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    subprocess.run(
        [*kubectl, "apply", "-f", "-"], input=rendered, text=True, check=True, capture_output=True
    )
    secret = json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "openai-secret", "namespace": NAMESPACE},
            "stringData": {"OPENAI_API_KEY": CANARY},
        }
    )
    subprocess.run(
        [*kubectl, "apply", "-f", "-"], input=secret, text=True, check=True, capture_output=True
    )
    subprocess.run(
        [*kubectl, "-n", NAMESPACE, "rollout", "status", "deploy/codex", "--timeout=120s"],
        check=True,
        capture_output=True,
    )
    ws = tmp_path_factory.mktemp("code-root") / str(SLOT) / "src"
    ws.mkdir(parents=True)
    _git(ws, "init", "-q", "-b", "main")
    (ws / "README.md").write_text("demo workspace\n")
    _git(ws, "-c", "user.name=t", "-c", "user.email=t@x", "add", "-A")
    _git(ws, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "init")
    map_workspace(NAMESPACE, ws, state_dir=Path(cluster.state_dir), bin_dirs=[STANDIN])
    yield ws
    subprocess.run(
        [*kubectl, "delete", "namespace", NAMESPACE, "--wait=false"],
        capture_output=True,
        check=False,
    )


def request(cluster: ClusterStatus, **kw: object) -> tuple[Request, list[bytes]]:
    events: list[bytes] = []
    target = flows.Target(config=DEMO, env="ai", slot=SLOT)
    args: dict[str, object] = {
        "issue": 42,
        "kubeconfig": str(cluster.kubeconfig),
        "github": GitHubContext(),
        "environ": {"PATH": "/usr/bin:/bin"},
        "events": events.append,
    }
    args.update(kw)
    return Request(target, **args), events  # type: ignore[arg-type]


def directives(*lines: str) -> GitHubContext:
    body = "\n".join(lines)
    return GitHubContext(issue_comments=(Comment("maintainer", body, id=1, issue_number=42),))


def test_dev_issue_runs_the_agent_in_the_slot_workspace(
    cluster: ClusterStatus, slot: Path, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    req, events = request(
        cluster,
        github=directives(
            "codex-standin: write services/api/health.txt :: ok",
            "codex-standin: commit Add the health file",
        ),
        ci=flows.CiOutputs(summary=summary),
    )
    recorder = flows.Recorder()
    result = run(req, recorder)
    assert result.exit_code == 0, recorder.lines
    lines = [json.loads(x) for x in b"".join(events).decode().splitlines()]
    assert [e["type"] for e in lines] == [
        "thread.started",
        "turn.started",
        "item.completed",
        "turn.completed",
    ]
    assert result.session_id == lines[0]["thread_id"]
    assert result.turns == 1
    assert result.tokens["input_tokens"] > 0
    # It ran in the slot's workspace, on the issue's branch.
    assert (slot / "services" / "api" / "health.txt").read_text() == "ok\n"
    assert "Add the health file" in _git(slot, "log", "--oneline", "codex/issue-42")
    # The rendered config.toml was installed where the agent reads it.
    config = (slot / ".codexstack" / "codex" / "config.toml").read_text()
    assert 'model = "gpt-5.3-codex"' in config
    assert "[mcp_servers.docs]" in config
    # The whole prompt arrived on stdin: the agent recorded its digest.
    session = json.loads(
        (slot / ".codexstack" / "codex" / "sessions" / f"{result.session_id}.json").read_text()
    )
    prompt_sha = next(x for x in recorder.lines if "sha256" in x).split("sha256 ")[1][:16]
    assert session["prompts"][0].startswith(prompt_sha)
    # codex login used the pod's Secret; the summary reached the step summary.
    auth = json.loads((slot / ".codexstack" / "codex" / "auth.json").read_text())
    assert auth["OPENAI_API_KEY"] == CANARY
    assert "pod: codex-login ok" in "\n".join(recorder.lines)
    assert "| turns | `1` |" in summary.read_text()
    assert (slot / ".codexstack" / "session-id").read_text().strip() == result.session_id


def test_exit_status_soft_fail_and_resume(cluster: ClusterStatus, slot: Path) -> None:
    failing, _ = request(cluster, github=directives("codex-standin: exit 3"))
    first = run(failing)
    assert first.exit_code == 3
    assert first.agent_exit == 3
    soft, _ = request(cluster, github=directives("codex-standin: exit 4"), soft_fail=True)
    assert run(soft).exit_code == 0
    stored = (slot / ".codexstack" / "session-id").read_text().strip()
    again, events = request(cluster, resume=True, github=GitHubContext())
    resumed = run(again)
    assert resumed.exit_code == 0
    assert resumed.session_id == stored
    assert b"turn 2" in b"".join(events)


def test_a_one_mebibyte_prompt_passes_through_the_apiserver(
    cluster: ClusterStatus, slot: Path
) -> None:
    template = DEMO.parent / ".big-prompt.tmpl"
    body = "Work on codex/issue-42.\n" + ("0123456789abcdef" * 65536) + "\n"
    template.write_text(body)
    try:
        req, _ = request(cluster, template=template.name)
        result = run(req)
    finally:
        template.unlink()
    assert result.exit_code == 0
    session = json.loads(
        (slot / ".codexstack" / "codex" / "sessions" / f"{result.session_id}.json").read_text()
    )
    assert session["prompts"][-1] == hashlib.sha256(body.encode()).hexdigest()


class CancelWhenStarted(flows.Recorder):
    """Sets ``cancel`` once the pod reports the agent started (Ctrl-C mid-run)."""

    def __init__(self, cancel: threading.Event) -> None:
        super().__init__()
        self.cancel = cancel

    def info(self, message: str) -> None:
        super().info(message)
        if message == "pod: agent started":
            threading.Timer(1.0, self.cancel.set).start()


def test_cancel_stops_the_remote_agent(cluster: ClusterStatus, slot: Path) -> None:
    cancel = threading.Event()
    req, _ = request(cluster, cancel=cancel, github=directives("codex-standin: sleep 120"))
    pid_file = slot / ".codexstack" / "agent.pid"
    pid_file.unlink(missing_ok=True)
    started = time.monotonic()
    with pytest.raises(Interrupted):
        run(req, CancelWhenStarted(cancel))
    assert time.monotonic() - started < 90
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 15
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        if "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
            break
        time.sleep(0.5)
    alive = Path(f"/proc/{pid}").exists()
    assert not alive or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_debug_run_through_the_cli_leaks_no_canary(cluster: ClusterStatus, slot: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CODEXCTL_", "DEMO_"))}
    env.update(
        {
            "KUBECONFIG": str(cluster.kubeconfig),
            "CODEXCTL_GH_PAT": "ghp_canaryS4_987654321",
            "OPENAI_API_KEY": CANARY,
            "NO_COLOR": "1",
        }
    )
    done = subprocess.run(
        [
            str(CODEXSTACK),
            "--debug",
            "prompt",
            "run",
            "-c",
            str(DEMO),
            "--slot",
            str(SLOT),
            "--issue",
            "42",
            "--kind",
            "dev_issue",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.splitlines()[0])["type"] == "thread.started"
    for canary in (CANARY, "ghp_canaryS4_987654321"):
        for form in (canary, canary.encode().hex()):
            assert form not in done.stdout
            assert form not in done.stderr
    assert "turn" in done.stderr

"""The pod-side scripts, run for real with ``sh`` and the stand-in ``codex`` in a temp workspace.

Locally the scripts see what the pod would: ``$CODEXSTACK_WORKSPACE`` (``/workspace`` in a
real pod), a ``HOME``, the pod's variables, and the stand-in ``codex`` first on ``PATH``.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from codexstack.agent import podscript
from codexstack.agent.events import EventTally
from tests.agent.demo import REPO

STANDIN = REPO / "scripts" / "standin"


def pod_env(ws: Path, **extra: str) -> dict[str, str]:
    home = ws / ".codexstack" / "home"
    home.mkdir(parents=True, exist_ok=True)
    return {
        "PATH": f"{STANDIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "CODEXSTACK_WORKSPACE": str(ws),
        **extra,
    }


def run(
    argv: list[str], ws: Path, stdin: bytes = b"", **env: str
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        argv,
        input=stdin,
        capture_output=True,
        cwd=ws,
        env=pod_env(ws, **env),
        timeout=60,
        check=False,
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "src"
    ws.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(ws)], check=True)
    return ws


def prepared(ws: Path) -> Path:
    config = b'model = "gpt-5.2"\n'
    argv = podscript.prepare(len(config), podscript.CODEX_CLI_VERSION, "codex-bot", "bot@x.test")
    assert run(argv, ws, config).returncode == 0
    return ws


def test_prepare_installs_config_identity_and_login(workspace: Path) -> None:
    config = b'model = "gpt-5.2"\n'
    done = run(
        podscript.prepare(len(config), podscript.CODEX_CLI_VERSION, "codex-bot", "bot@x.test"),
        workspace,
        config,
        OPENAI_API_KEY="sk-standin-key-1234",
    )
    lines = done.stderr.decode().splitlines()
    steps = [line for line in lines if line.startswith(podscript.STEP_PREFIX)]
    assert done.returncode == 0, done.stderr
    assert steps == [
        "codexstack-step: config ok",
        "codexstack-step: git ok",
        "codexstack-step: gh skip: no CODEXCTL_GH_PAT in the pod",
        "codexstack-step: codex-login ok",
    ]
    state = workspace / ".codexstack"
    assert (state / "codex" / "config.toml").read_bytes() == config
    assert (
        json.loads((state / "codex" / "auth.json").read_text())["OPENAI_API_KEY"]
        == "sk-standin-key-1234"
    )
    gitconfig = (workspace / ".codexstack" / "home" / ".gitconfig").read_text()
    assert "name = codex-bot" in gitconfig
    assert "email = bot@x.test" in gitconfig
    assert "/.codexstack/" in (workspace / ".git" / "info" / "exclude").read_text()
    # argv never carried the config or the key
    assert all(
        "sk-standin" not in a and "gpt-5.2" not in a for a in podscript.prepare(1, "v", "n", "e")
    )


def test_a_short_config_on_stdin_is_refused(workspace: Path) -> None:
    done = run(podscript.prepare(100, "0.1.0", "n", "e"), workspace, b"model = 1\n")
    assert done.returncode == podscript.SETUP_FAILED
    assert b"config failed: got 10 of 100 bytes" in done.stderr


def test_a_one_mebibyte_prompt_reaches_the_agent_whole(workspace: Path) -> None:
    prompt = ("Implement codex/issue-9.\n" + "x" * (1024 * 1024)).encode()
    args = podscript.codex_exec_args(model="gpt-5.2", effort="high")
    done = run(
        podscript.run(len(prompt), podscript.CODEX_CLI_VERSION, args), prepared(workspace), prompt
    )
    assert done.returncode == 0, done.stderr
    tally = EventTally()
    tally.feed(done.stdout)
    tally.close()
    assert tally.turns == 1
    assert tally.session_id
    assert tally.has_usage
    session = json.loads(
        (workspace / ".codexstack" / "codex" / "sessions" / f"{tally.session_id}.json").read_text()
    )
    assert session["prompts"] == [hashlib.sha256(prompt).hexdigest()]
    log = subprocess.run(
        ["git", "-C", str(workspace), "log", "--oneline", "codex/issue-9"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "stand-in agent: codex/issue-9 turn 1" in log
    assert (
        ".codexstack"
        not in subprocess.run(
            ["git", "-C", str(workspace), "show", "--stat", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


def test_exit_status_resume_and_session_store(workspace: Path) -> None:
    failing = b"codex-standin: exit 7\n"
    args = podscript.codex_exec_args(model="", effort="")
    done = run(podscript.run(len(failing), "0.169.0", args), workspace, failing)
    assert done.returncode == 7
    tally = EventTally()
    tally.feed(done.stdout)
    assert tally.failed_turns == 1
    assert run(podscript.save_session(tally.session_id), workspace).returncode == 0
    stored = run(podscript.read_session(), workspace).stdout.decode().strip()
    assert stored == tally.session_id
    again = b"continue\n"
    resumed = run(
        podscript.run(
            len(again), "0.169.0", podscript.codex_exec_args(model="", effort="", resume_id=stored)
        ),
        workspace,
        again,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert b'"thread_id": "' + stored.encode() in resumed.stdout
    assert b"turn 2" in resumed.stdout


def test_only_the_pinned_cli_runs(workspace: Path, tmp_path: Path) -> None:
    # The stand-in reports 0.169.0; for another pin the script must ask npx for exactly that
    # version (a recording npx stands first on PATH here, so nothing is fetched).
    bin_dir = tmp_path / "npx-bin"
    bin_dir.mkdir()
    npx = bin_dir / "npx"
    npx.write_text('#!/bin/sh\necho "npx $*"\nexit 42\n')
    npx.chmod(0o755)
    prompt = b"hello\n"
    argv = podscript.run(len(prompt), "0.1.0", podscript.codex_exec_args(model="", effort=""))
    env = pod_env(workspace)
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    done = subprocess.run(
        argv, input=prompt, capture_output=True, cwd=workspace, env=env, timeout=60, check=False
    )
    assert done.returncode == 42
    assert done.stdout.decode().startswith("npx --yes @openai/codex@0.1.0 exec --json")

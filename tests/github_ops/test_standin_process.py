"""The stand-in as a separate process (how workflow runs use it): seed, serve, git, dump."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from ghkit import REPO, TOKEN, git, make_origin, seed

from tests.support.github_standin import Control, spawn

ROOT = Path(__file__).resolve().parents[2]


def test_process_mode_seeds_serves_git_and_dumps_state(tmp_path: Path) -> None:
    git_root = tmp_path / "git"
    proc, url = spawn(seed(), tmp_path, git_root)
    try:
        assert url.startswith("http://127.0.0.1:")
        control = Control(url)
        state = control.state()
        state["repos"][REPO]["issues"]["3"] = {"title": "from the test"}
        control.load(state)
        make_origin(git_root, REPO, ["codex/issue-3"])
        clone = tmp_path / "clone"
        git(tmp_path, "clone", "-q", f"{url}/git/{REPO}.git", str(clone))  # anonymous fetch
        (clone / "docs" / "a.txt").write_text("pushed over http\n")
        git(clone, "commit", "-qam", "change")
        push = git(clone, "push", f"{url}/git/{REPO}.git", "HEAD:refs/heads/x", check=False)
        assert push == ""  # no credentials: refused (git prints the error on stderr)
        assert git(git_root / f"{REPO}.git", "branch", "--list", "x") == ""
        authed = url.replace("http://", f"http://x-access-token:{TOKEN}@")
        git(clone, "push", "-q", f"{authed}/git/{REPO}.git", "HEAD:refs/heads/x")
        assert git(git_root / f"{REPO}.git", "branch", "--list", "x").strip() == "x"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    dumped = json.loads((tmp_path / "out.json").read_text())
    assert dumped["repos"][REPO]["issues"]["3"]["title"] == "from the test"

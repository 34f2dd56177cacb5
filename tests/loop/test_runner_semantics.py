"""act in host mode runs workflow files with GitHub's semantics (the loop tests rely on it).

One event runs ``tests/loop/workflows/semantics``: the assertions cover job order and
``needs``, ``if:``, step and job outputs (multi-line too), env at workflow/job/step level,
secrets and derived values masked, a reusable workflow's typed inputs, secret and output,
``failure()``/``always()`` steps, and the checkout stand-in cloning from the bare repository
and pushing a branch back to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from loop.actkit import Act, git
from loop.conftest import WORKFLOWS

EVENT = {
    "action": "labeled",
    "label": {"name": "[ai-dev]"},
    "issue": {"number": 7, "title": "t", "body": "", "labels": [{"name": "[ai-dev]"}]},
    "sender": {"login": "alice"},
    "repository": {"full_name": "acme/demo", "default_branch": "main"},
}


def test_runner_semantics(act_repo: Callable[..., Act]) -> None:
    act = act_repo(WORKFLOWS / "semantics")
    res = act.run(
        "issues",
        EVENT,
        workflow=".github/workflows/semantics.yml",
        secrets={"API_TOKEN": "tok-s3cr3t"},
        variables={"ALLOWED_USERS": "bob,alice"},
    )
    log = res.log()
    assert res.returncode != 0, log  # the `failing` job fails the run
    for job in ("gate", "first", "work", "after", "push"):
        assert res.job_result(job) == "success", f"{job}\n{log}"
    assert res.job_result("failing") == "failure", log
    assert not res.ran("never"), log
    assert not res.ran("after-failing"), log

    out = res.output()
    assert "gate: actor=alice allowed=true" in out
    assert "env from-workflow from-job from-step shadow=step" in out
    assert "later step sees slot=3 shadow=job" in out
    # Secrets and values derived from them never reach the log.
    derived = hashlib.sha256(b"tok-s3cr3t").hexdigest()[:16]
    assert "tok-s3cr3t" not in out
    assert derived not in out
    assert "secret=*** derived=***" in out
    assert "reusable: slot=3 label=[ai-dev] dry=true token=***" in out
    assert "reusable: not dry" not in out
    assert "after: slot=3 from-call=demo-dev-3" in out
    assert "after: notes=line one|line two" in out
    # After the failed step only failure()/always() steps run.
    assert "failing: cleanup ran" in out
    assert "failing: summary ran" in out
    assert "failing: not reached" not in out
    # The checkout stand-in cloned from the bare repository; the push landed there.
    origin = act.git_base / "acme/demo.git"
    pushed = git(origin, "log", "--format=%s", "codex/issue-7")
    assert pushed.splitlines()[0] == "feat: change for issue #7"
    assert "push: pushed " + git(origin, "rev-parse", "codex/issue-7") in out


def test_gate_blocks_other_actors(act_repo: Callable[..., Act]) -> None:
    act = act_repo(WORKFLOWS / "semantics")
    res = act.run(
        "issues",
        {**EVENT, "sender": {"login": "mallory"}},
        workflow=".github/workflows/semantics.yml",
        actor="mallory",
        secrets={"API_TOKEN": "tok"},
        variables={"ALLOWED_USERS": "bob,alice"},
    )
    assert res.job_result("gate") == "success", res.log()
    assert "gate: actor=mallory allowed=false" in res.output()
    for job in ("first", "work", "after"):
        assert not res.ran(job), res.log()

"""Battery S9 and S4 for the GitHub commands, and the rate-limit budget, through the CLI.

S9: a push to the default branch, a protected branch, a fork's head, or a branch named with
shell metacharacters is refused. With ``--branch`` the name is refused before any request at
all (the stand-in records none). When the bad head comes from the PR, the PR (and the
repository and branch) must be read first: the stand-in then records GET requests only, no
write and no git request, and the origin's refs are unchanged.

S4: a canary token, and its base64 and URL-encoded forms, appear nowhere: stdout, stderr
with ``--debug`` logs, the argv of every process sampled during the push, ``.git/config``,
the comment bodies the stand-in stored, or any URL the stand-in was asked.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ghkit import REPO, add_issue, clone, git, make_origin

from cli.app import main
from tests.support.canary import ArgvSampler, Canary
from tests.support.github_standin import Control, StandIn

Capture = pytest.CaptureFixture[str]
HOSTILE = ["codex/issue-1;rm -rf ~", "$(id)"]


def review_tree(standin: StandIn, project: Path, branches: list[str]) -> tuple[Path, Path]:
    bare = make_origin(standin.git_root, REPO, branches)
    work = clone(str(bare), project / "code" / "2" / "src", "main")
    git(work, "remote", "set-url", "origin", f"{standin.url}/git/{REPO}.git")
    (work / "docs" / "a.txt").write_text("agent change\n")
    return bare, work


REVIEW = ("pr", "review-apply", "--pr", "6", "--slot", "2", "--code-root-base", "code")


@pytest.mark.parametrize("branch", HOSTILE)
def test_s9_metacharacter_branch_refused_before_any_request(
    project: Path, standin: StandIn, control: Control, capsys: Capture, branch: str
) -> None:
    bare, _ = review_tree(standin, project, ["codex/issue-1"])
    refs = git(bare, "for-each-ref")
    code = main([*REVIEW, "--branch", branch])
    assert code == 65
    assert "metacharacters" in capsys.readouterr().err
    assert control.requests() == []
    assert git(bare, "for-each-ref") == refs


@pytest.mark.parametrize(
    ("pull", "code", "expected"),
    [
        ({"head_ref": "main"}, 1, "is the default branch"),
        ({"head_ref": "release"}, 1, "is protected"),
        ({"head_ref": "codex/issue-1", "head_repo": "evil/app"}, 1, "comes from fork evil/app"),
        ({"head_ref": HOSTILE[0]}, 65, "metacharacters"),
        ({"head_ref": HOSTILE[1]}, 65, "metacharacters"),
    ],
)
def test_s9_bad_pr_head_refused_with_reads_only(
    project: Path,
    standin: StandIn,
    control: Control,
    capsys: Capture,
    pull: dict[str, str],
    code: int,
    expected: str,
) -> None:
    bare, _ = review_tree(standin, project, ["codex/issue-1", "release"])
    add_issue(control, 6, pull=pull)
    refs = git(bare, "for-each-ref")
    assert main(list(REVIEW)) == code
    assert expected in capsys.readouterr().err
    asked = control.requests()
    assert asked, "the PR must have been read"
    assert {r["method"] for r in asked} == {"GET"}
    assert [r for r in asked if r["kind"] == "git"] == []
    assert control.writes() == []
    assert git(bare, "for-each-ref") == refs


def test_s4_canary_token_appears_nowhere(
    project: Path, standin: StandIn, control: Control, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = Canary("ghp_CANARY+s4/Zx9=q7Lw3Tt")
    canary = secret.value
    state = control.state()
    state["tokens"][canary] = "codex-bot"
    control.load(state)
    _, work = review_tree(standin, project, ["codex/issue-1"])
    add_issue(control, 6, pull={"head_ref": "codex/issue-1"})
    control.switches(git_delay=0.3)  # keep each git request open long enough to be sampled
    cli = Path(sys.executable).with_name("codexstack")
    env = {**os.environ, "CODEXCTL_GH_PAT": canary, "CODEXCTL_COMMENT_BODY": f"token={canary}"}

    def cli_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(cli), "--debug", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    with ArgvSampler(interval=0.01) as sampler:  # argv is sampled while review-apply pushes
        runs = [cli_run(*REVIEW)]
    runs += [
        cli_run("issue", "comment", "--issue", "6"),
        cli_run("manage-env", "comment-pr", "--slot", "2", "--pr", "6"),
        cli_run("plan", "resolve-root", "--issue", "6"),  # fails: an error text too
    ]
    assert [r.returncode for r in runs] == [0, 0, 0, 1], [r.stderr[-2000:] for r in runs]
    assert "has no [ai-plan] label" in runs[3].stderr
    assert any("git-receive-pack" in r["path"] for r in control.writes())
    assert " push " in sampler.text, "the sampler saw no git push"
    assert "DEBUG" in runs[0].stderr  # the --debug logs were really on
    bodies = [c["body"] for c in control.repo(REPO)["issues"]["6"]["comments"]]
    assert "token=***" in bodies
    urls = [f"{r['path']}?{r['query']}" for r in control.requests()]
    places = {
        "stdout": "".join(r.stdout for r in runs),
        "stderr (with --debug logs)": "".join(r.stderr for r in runs),
        "argv during the push": sampler.text,
        ".git/config": (work / ".git" / "config").read_text(),
        "comment bodies": "\n".join(bodies),
        "request URLs": "\n".join(urls),
    }
    basic = base64.b64encode(f"x-access-token:{canary}".encode()).decode()  # HTTP auth form
    secret.assert_nowhere(places)
    for place, text in places.items():
        assert basic not in text, f"the token's basic-auth form found in {place}"


def test_rate_limit_waited_then_succeeds_or_exits_75(
    project: Path, control: Control, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issue(control, 1, labels=["[ai-plan]"])
    control.rate_limit(3)
    assert main(["plan", "resolve-root", "--issue", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "root: 1\nfocus: 1\n"
    assert "GitHub rate limit: waiting" in captured.err
    assert [r["status"] for r in control.requests()][:1] == [403]
    monkeypatch.setenv("CODEXSTACK_GITHUB_WAIT", "2")
    control.rate_limit(60)
    assert main(["plan", "resolve-root", "--issue", "1"]) == 75
    err = capsys.readouterr().err
    assert "resets at" in err
    assert "beyond the wait budget" in err

"""``prompt run`` before the cluster: every input is checked and rendered first (D-KIND-LATE).

The kubeconfig here points at a port nothing listens on: a request that got past validation
would fail with "cannot reach the Kubernetes API" instead of the input error asserted. The
end-to-end run against the real apiserver and kwok's exec is in
``tests/integration/test_prompt_run.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codexstack import flows
from codexstack.agent import Comment
from codexstack.errors import ConfigError, ExitCode, UsageError
from codexstack.flows.prompt_run import GitHubContext, Request, Result, prepare, run, summary_text

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(tmp_path: Path, project: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(REPO / "examples" / "demo", target)
    (target / ".env.demo").write_text("")
    kubeconfig = tmp_path / "nowhere.kubeconfig"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: x\n"
        "clusters: [{name: x, cluster: {server: 'https://127.0.0.1:9'}}]\n"
        "contexts: [{name: x, context: {cluster: x, user: x}}]\nusers: [{name: x, user: {}}]\n"
    )
    return target


def request(demo: Path, **kw: object) -> Request:
    target = flows.Target(config=demo / "services.yaml", env="ai", slot=3)
    args: dict[str, object] = {
        "issue": 42,
        "kubeconfig": str(demo.parent / "nowhere.kubeconfig"),
        "github": GitHubContext(),
        "environ": {"PATH": "/usr/bin"},
    }
    args.update(kw)
    return Request(target, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"kind": "dev_isue"}, "--kind"),
        ({"lang": "../../x"}, "--lang"),
        ({"template": "../outside.tmpl"}, "--template"),
        ({"template": "missing.tmpl"}, "prompt template"),
        ({"model": "gpt 5; rm -rf"}, "--model"),
        ({"effort": "hi`gh`"}, "--reasoning-effort"),
    ],
)
def test_bad_input_fails_before_any_cluster_call(
    demo: Path, change: dict[str, str], key: str
) -> None:
    with pytest.raises(ConfigError) as info:
        run(request(demo, **change))
    assert info.value.exit_code == ExitCode.INVALID
    assert key in str(info.value)


def test_a_slot_is_required_for_env_ai(demo: Path) -> None:
    target = flows.Target(config=demo / "services.yaml", env="ai", slot=0)
    with pytest.raises(UsageError, match="--slot"):
        run(Request(target, issue=42, github=GitHubContext(), environ={}))


def test_prepare_renders_prompt_config_and_choice(demo: Path) -> None:
    comments = (Comment("alice", "Also report <!-- x -->Redis.\u200b", id=1, issue_number=42),)
    recorder = flows.Recorder()
    prepared = prepare(
        request(demo, github=GitHubContext(labels=("ai-model-gpt-5.2",), issue_comments=comments)),
        recorder,
    )
    assert prepared.kind == "dev_issue"
    assert prepared.service == "codex"
    assert prepared.choice.model.value == "gpt-5.2"
    assert prepared.choice.model.source == "label"
    assert 'model = "gpt-5.2"' in prepared.config.text
    assert "Also report Redis." in prepared.prompt.text
    assert "<!--" not in prepared.prompt.text
    assert "UNTRUSTED-DATA" in prepared.prompt.text
    assert prepared.version == "0.169.0"
    assert any("sha256" in line for line in recorder.lines)
    # The log says how big the prompt is, never what it says.
    assert not any("Redis" in line for line in recorder.lines)


def test_unknown_model_warns_and_goes_on(demo: Path) -> None:
    recorder = flows.Recorder()
    prepared = prepare(request(demo, model="gpt-9-experimental"), recorder)
    assert prepared.choice.model.value == "gpt-9-experimental"
    assert any("not in the allowed list" in w for w in recorder.warnings)


def test_the_human_summary_names_duration_turns_and_tokens() -> None:
    result = Result(
        exit_code=0,
        namespace="demo-shop-dev-1",
        pod="codex-1",
        kind="dev_issue",
        lang="en",
        model="gpt-5.3-codex",
        effort="medium",
        session_id="s-1",
        duration_s=12.34,
        turns=2,
        tokens={"input_tokens": 510, "output_tokens": 30},
        agent_exit=0,
    )
    assert summary_text(result) == (
        "agent dev_issue (en, gpt-5.3-codex/medium) in demo-shop-dev-1/codex-1 succeeded after"
        " 12.3 s; 2 turns; 510 input tokens, 30 output tokens; session s-1"
    )

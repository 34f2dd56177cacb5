"""The ``github.comment`` hook posts through the GitHub module: no ``gh`` on PATH needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from ghkit import REPO, TOKEN, add_issue

from codexstack.config.models_workloads import HookStep
from codexstack.deploy.builtins import BUILTINS
from codexstack.deploy.hooks import HookEnv, HookError, HookRunner
from codexstack.plan.model import Plan
from tests.support.github_standin import Control


def plan_with(step: HookStep) -> Plan:
    return Plan(
        project="demo",
        env="ai",
        slot=3,
        namespace="demo-ai-3",
        stack="ai-3",
        infrastructure=(),
        services=(),
        hooks={"afterAll": (step,)},
    )


def test_hook_comments_without_gh(
    control: Control, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issue(control, 5, pull={})
    monkeypatch.setenv("PATH", str(tmp_path))  # no gh, no git: the hook must not need them
    monkeypatch.delenv("CODEXCTL_GH_PAT")
    step = HookStep.model_validate(
        {"name": "say", "use": "github.comment", "with": {"pr": "5", "body": "deployed slot 3"}}
    )
    env = HookEnv(plan_with(step), variables={"CODEXCTL_GH_PAT": TOKEN}, cwd=tmp_path)
    HookRunner(env, BUILTINS).stage("afterAll")
    (comment,) = control.repo(REPO)["issues"]["5"]["comments"]
    assert (comment["body"], comment["user"]) == ("deployed slot 3", "codex-bot")


def test_hook_without_token_fails_clearly(
    control: Control, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CODEXCTL_GH_PAT")
    step = HookStep.model_validate(
        {"use": "github.comment", "with": {"issue": "5", "body": "hello"}}
    )
    with pytest.raises(HookError, match="no GitHub token"):
        HookRunner(HookEnv(plan_with(step), cwd=tmp_path), BUILTINS).stage("afterAll")
    assert control.requests() == []

"""The hook runner with real bash: order, filters, when, env-var values, failures, timeouts."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from codexstack.config.models_workloads import HookStep
from codexstack.deploy.builtins import BUILTINS
from codexstack.deploy.hooks import HookEnv, HookError, HookRunner, stage_steps
from codexstack.errors import ConfigError
from codexstack.plan.model import Plan, Unit


def step(**fields: Any) -> HookStep:
    return HookStep.model_validate(fields)


def make_plan(tmp: Path, **hooks: list[HookStep]) -> Plan:
    log = f">> {tmp}/log"
    units = (
        Unit("infra", "db", True, (), {"beforeApply": [step(name="db", run=f"echo db {log}")]}),
        Unit("infra", "cache", False, (), {"beforeApply": [step(name="c", run=f"echo c {log}")]}),
        Unit(
            "service",
            "api",
            True,
            (),
            {
                "beforeApply": [step(name="a", run=f"echo api {log}")],
                "afterApply": [step(name="a2", run=f"echo a2 {log}")],
            },
        ),
    )
    return Plan(
        project="demo",
        env="ai",
        slot=4,
        namespace="demo-ai-4",
        stack="ai-4",
        infrastructure=units[:2],
        services=units[2:],
        hooks={k: tuple(v) for k, v in hooks.items()},
    )


def runner(plan: Plan, tmp: Path, **variables: str) -> HookRunner:
    # Steps run in a login shell: keep the machine's profile (pyenv, cargo ...) out of tests.
    isolated = {"HOME": str(tmp), **variables}
    return HookRunner(HookEnv(plan, variables=isolated, cwd=tmp), BUILTINS)


def log(tmp: Path) -> list[str]:
    path = tmp / "log"
    return path.read_text().splitlines() if path.exists() else []


def test_stages_run_in_order_and_skip_unselected_units(tmp_path: Path):
    plan = make_plan(tmp_path, beforeAll=[step(run=f"echo all >> {tmp_path}/log")])
    hooks = runner(plan, tmp_path)
    hooks.stage("beforeAll")
    hooks.stage("beforeApply")
    assert log(tmp_path) == ["all", "db", "api"]
    assert [o for o, _ in stage_steps(plan, "beforeApply")] == ["infra db", "service api"]


def test_values_reach_scripts_as_environment_not_as_code(tmp_path: Path):
    hostile = "$(touch pwned) `touch pwned2` ' \" \n; rm -rf /"
    script = (
        f'printf %s "$ISSUE_TITLE" > {tmp_path}/title; '
        f'echo "$CODEXCTL_SLOT $CODEXCTL_NAMESPACE" > {tmp_path}/ctx'
    )
    plan = make_plan(tmp_path, beforeAll=[step(run=script)])
    runner(plan, tmp_path, ISSUE_TITLE=hostile).stage("beforeAll")
    assert (tmp_path / "title").read_text() == hostile
    assert (tmp_path / "ctx").read_text().strip() == "4 demo-ai-4"
    assert not (tmp_path / "pwned").exists()
    assert not (tmp_path / "pwned2").exists()


@pytest.mark.parametrize(
    ("when", "runs"),
    [("", True), ("true", True), ("false", False), ("0", False), ("No", False), ("yes", True)],
)
def test_when_gates_a_step(tmp_path: Path, when: str, runs: bool):
    plan = make_plan(tmp_path, beforeAll=[step(run=f"echo ran >> {tmp_path}/log", when=when)])
    hooks = runner(plan, tmp_path)
    hooks.stage("beforeAll")
    assert (log(tmp_path) == ["ran"]) is runs
    assert hooks.results[0].status == ("ran" if runs else "skipped")


def test_a_failing_step_stops_the_run_with_its_output(tmp_path: Path):
    plan = make_plan(
        tmp_path,
        beforeAll=[
            step(name="boom", run="echo why it broke; exit 3"),
            step(run=f"echo after >> {tmp_path}/log"),
        ],
    )
    with pytest.raises(HookError) as info:
        runner(plan, tmp_path).stage("beforeAll")
    assert "boom failed: exited with status 3" in str(info.value)
    assert "why it broke" in str(info.value)
    assert log(tmp_path) == []


def test_continue_on_error_turns_a_failure_into_a_warning(tmp_path: Path):
    plan = make_plan(
        tmp_path,
        beforeAll=[
            step(run="exit 1", continueOnError=True),
            step(run=f"echo after >> {tmp_path}/log"),
        ],
    )
    hooks = runner(plan, tmp_path)
    hooks.stage("beforeAll")
    assert log(tmp_path) == ["after"]
    assert [r.status for r in hooks.results] == ["warned", "ran"]


def test_timeout_kills_the_step(tmp_path: Path):
    plan = make_plan(tmp_path, beforeAll=[step(name="slow", run="sleep 30", timeout="300ms")])
    with pytest.raises(HookError, match=r"timed out after 0\.3s"):
        runner(plan, tmp_path).stage("beforeAll")


def test_builtin_sleep_and_unknown_builtins(tmp_path: Path):
    plan = make_plan(tmp_path, beforeAll=[step(use="sleep", **{"with": {"duration": "10ms"}})])
    hooks = runner(plan, tmp_path)
    hooks.stage("beforeAll")
    assert hooks.results[0].status == "ran"
    bad = dataclasses.replace(plan, hooks={"beforeAll": (step(use="nope"),)})
    with pytest.raises(ConfigError, match="unknown built-in hook 'nope'"):
        runner(bad, tmp_path).stage("beforeAll")


def test_preflight_builtin_needs_kubectl(tmp_path: Path):
    plan = make_plan(tmp_path, beforeAll=[step(use="preflight")])
    hooks = HookRunner(HookEnv(plan, kubectl=str(tmp_path / "no-kubectl")), BUILTINS)
    with pytest.raises(HookError, match="kubectl is not on PATH"):
        hooks.stage("beforeAll")


def test_a_namespace_that_is_no_dns_label_never_reaches_a_step(tmp_path: Path):
    """Issue 14 defect 2: before, the step ran with CODEXCTL_NAMESPACE='x; touch pwned'."""
    plan = dataclasses.replace(
        make_plan(tmp_path, beforeAll=[step(run=f'echo "$CODEXCTL_NAMESPACE" >> {tmp_path}/log')]),
        namespace="x; touch pwned",
    )
    with pytest.raises(ConfigError, match="not a DNS-1123 label"):
        runner(plan, tmp_path).stage("beforeAll")
    assert log(tmp_path) == []


@pytest.mark.parametrize(
    ("kind", "name"), [("--kubeconfig=/tmp/x", "a"), ("pod", "-n=kube-system")]
)
def test_kubectl_wait_refuses_option_like_kinds_and_names(tmp_path: Path, kind: str, name: str):
    """Issue 14 defect 2: before, kind '--kubeconfig=…' reached kubectl's argv as an option."""
    kubectl = tmp_path / "kubectl"
    kubectl.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path}/log\n')
    kubectl.chmod(0o755)
    plan = make_plan(
        tmp_path, beforeAll=[step(use="kubectl.wait", with_={"kind": kind, "name": name})]
    )
    hooks = HookRunner(
        HookEnv(plan, variables={"HOME": str(tmp_path)}, kubectl=str(kubectl)), BUILTINS
    )
    with pytest.raises(HookError, match="is not a resource"):
        hooks.stage("beforeAll")
    assert log(tmp_path) == []


def test_a_step_that_prints_a_secret_shows_it_masked(tmp_path: Path):
    """Issue 14 defect 3: before, hook output (and the failure message) carried the value."""
    from codexstack.config.load import load_config  # noqa: PLC0415 - registers the env file

    secret = "canary-hook-8d1f2c"
    (tmp_path / "services.yaml").write_text("project: demo\nenvFiles: [.env]\n")
    (tmp_path / ".env").write_text(f"DEMO_API_TOKEN={secret}\n")
    load_config("services.yaml", cwd=tmp_path, process_env={})
    seen: list[str] = []
    plan = make_plan(tmp_path, beforeAll=[step(name="leak", run='echo "$DEMO_API_TOKEN"; exit 1')])
    hooks = HookRunner(
        HookEnv(plan, variables={"HOME": str(tmp_path), "DEMO_API_TOKEN": secret}, cwd=tmp_path),
        BUILTINS,
        reporter=lambda p: seen.append(p.message),
    )
    with pytest.raises(HookError) as caught:
        hooks.stage("beforeAll")
    assert "***" in str(caught.value)
    assert secret not in str(caught.value)
    assert not any(secret in line for line in seen)


def test_namespace_preparing_builtins_do_nothing_in_a_destroy(tmp_path: Path):
    """``beforeAll`` serves apply and destroy; a destroy must never create the namespace."""
    steps = [step(name="secrets", use="codex.ensure-codex-secrets")]
    steps.append(step(name="tls", use="codex.reuse-dev-tls-secret"))
    plan = make_plan(tmp_path, beforeAll=steps)
    seen: list[str] = []
    hooks = runner(plan, tmp_path, CODEXCTL_GH_PAT="ghp-token", KUBECONFIG=str(tmp_path / "none"))
    hooks.reporter = lambda event: seen.append(event.message)
    hooks.stage("beforeAll", "destroy")
    assert [(r.name, r.status) for r in hooks.results] == [("secrets", "ran"), ("tls", "ran")]
    assert sum("prepares a namespace for an apply, not a destroy" in m for m in seen) == 2

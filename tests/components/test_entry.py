"""Stack names of hand-run ``pulumi up`` map to the env/slot codexstack would use."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest

from codexstack.errors import ConfigError
from codexstack.program.entry import env_and_slot, plan_from_config

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo" / "services.yaml"


@pytest.fixture
def config() -> pulumi.Config:
    pulumi.runtime.set_all_config({})
    return pulumi.Config("codexstack")


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        ("dev", ("dev", 0)),
        ("staging", ("staging", 0)),
        ("ai-7", ("ai", 7)),
        ("ai-staging", ("ai-staging", 0)),
        ("ai-repair", ("ai-repair", 0)),
    ],
)
def test_the_stack_name_says_env_and_slot(config: pulumi.Config, stack: str, expected):
    assert env_and_slot(stack, config) == expected


def test_explicit_config_wins():
    pulumi.runtime.set_all_config({"codexstack:env": "ai", "codexstack:slot": "3"})
    assert env_and_slot("anything", pulumi.Config("codexstack")) == ("ai", 3)
    pulumi.runtime.set_all_config({})


def test_the_demo_plan_comes_from_stack_config():
    pulumi.runtime.set_all_config({"codexstack:config": str(DEMO)})
    plan = plan_from_config("ai-2", pulumi.Config("codexstack"))
    assert (plan.env, plan.slot, plan.stack) == ("ai", 2, "ai-2")
    assert plan.namespace == "demo-shop-dev-2"
    pulumi.runtime.set_all_config({"codexstack:config": str(DEMO), "codexstack:env": "dev"})
    with pytest.raises(ConfigError, match="whose stack is 'dev'"):
        plan_from_config("staging", pulumi.Config("codexstack"))
    pulumi.runtime.set_all_config({})

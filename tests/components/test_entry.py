"""Stack names of hand-run ``pulumi up`` map to the env/slot codexstack would use."""

from __future__ import annotations

import pulumi
import pytest

from codexstack.program.entry import env_and_slot


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

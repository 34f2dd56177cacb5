"""The program as run by plain ``pulumi up -s <stack>`` (``__main__.py``), from stack config.

The CLI builds the Plan itself and runs the program inline; a hand-run ``pulumi up`` gets the
same program with the Plan built from the stack's config in ``stacks/Pulumi.<stack>.yaml``:
``codexstack:config`` (services.yaml, relative to the Pulumi project), ``codexstack:env`` and
``codexstack:slot`` (default: from the stack name, ``ai-<N>`` is env ``ai`` slot N, any other
name is the env), ``codexstack:wait``, ``codexstack:kubeconfig``/``codexstack:context``.
The stack name must be the one codexstack would use, so both ways share one stack.
"""

from __future__ import annotations

import dataclasses
import os
import re

import pulumi

from codexstack.errors import ConfigError, Location
from codexstack.plan import ClusterTarget, Plan, PlanRequest, load_plan
from codexstack.program.options import ProgramOptions
from codexstack.program.stack import program

_SLOT_STACK = re.compile(r"^ai-(\d+)$")


def env_and_slot(stack: str, config: pulumi.Config) -> tuple[str, int]:
    """The env/slot a stack stands for: its config, else what its name says."""
    match = _SLOT_STACK.match(stack)
    env = config.get("env") or ("ai" if match else stack)
    slot = config.get_int("slot")
    return env, slot if slot is not None else (int(match.group(1)) if match else 0)


def plan_from_config(stack: str, config: pulumi.Config) -> Plan:
    env, slot = env_and_slot(stack, config)
    plan = load_plan(
        PlanRequest(
            config.get("config") or "services.yaml", env, slot=slot, vars=config.get("vars")
        )
    )
    if plan.stack != stack:
        raise ConfigError(
            f"stack '{stack}' holds env {env} slot {slot}, whose stack is '{plan.stack}'",
            location=Location(key="codexstack:env"),
            hint=f"run `pulumi up -s {plan.stack}` or fix the stack config",
        )
    kubeconfig, context = config.get("kubeconfig"), config.get("context")
    if kubeconfig or context:
        plan = dataclasses.replace(
            plan,
            cluster=ClusterTarget(
                os.path.expanduser(kubeconfig) if kubeconfig else plan.cluster.kubeconfig,
                context or plan.cluster.context,
            ),
        )
    return plan


def main() -> None:
    """Build the Plan from this stack's config and register its components."""
    config = pulumi.Config("codexstack")
    plan = plan_from_config(pulumi.get_stack(), config)
    program(plan, ProgramOptions(wait=config.get_bool("wait") or False))

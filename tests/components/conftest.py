"""Run the Pulumi program under ``pulumi.runtime.set_mocks`` and collect what it registers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pytest
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs
from pulumi.runtime.stack import wait_for_rpcs
from pulumi.runtime.sync_await import _sync_await

from codexstack.plan.model import Plan
from codexstack.program.options import ProgramOptions
from codexstack.program.stack import program


@dataclass(frozen=True)
class Registered:
    """One resource the program registered: its URN, type, name and inputs."""

    urn: str
    type: str
    name: str
    inputs: dict[str, Any]

    @property
    def parent_types(self) -> list[str]:
        return self.urn.split("::")[2].split("$")[:-1]


class _Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.args: list[MockResourceArgs] = []

    def new_resource(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.args.append(args)
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class Registration:
    """Everything one program run registered, with lookups for assertions."""

    resources: list[Registered]

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str) -> Registered:
        found = [r for r in self.of_type(type_) if r.name == name]
        assert len(found) == 1, f"{type_} {name}: {len(found)} registered"
        return found[0]

    def k8s_objects(self) -> list[dict[str, Any]]:
        """Every Kubernetes object the stack would apply: typed resources and group objs."""
        objs: list[dict[str, Any]] = []
        for r in self.resources:
            if r.type == "kubernetes:yaml/v2:ConfigGroup":
                objs.extend(r.inputs["objs"])
            elif r.type.startswith("kubernetes:") and "kind" in r.inputs:
                objs.append(r.inputs)
        return objs


def run_under_mocks(
    plan: Plan, options: ProgramOptions | None = None, project: str = "demo"
) -> Registration:
    """Run ``program(plan)`` under mocks and return what it registered, in order."""
    mocks = _Mocks()
    monitor = MockMonitor(mocks)
    pulumi.runtime.set_mocks(
        mocks, project=project, stack=plan.stack, preview=False, monitor=monitor
    )
    program(plan, options)
    _sync_await(wait_for_rpcs())
    by_urn = monitor.get_registered_resources()
    resources = []
    for args in mocks.args:
        urn = next(
            u
            for u in by_urn
            if u.endswith("::" + args.name) and u.split("::")[2].split("$")[-1] == args.typ
        )
        resources.append(Registered(urn, args.typ, args.name, dict(args.inputs)))
    return Registration(resources)


@pytest.fixture
def under_mocks() -> Callable[..., Registration]:
    return run_under_mocks

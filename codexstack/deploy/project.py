"""From a services.yaml path and options to what an operation needs: Plan and hook context.

The same load as ``render`` (config, templates, filters), kept together with the parts of
the loaded config that hooks need: the project's merged environment and variables (passed to
shell steps as environment variables) and, only when ``doubleRender`` is on, the renderer
that codexctl applies to hook fields a second time. The environment must be declared in
``environments`` (as codexctl requires for ``apply``); a cluster target given on the command
line replaces the environment's kubeconfig/context.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from codexstack.deploy.hooks import HookEnv
from codexstack.plan import (
    ClusterTarget,
    Plan,
    PlanRequest,
    build_plan,
    load_digests,
    load_request,
)


@dataclass(frozen=True)
class Inputs(PlanRequest):
    """Command-line inputs of a deploy operation: the plan request plus target, tags, env rule."""

    kubeconfig: str | None = None
    context: str | None = None
    issue: int = 0
    pr: int = 0
    require_env: bool = True


@dataclass(frozen=True)
class Loaded:
    """The Plan, its project directory and the hook context of one operation."""

    plan: Plan
    project_dir: Path
    hook_env: HookEnv
    warnings: tuple[str, ...] = ()
    filtered: bool = False
    """Filters were given: the run changes its selection only (see ``plan_excludes``)."""


def load(inputs: Inputs, *, kubectl: str = "kubectl") -> Loaded:
    """Load and plan ``inputs`` (raises ConfigError/TemplateError with locations)."""
    loaded = load_request(inputs)
    if inputs.require_env:
        loaded.environment(required=True)
    warnings: list[str] = [str(w) for w in loaded.warnings]
    plan = build_plan(
        loaded,
        filters=inputs.filters,
        include_unselected=inputs.include_unselected,
        issue=inputs.issue,
        pr=inputs.pr,
        warnings=warnings,
    )
    digests = load_digests(loaded.root)
    if digests:  # prepared images pin their workloads (never part of the rendered manifests)
        plan = dataclasses.replace(plan, image_digests=digests)
    if inputs.kubeconfig or inputs.context:
        plan = dataclasses.replace(
            plan,
            cluster=ClusterTarget(
                kubeconfig=inputs.kubeconfig or plan.cluster.kubeconfig,
                context=inputs.context or plan.cluster.context,
            ),
        )
    ctx = loaded.context
    hook_env = HookEnv(
        plan,
        variables={**ctx.env_map, **ctx.vars},
        render=loaded.render if loaded.model.double_render else None,
        kubectl=kubectl,
        cwd=Path(os.getcwd()),
    )
    filters = inputs.filters
    filtered = any(
        (filters.only_services, filters.skip_services, filters.only_infra, filters.skip_infra)
    )
    return Loaded(plan, loaded.root, hook_env, tuple(warnings), filtered)

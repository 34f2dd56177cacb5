"""``build_plan``: a loaded config becomes the Plan of one environment or slot.

Pure apart from reading the project's manifest files: no cluster, no Pulumi. The plan holds
every enabled unit in file order (infrastructure first) with its rendered documents, its
hooks per stage and whether the filters selected it; the top-level hooks; the cluster target
of the environment; the Pulumi stack name and tags. Hooks belong to enabled units only, so a
deploy runs them only for what it deploys (D-HOOK-FILTER). Render warnings go to the
``codexstack.render`` logger (stderr by default) or into a list the caller passes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

from codexstack import naming
from codexstack.config import HookSet, HookStep, LoadedConfig, ResourceHooks
from codexstack.plan.model import AgentAccess, ClusterTarget, Manifest, Plan, Unit
from codexstack.render import Filters, KindScopes, RenderedUnit, render_inputs, render_units

log = logging.getLogger("codexstack.render")


def unit_hooks(hooks: ResourceHooks) -> dict[str, Sequence[HookStep]]:
    """A unit's non-empty hook stages by their services.yaml names."""
    stages = {
        "beforeApply": hooks.before_apply,
        "afterApply": hooks.after_apply,
        "beforeDestroy": hooks.before_destroy,
        "afterDestroy": hooks.after_destroy,
    }
    return {name: steps for name, steps in stages.items() if steps}


def top_hooks(hooks: HookSet) -> dict[str, Sequence[HookStep]]:
    """The non-empty ``beforeAll``/``afterAll`` stages."""
    stages = {"beforeAll": hooks.before_all, "afterAll": hooks.after_all}
    return {name: steps for name, steps in stages.items() if steps}


def _unit(rendered: RenderedUnit) -> Unit:
    manifests = tuple(Manifest(d.source, d.index, d.obj) for d in rendered.documents)
    return Unit(
        kind=rendered.kind,
        name=rendered.name,
        selected=rendered.selected,
        manifests=manifests,
        hooks=unit_hooks(rendered.item.hooks),
    )


def plan_tags(
    loaded: LoadedConfig, *, issue: int, pr: int, owner: str | None, created: datetime | None
) -> dict[str, str]:
    """Stack tags: env, slot, issue, pr, owner (CI run id or ``manual``) and creation time."""
    env_map: Mapping[str, str] = loaded.context.env_map
    when = (created or loaded.context.now).replace(microsecond=0)
    return {
        "env": loaded.env,
        "slot": str(loaded.slot),
        "issue": str(issue),
        "pr": str(pr),
        "owner": owner or env_map.get("GITHUB_RUN_ID", "").strip() or "manual",
        "created": when.isoformat().replace("+00:00", "Z"),
    }


def cluster_target(loaded: LoadedConfig) -> ClusterTarget:
    """kubeconfig/context of the environment (inherited, with the ≤0.8 env overrides)."""
    env = loaded.environment(required=False)
    return ClusterTarget(kubeconfig=env.kubeconfig or None, context=env.context or None)


def build_plan(
    loaded: LoadedConfig,
    *,
    filters: Filters | None = None,
    include_unselected: bool = True,
    issue: int = 0,
    pr: int = 0,
    owner: str | None = None,
    created: datetime | None = None,
    scopes: KindScopes | None = None,
    warnings: list[str] | None = None,
) -> Plan:
    """The Plan of ``loaded``'s env/slot.

    ``include_unselected=False`` skips rendering units the filters leave out (that is what
    ``render`` prints, and codexctl never renders them, so their template errors stay
    silent); the default keeps them so that a filtered deploy leaves them in place. Render
    warnings are appended to ``warnings`` when a list is given, else logged.
    """
    result = render_units(
        render_inputs(loaded, scopes), filters or Filters(), include_unselected=include_unselected
    )
    if warnings is not None:
        warnings.extend(result.warnings)
    else:
        for warning in result.warnings:
            log.warning("%s", warning)
    units = [_unit(u) for u in result.units]
    return Plan(
        project=loaded.project,
        env=loaded.env,
        slot=loaded.slot,
        namespace=loaded.namespace,
        stack=naming.stack_name(loaded.env, loaded.slot),
        infrastructure=tuple(u for u in units if u.kind == "infra"),
        services=tuple(u for u in units if u.kind == "service"),
        hooks=top_hooks(loaded.model.hooks),
        cluster=cluster_target(loaded),
        tags=plan_tags(loaded, issue=issue, pr=pr, owner=owner, created=created),
        agent=agent_access(loaded),
    )


def agent_access(loaded: LoadedConfig) -> AgentAccess:
    """Who the agent is and what more it may do (``codex.agentService``/``agentAccess``)."""
    codex = loaded.model.codex
    access = codex.agent_access
    return AgentAccess(
        service=codex.agent_service.strip() or AgentAccess.service,
        pod_exec=access.pod_exec,
        redeploy=access.redeploy,
        secrets=tuple(dict.fromkeys(s.strip() for s in access.secrets)),
    )

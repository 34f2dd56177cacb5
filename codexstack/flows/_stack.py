"""One stack operation's inputs, resolved: the plan, the engine, hooks and progress.

A :class:`Stack` is what every deploy flow (apply, preview, destroy, refresh, status, ci
apply) and the slot flows that apply or destroy stack ``ai-<slot>`` open first: services.yaml
loaded for the target into a plan (warnings reported), the pinned Pulumi engine and kubectl,
and the hook context. :meth:`Stack.request` builds the deploy layer's request with the flow's
reporter as progress sink; :class:`Outcome` is the result every stack operation returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codexstack import cluster, deploy, program, render
from codexstack.flows.ci import CiOutputs
from codexstack.flows.progress import Reporter
from codexstack.flows.target import Target

if TYPE_CHECKING:
    from codexstack.plan import Plan

Filters = tuple[str | None, str | None, str | None, str | None]
"""``--only-services``, ``--skip-services``, ``--only-infra``, ``--skip-infra``."""
NO_FILTERS: Filters = (None, None, None, None)


@dataclass(frozen=True)
class Cluster:
    """Which cluster: a kubeconfig and context (default: the env's, else ``$KUBECONFIG``)."""

    kubeconfig: str | None = None
    context: str | None = None


@dataclass(frozen=True)
class Stack:
    """One operation's plan, project directory, engine and hook context."""

    loaded: deploy.Loaded
    engine: deploy.Engine
    kubectl: str
    progress: Reporter

    @classmethod
    def open(
        cls,
        target: Target,
        progress: Reporter,
        *,
        filters: Filters = NO_FILTERS,
        where: Cluster = Cluster(),
        render_only: bool = False,
        issue: int = 0,
        pr: int = 0,
    ) -> Stack:
        """Load the plan; ``issue``/``pr`` end up in the stack's tags (slot flows pass them)."""
        env = target.required_env()
        cluster.require_tool("kubernetes-plugin")
        found = cluster.find_tools()
        engine = deploy.Engine(cluster.pulumi_root(), cluster.pulumi_env(), found["pulumi"].version)
        kubectl = str(found["kubectl"].path) if found["kubectl"].present else "kubectl"
        inputs = deploy.Inputs(
            target.config,
            env,
            slot=target.slot,
            namespace=target.namespace,
            vars=target.vars,
            var_file=target.var_file_text,
            filters=render.Filters.parse(*filters),
            strict=target.strict,
            kubeconfig=where.kubeconfig,
            context=where.context,
            issue=issue,
            pr=pr,
            require_env=not render_only,
        )
        loaded = deploy.load_project(inputs, kubectl=kubectl)
        for warning in loaded.warnings:
            progress.warn(warning)
        return cls(loaded, engine, kubectl, progress)

    @property
    def plan(self) -> Plan:
        """The stack's plan (objects, hooks, names)."""
        return self.loaded.plan

    def request(
        self,
        *,
        wait: bool = False,
        wait_timeout: float | None = None,
        render_to: Path | None = None,
        lock_wait: float = 0.0,
        deadline: float | None = None,
        hooks: bool = False,
        request_timeout: float | None = None,
        parallel: int | None = None,
        adopt: bool = True,
        prune: deploy.Consent | None = None,
    ) -> deploy.Request:
        """The deploy layer's request; engine events go to the flow's reporter."""
        options = program.ProgramOptions(
            wait=wait,
            await_timeout_s=int(wait_timeout) if wait_timeout else None,
            render_to=render_to,
            request_timeout_s=int(request_timeout) if request_timeout else None,
        )
        step = self.progress.step
        runner = deploy.HookRunner(self.loaded.hook_env, deploy.BUILTINS, step) if hooks else None
        return deploy.Request(
            self.loaded.plan,
            self.loaded.project_dir,
            self.engine,
            options,
            reporter=step,
            hooks=runner,
            lock_wait_s=lock_wait,
            deadline_s=deadline,
            parallel=parallel,
            filtered=self.loaded.filtered,
            adopt=adopt,
            prune=prune,
        )

    def preflight(self) -> None:
        """Tools, cluster, permissions, namespace, lock: each check on the reporter."""
        for check in deploy.run_preflight(
            self.loaded.plan, self.loaded.project_dir, self.engine, self.kubectl
        ):
            self.progress.info(f"codexstack: preflight ok: {check.name} ({check.detail})")

    def finish(self, summary: deploy.Summary, ci: CiOutputs) -> Outcome:
        """Notes as warnings, the step summary written, the result."""
        for note in summary.notes:
            self.progress.warn(note)
        ci.add_summary(summary.markdown() + "\n")
        return Outcome(summary)


@dataclass(frozen=True)
class Outcome:
    """What one stack operation did: ``{"stack", "operation", "changes", ...}``."""

    summary: deploy.Summary
    exit_code: int = field(default=0)

    def data(self, fmt: str) -> Any:
        data = self.summary.as_dict()
        if fmt != "kv":
            return data
        return {
            "stack": data["stack"],
            "operation": data["operation"],
            **{f"changes_{k}": v for k, v in data["changes"].items()},
            "duration_s": data["duration_s"],
        }

    def text(self) -> str:
        return self.summary.text() + "\n"

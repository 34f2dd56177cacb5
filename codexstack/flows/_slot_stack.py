"""Stack ``ai-<slot>`` of a claimed slot: applied, destroyed, and the ensure-ready steps.

The slot flows join the slot registry (``slots``) with the engine (``deploy``, through
:class:`~codexstack.flows._stack.Stack`) here, so neither layer imports the other. A slot's
stack is opened for the claim's env, slot and namespace, tagged with its issue and PR, with
hooks and the flow's reporter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from codexstack import deploy, slots
from codexstack.flows import _workspace
from codexstack.flows._registry import Opened
from codexstack.flows._stack import Stack

if TYPE_CHECKING:
    from codexstack.slots import Claim, ReadySteps


@dataclass(frozen=True)
class SlotStacks:
    """Applies and destroys the stacks of an opened registry's slots."""

    opened: Opened
    lock_wait: float = 0.0

    def _request(self, claim: Claim) -> deploy.Request:
        target = replace(
            self.opened.target, env=claim.env, slot=claim.slot, namespace=claim.namespace
        )
        stack = Stack.open(target, self.opened.progress, issue=claim.issue, pr=claim.pr)
        return stack.request(hooks=True, lock_wait=self.lock_wait)

    def provision(self, claim: Claim) -> None:
        """Apply stack ``ai-<slot>`` (no readiness await: the wait is its own step).

        Its notes (adoptions of what codexctl deployed, recoveries) are warnings, one each.
        """
        summary = deploy.apply(self._request(claim))
        for note in summary.notes:
            self.opened.progress.warn(note)

    def destroy(self, claim: Claim) -> None:
        """Destroy stack ``ai-<slot>``, remove it from the backend, and delete its namespace
        if a ``beforeAll`` hook created it for a stack that was never applied (as codexctl's
        destroy deletes the render's Namespace); cleanup waits for that namespace to go."""
        request = self._request(claim)
        deploy.destroy(request, remove=True)
        api = self.opened.api
        owned = request.options.namespace_owned(request.plan)
        if api is not None and owned and slots.namespaces.delete_if_left(api, claim.namespace):
            self.opened.progress.info(f"namespace {claim.namespace}: deleted (a hook created it)")


def _sync(base: str, source: Path, opened: Opened, claim: Claim) -> None:
    """Copy the sources into the slot's workspace (host folder or PVC) under the code-root base."""
    environment = opened.loaded.environment(required=False)
    where = _workspace.Where(
        project=opened.project,
        env=claim.env,
        slot=claim.slot,
        namespace=claim.namespace,
        kubeconfig=environment.kubeconfig,
        context=environment.context,
    )
    _workspace.sync(
        where,
        code_root_base=base,
        source=source,
        # The env files services.yaml itself lists are needed to load it in the slot (a
        # tracked one left behind would also read as deleted to the agent's `git add -A`).
        options=slots.SyncOptions(
            env_files=frozenset(Path(name).name for name in opened.loaded.model.env_files)
        ),
        process_env=opened.loaded.process_env,
        progress=opened.progress,
    )


def ready_steps(
    stacks: SlotStacks, *, wait_timeout: float, code_root_base: str | None, source: str | None
) -> ReadySteps:
    """The cluster questions and engine operations of ensure-ready."""
    opened, api = stacks.opened, stacks.opened.api
    sync = (
        partial(_sync, code_root_base, Path(source), opened) if code_root_base and source else None
    )
    if api is None:
        return slots.ReadySteps(
            namespace_exists=lambda ns: True, provision=stacks.provision, sync=sync
        )
    namespaces = slots.namespaces
    return slots.ReadySteps(
        namespace_exists=lambda ns: not namespaces.namespace_gone(api, ns),
        provision=stacks.provision,
        wait=lambda claim: namespaces.wait_available(api, claim.namespace, wait_timeout),
        sync=sync,
        env_ready=lambda claim: namespaces.agent_present(api, claim.namespace),
    )

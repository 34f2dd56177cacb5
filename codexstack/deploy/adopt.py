"""Adoption: the first apply of a stack takes over what codexctl's ``kubectl apply`` made.

Before the engine runs, :func:`survey` looks up every object the stack applies. An object
that exists but carries no field manager of this stack is *adopted*: a server-side apply
dry-run as the stack's manager (``codexstack-<stack>``) shows whether any field the manifests
set is owned by someone else with another value. Conflicts only with kubectl's own managers
(``kubectl-client-side-apply``, ``kubectl``, ``kubectl-create``: what codexctl runs) are taken
over by :func:`take_over` with one forced apply of exactly the object the provider will send,
so the provider's own apply that follows is conflict-free and changes nothing: a workload
whose pod template is unchanged is not rolled. A conflict with any other manager (a
controller, ``kubectl edit``/``patch``, another stack) is never forced: it is refused with the
object, the manager and the way out. With adoption off every existing object is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from codexstack.deploy.failures import KUBECTL_MANAGERS, Failure, ObjectRef
from codexstack.deploy.live import Live, Resource
from codexstack.errors import DeployError
from codexstack.program import managers

Obj = dict[str, Any]
_MANAGER = re.compile(r'conflicts? with "([^"]+)"')


@dataclass(frozen=True)
class Adoption:
    """One existing object the stack takes over; ``conflicts`` are kubectl-owned fields."""

    ref: ObjectRef
    owners: tuple[str, ...]
    conflicts: tuple[str, ...] = ()
    obj: Obj = field(default_factory=dict, compare=False, repr=False)
    resource: Resource | None = field(default=None, compare=False, repr=False)
    namespace: str = ""

    def note(self) -> str:
        owners = ", ".join(self.owners) or "no field manager"
        forced = f"; takes {len(self.conflicts)} field(s) from kubectl" if self.conflicts else ""
        return f"adopting {self.ref} (applied by {owners}){forced}"


@dataclass
class Survey:
    adopt: list[Adoption] = field(default_factory=list)
    refused: list[Failure] = field(default_factory=list)

    @property
    def refs(self) -> set[ObjectRef]:
        return {a.ref for a in self.adopt}


def manager_for(stack: str) -> str:
    """The stack's field manager (the program's ``pulumi.com/patchFieldManager``)."""
    return f"codexstack-{stack}"


def survey(live: Live, objects: list[Obj], stack: str, *, adopt: bool) -> Survey:
    """Which planned objects already exist unmanaged, and whether each may be adopted."""
    result = Survey()
    manager = manager_for(stack)
    for obj in objects:
        resource = live.resource(obj)
        if resource is None:
            continue  # a kind whose CRD the stack itself brings: nothing of it exists yet
        meta = obj["metadata"]
        # As the provider places it: an object without a namespace goes to "default".
        ns = str(meta.get("namespace") or "default") if resource.namespaced else ""
        current = live.get(resource, ns, str(meta["name"]))
        if current is None:
            continue
        owners = tuple(dict.fromkeys(m for m in managers(current) if m))
        if manager in owners:
            continue  # ours already (an earlier apply of this stack)
        ref = ObjectRef(str(obj["kind"]), ns, str(meta["name"]))
        if not adopt:
            result.refused.append(_not_adopting(ref, owners))
            continue
        answer = live.apply(resource, obj, ns, manager=manager, force=False, dry_run=True)
        # Any other refusal (forbidden, invalid, quota, a webhook) is the engine's to report:
        # the object is adopted without taking fields, and the provider's apply meets it.
        conflicts = _conflicts(answer.body) if answer.status == 409 else []
        foreign = sorted({m for m, _ in conflicts if m not in KUBECTL_MANAGERS})
        if foreign:
            result.refused.append(_foreign(ref, conflicts, foreign, stack))
            continue
        result.adopt.append(
            Adoption(ref, owners, tuple(f for _, f in conflicts), obj, resource, ns)
        )
    return result


def take_over(live: Live, found: Survey, stack: str) -> None:
    """Force the kubectl-owned conflicting fields over to the stack's manager."""
    for adoption in found.adopt:
        if not adoption.conflicts or adoption.resource is None:
            continue
        live.apply(
            adoption.resource,
            adoption.obj,
            adoption.namespace,
            manager=manager_for(stack),
            force=True,
            dry_run=False,
        ).expect()


def refuse(found: Survey, operation: str, stack: str) -> None:
    """Raise one error naming every object that may not be adopted."""
    if not found.refused:
        return
    lines = "\n  ".join(f.text() for f in found.refused)
    count = len(found.refused)
    raise DeployError(
        f"{operation} of stack {stack}: {count} existing object{'s' if count != 1 else ''}"
        f" cannot be taken over:\n  {lines}"
    )


def _conflicts(status: dict[str, Any]) -> list[tuple[str, str]]:
    causes = (status.get("details") or {}).get("causes") or []
    found = []
    for cause in causes:
        match = _MANAGER.search(str(cause.get("message", "")))
        if match:
            found.append((match[1], str(cause.get("field", ""))))
    if not found:  # no structured causes: read the message (one manager per "conflict with")
        found = [(m, "") for m in _MANAGER.findall(str(status.get("message", "")))]
    return found


def _foreign(
    ref: ObjectRef, conflicts: list[tuple[str, str]], foreign: list[str], stack: str
) -> Failure:
    fields = [f for m, f in conflicts if m in foreign and f]
    owners = ", ".join(f'"{m}"' for m in foreign)
    return Failure(
        ref,
        "field conflict",
        f"{', '.join(fields) or 'fields'} owned by {owners} (not kubectl): not forced",
        f"remove those fields from the manifests, make {owners} stop managing them, or take"
        f" them deliberately: kubectl apply --server-side --force-conflicts"
        f" --field-manager={manager_for(stack)} -f <the object>",
        tuple(foreign),
    )


def _not_adopting(ref: ObjectRef, owners: tuple[str, ...]) -> Failure:
    by = ", ".join(f'"{m}"' for m in owners) or "no field manager"
    return Failure(
        ref,
        "exists",
        f"already in the cluster, applied by {by}, and adoption is off",
        "drop --no-adopt to let codexstack take it over, or delete the object first",
        owners,
    )

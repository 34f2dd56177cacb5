"""Switching from codexctl inside ``apply`` and ``preview``: adopt first, list leftovers after.

:func:`adopt` runs under the stack's lock, before the engine: it surveys the stack's objects
in the cluster (:mod:`codexstack.deploy.adopt`), refuses what may not be taken over, tells
the event translator which creates are adoptions (so previews count them as "adopt") and, on
apply, forces kubectl-owned fields over. :func:`leftovers` runs after the engine: the objects
in the stack's namespace that codexctl applied and no manifest holds any more are listed as
"not managed by this stack"; they are deleted only with ``--prune-adopted`` and a yes (or
``--yes``). Render mode and stacks without a namespace skip the listing.
"""

from __future__ import annotations

from codexstack.deploy import adopt as adoption
from codexstack.deploy.consent import Consent
from codexstack.deploy.failures import ObjectRef
from codexstack.deploy.kube import client_for
from codexstack.deploy.live import Live, Obj
from codexstack.deploy.session import Session
from codexstack.errors import CodexstackError, UsageError
from codexstack.program import leftovers as find_leftovers
from codexstack.program import stack_objects


class PruneDeclined(CodexstackError):
    """The user answered no: the leftovers stay."""


def connect(current: Session) -> Live:
    factory = current.request.connect
    return factory() if factory is not None else Live(client_for(current.request.plan.cluster))


def adopt(current: Session, operation: str, live: Live, objects: list[Obj]) -> None:
    """Survey, refuse or adopt (taking fields over only on apply), before the engine."""
    request = current.request
    plan = request.plan
    found = adoption.survey(live, objects, plan.stack, adopt=request.adopt)
    adoption.refuse(found, operation, plan.stack)
    if operation == "apply":
        adoption.take_over(live, found, plan.stack)
    current.events.adopting = found.refs
    current.summary.adopted = sorted(str(a.ref) for a in found.adopt)
    current.summary.notes.extend(a.note() for a in found.adopt)


def leftovers(current: Session, live: Live, objects: list[Obj]) -> None:
    """List (and with ``prune`` consent, delete) what codexctl left in the namespace."""
    namespace = current.request.plan.namespace
    if not namespace:
        return
    found = find_leftovers(live.namespace_objects(namespace), objects)
    names = [str(_ref(o)) for o in found]
    current.summary.not_managed = names
    prune = current.request.prune
    if not found or prune is None:
        current.summary.notes.extend(
            f"not managed by this stack (applied by kubectl, in no manifest): {n}" for n in names
        )
        return
    _consent(current.request.plan.stack, names, prune)
    current.summary.pruned = [str(_ref(o)) for o in found if live.delete(o)]


def _consent(stack: str, names: list[str], prune: Consent) -> None:
    if prune.yes:
        return
    if prune.ask is None:
        raise UsageError(
            "--prune-adopted deletes objects and needs a confirmation: there is no terminal",
            hint="pass --yes to prune from a script or CI job",
        )
    if not prune.ask(stack, names):
        raise PruneDeclined(f"pruning cancelled: the {len(names)} leftover object(s) stay")


def check_prune(current_stack: str, prune: Consent | None) -> None:
    """Refuse ``--prune-adopted`` without a way to confirm before anything runs."""
    if prune is not None and not prune.yes and prune.ask is None:
        _consent(current_stack, [], prune)


def _ref(obj: Obj) -> ObjectRef:
    meta = obj.get("metadata") or {}
    return ObjectRef(str(obj.get("kind", "")), str(meta.get("namespace") or ""), str(meta["name"]))


def objects_of(current: Session) -> list[Obj]:
    return stack_objects(current.request.plan, current.request.options)

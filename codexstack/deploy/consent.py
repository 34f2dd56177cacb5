"""Whether ``destroy`` may go ahead: a question for shared environments, none for slots.

codexctl deletes at once. Pulumi and Terraform confirm first, and a shared environment such
as ``staging`` deserves that (issue 14, defect 12). The rule: a slot stack (``ai-<N>``) is
destroyed without a question, as codexctl does, so CI cleanup and ``manage-env cleanup`` work
unchanged; ``--yes`` skips the question for any stack; otherwise the caller must be able to ask
(a terminal) and the user must say yes after seeing the objects that will be deleted. Without
a terminal and without ``--yes`` a non-slot destroy is refused before anything is touched.
The decision is pure (:func:`needs_question`); the list comes from the locked stack's state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from codexstack.deploy.progress import is_object, short_kind
from codexstack.errors import CodexstackError, UsageError
from codexstack.naming import is_slot_stack

Ask = Callable[[str, Sequence[str]], bool]
"""Show the stack and the objects that will be deleted; True when the user says yes."""


class DestroyDeclined(CodexstackError):
    """The user answered no: nothing was deleted."""


@dataclass(frozen=True)
class Consent:
    """What the caller knows: ``--yes`` given, and how to ask (None: no terminal)."""

    yes: bool = False
    ask: Ask | None = None


def needs_question(stack: str, consent: Consent) -> bool:
    """True when the user must be asked; UsageError when nobody can be asked.

    Called before the stack is locked or opened, so a refusal touches nothing.
    """
    if consent.yes or is_slot_stack(stack):
        return False
    if consent.ask is None:
        raise UsageError(
            f"destroy of stack '{stack}' needs confirmation and there is no terminal to ask on",
            hint="pass --yes to destroy a shared environment from a script or CI job",
        )
    return True


def _name(resource: Mapping[str, Any]) -> str:
    outputs = resource.get("outputs")
    meta = outputs.get("metadata") if isinstance(outputs, Mapping) else None
    meta = meta if isinstance(meta, Mapping) else {}
    name = str(meta.get("name") or str(resource.get("urn", "")).rsplit("::", 1)[-1])
    namespace = meta.get("namespace")
    return f"{namespace}/{name}" if namespace else name


def doomed_objects(resources: Iterable[Mapping[str, Any]]) -> list[str]:
    """``Kind namespace/name`` of every Kubernetes object a destroy deletes (protected kept)."""
    return sorted(
        f"{short_kind(str(r.get('type', '')))} {_name(r)}"
        for r in resources
        if is_object(str(r.get("type", ""))) and not r.get("protect")
    )


def confirm(stack: str, resources: Iterable[Mapping[str, Any]], consent: Consent) -> None:
    """Ask (when :func:`needs_question` says so); DestroyDeclined on anything but yes."""
    if not needs_question(stack, consent) or consent.ask is None:
        return
    if not consent.ask(stack, doomed_objects(resources)):
        raise DestroyDeclined(f"destroy of stack '{stack}' cancelled: nothing was deleted")

"""destroy asks before deleting a shared environment (issue 14, defect 12).

Slot stacks (``ai-<N>``) keep codexctl's no-question behaviour; ``--yes`` skips the question;
with nobody to ask, a non-slot destroy is refused before the stack is even locked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from codexstack.deploy.consent import (
    Consent,
    DestroyDeclined,
    confirm,
    doomed_objects,
    is_slot_stack,
    needs_question,
)
from codexstack.deploy.engine import Engine
from codexstack.deploy.operations import Request, destroy
from codexstack.errors import ExitCode, UsageError
from tests.components.plans import make_plan

RESOURCES: list[dict[str, Any]] = [
    {"type": "pulumi:pulumi:Stack", "urn": "urn:pulumi:staging::demo::pulumi:pulumi:Stack::s"},
    {"type": "pulumi:providers:kubernetes", "urn": "urn:...::k8s"},
    {
        "type": "kubernetes:apps/v1:Deployment",
        "urn": "urn:...::api",
        "outputs": {"metadata": {"name": "api", "namespace": "demo-staging"}},
    },
    {
        "type": "kubernetes:core/v1:Namespace",
        "urn": "urn:...::ns",
        "outputs": {"metadata": {"name": "demo-staging"}},
        "protect": True,
    },
    {"type": "kubernetes:core/v1:ConfigMap", "urn": "urn:...::cfg-from-urn"},
]


def test_slot_stacks_and_yes_are_never_asked() -> None:
    assert is_slot_stack("ai-7")
    assert not is_slot_stack("ai-staging")
    assert not is_slot_stack("ai-0")
    assert needs_question("ai-7", Consent()) is False
    assert needs_question("staging", Consent(yes=True)) is False


def test_no_terminal_and_no_yes_is_refused_with_a_hint() -> None:
    with pytest.raises(UsageError) as caught:
        needs_question("staging", Consent())
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.hint is not None
    assert "--yes" in caught.value.hint


def test_the_question_lists_the_objects_and_a_no_cancels() -> None:
    seen: list[tuple[str, Sequence[str]]] = []

    def say_no(stack: str, objects: Sequence[str]) -> bool:
        seen.append((stack, objects))
        return False

    with pytest.raises(DestroyDeclined, match="nothing was deleted"):
        confirm("staging", RESOURCES, Consent(ask=say_no))
    assert seen == [("staging", ["ConfigMap cfg-from-urn", "Deployment demo-staging/api"])]
    confirm("staging", RESOURCES, Consent(ask=lambda _s, _o: True))


def test_protected_objects_are_not_listed() -> None:
    assert "Namespace demo-staging" not in doomed_objects(RESOURCES)


def test_destroy_without_a_terminal_touches_nothing(tmp_path: Path) -> None:
    """Refused before the lock: no state directory, no engine run (the engine here is absent)."""
    request = Request(
        plan=make_plan("staging"), project_dir=tmp_path, engine=Engine(root=tmp_path / "none")
    )
    with pytest.raises(UsageError, match="needs confirmation"):
        destroy(request, consent=Consent())
    assert list(tmp_path.iterdir()) == []

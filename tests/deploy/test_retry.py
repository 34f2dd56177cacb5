"""ci apply's retry budgets are chosen from the engine's structured events (issue 14, defect 11).

Before, ``deploy/retry.py`` matched the error text: any message with "timeout" in it, such as an
apiserver connection's "i/o timeout", used the wait budget. Now only the engine's partial
failure (object applied, never ready) does.
"""

from __future__ import annotations

from pulumi.automation.events import EngineEvent, OpType, ResOpFailedEvent, StepEventMetadata

from codexstack.deploy.progress import PARTIAL_FAILURE, EventTranslator
from codexstack.deploy.retry import failure_phase
from codexstack.errors import DeployError, ReadinessError

URN = "urn:pulumi:dev::demo::kubernetes:apps/v1:Deployment::api"


def failed(status: int, seq: int = 1) -> EngineEvent:
    meta = StepEventMetadata(
        op=OpType.CREATE, urn=URN, type="kubernetes:apps/v1:Deployment", provider=""
    )
    return EngineEvent(
        sequence=seq, timestamp=0, res_op_failed_event=ResOpFailedEvent(meta, status, 1)
    )


def test_only_a_partial_failure_marks_an_object_not_ready() -> None:
    events = EventTranslator()
    events(failed(2))  # StatusUnknown: the apiserver refused or the call failed
    assert events.not_ready == []
    events(failed(PARTIAL_FAILURE, 2))
    assert events.not_ready == [URN]


def test_message_text_does_not_choose_the_budget() -> None:
    refused = DeployError("update of stack dev failed:\n  dial tcp 127.0.0.1:6443: i/o timeout")
    assert failure_phase(refused) == "apply"
    not_ready = ReadinessError("update of stack dev failed:\n  Deployment api: 0/1 replicas")
    assert failure_phase(not_ready) == "wait"

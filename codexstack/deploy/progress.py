"""Engine events in, progress records and change counts out.

The engine streams structured events (resource pre/outputs/op-failed, diagnostics, summary).
:class:`EventTranslator` turns them into small :class:`Progress` records for whoever shows
progress (the CLI prints them plainly or richly; this layer never prints) and counts what
happened to Kubernetes objects: components, the provider and the stack itself are bookkeeping
and are left out, so "0 changes" and "exactly one update" mean what a user expects. Error
diagnostics are kept verbatim to build the failure message.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.automation import EngineEvent, OpType, StepEventMetadata

from codexstack.deploy.failures import ObjectRef, is_noise, object_from_urn

CHANGE_KEYS = ("create", "update", "delete", "same")
_FOLD = {
    OpType.CREATE: "create",
    OpType.IMPORT: "create",
    OpType.UPDATE: "update",
    OpType.REPLACE: "update",
    OpType.DELETE: "delete",
    OpType.DISCARD: "delete",
    OpType.SAME: "same",
    OpType.READ: "same",
}
"""Engine operations folded into the four counts (a replace counts once, as an update)."""


@dataclass(frozen=True)
class Progress:
    """One line of progress: an object step starting, finishing or failing, or a message."""

    phase: str
    """``start``, ``done``, ``failed``, ``message``."""
    op: str = ""
    kind: str = ""
    name: str = ""
    message: str = ""
    severity: str = ""
    elapsed_s: float = 0.0


Reporter = Callable[[Progress], None]


def is_object(type_: str) -> bool:
    """A Kubernetes object (not a component, provider or the stack)."""
    return type_.startswith("kubernetes:") and not type_.startswith("kubernetes:yaml/")


def short_kind(type_: str) -> str:
    """``kubernetes:apps/v1:Deployment`` -> ``Deployment``."""
    return type_.rsplit(":", 1)[-1]


PARTIAL_FAILURE = 1
"""The engine's ``resource.StatusPartialFailure``: the object exists but failed to initialize
(pulumi-kubernetes' readiness await timed out or saw a failed rollout)."""


def urn_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


class EventTranslator:
    """Callable for ``on_event``: reports progress, counts changes, keeps errors."""

    def __init__(self, reporter: Reporter | None = None) -> None:
        self.reporter = reporter
        self.changes: Counter[str] = Counter()
        self.errors: list[str] = []
        self.not_ready: list[str] = []
        """Objects the engine reports as a partial failure: applied, never became ready."""
        self.diagnostics: list[tuple[str, str]] = []
        """Error diagnostics as ``(urn, message)``, for :func:`failures.translate`."""
        self.objects: dict[str, ObjectRef] = {}
        """URN -> Kubernetes object, from the steps the engine announced."""
        self.adopting: set[ObjectRef] = set()
        """Objects whose "create" takes over an existing object (shown as ``adopt``)."""
        self.engine_changes: dict[str, int] = {}
        self.started: dict[str, float] = {}
        self._lock = threading.Lock()

    def _report(self, progress: Progress) -> None:
        if self.reporter is not None:
            self.reporter(progress)

    def __call__(self, event: EngineEvent) -> None:
        with self._lock:
            self._handle(event)

    def _handle(self, event: EngineEvent) -> None:
        if event.resource_pre_event is not None:
            meta = event.resource_pre_event.metadata
            self._remember(meta)
            if is_object(meta.type) and meta.op != OpType.SAME:
                self.started[meta.urn] = time.monotonic()
                self._report(
                    Progress("start", self._op(meta), short_kind(meta.type), urn_name(meta.urn))
                )
        elif event.res_outputs_event is not None:
            meta = event.res_outputs_event.metadata
            if is_object(meta.type):
                self._count(meta)
                if meta.op != OpType.SAME:
                    began = self.started.pop(meta.urn, time.monotonic())
                    self._report(
                        Progress(
                            "done",
                            self._op(meta),
                            short_kind(meta.type),
                            urn_name(meta.urn),
                            elapsed_s=time.monotonic() - began,
                        )
                    )
        elif event.res_op_failed_event is not None:
            meta = event.res_op_failed_event.metadata
            if event.res_op_failed_event.status == PARTIAL_FAILURE:
                self.not_ready.append(meta.urn)
            self._report(
                Progress("failed", meta.op.value, short_kind(meta.type), urn_name(meta.urn))
            )
        elif event.diagnostic_event is not None:
            self._diagnostic(event)
        elif event.summary_event is not None:
            self.engine_changes = {
                str(getattr(k, "value", k)): int(v)
                for k, v in event.summary_event.resource_changes.items()
            }

    def _op(self, meta: StepEventMetadata) -> str:
        """The step's operation; a create of an object being adopted is ``adopt``."""
        if meta.op == OpType.CREATE and self.objects.get(meta.urn) in self.adopting:
            return "adopt"
        return str(meta.op.value)

    def _count(self, meta: StepEventMetadata) -> None:
        op = meta.op
        if self._op(meta) == "adopt":
            self.changes["adopt"] += 1
            return
        folded = _FOLD.get(op)
        if folded is None and op == OpType.REFRESH:
            folded = "same"
        if folded is not None:
            self.changes[folded] += 1

    def _diagnostic(self, event: EngineEvent) -> None:
        diag = event.diagnostic_event
        assert diag is not None
        text = diag.message.strip()
        if not text or diag.ephemeral:
            return
        if diag.severity == "error":
            self.errors.append(text)
            self.diagnostics.append((diag.urn or "", text))
        if diag.severity in ("error", "warning", "info") and not is_noise(text.splitlines()[0]):
            # Follow-ons of a failure ("update failed", "... grpc: the client connection is
            # closing", the inline program's "resource monitor shut down" and its traceback)
            # stay on the record for --debug but are not shown as progress: they explain
            # nothing, and the failure itself is reported once, translated, at the end.
            name = urn_name(diag.urn) if diag.urn else ""
            self._report(Progress("message", name=name, message=text, severity=diag.severity))

    def _remember(self, meta: StepEventMetadata) -> None:
        if not is_object(meta.type):
            return
        state = meta.new or meta.old
        inputs = (state.inputs if state is not None else None) or {}
        ref = object_of(meta.type, inputs) or object_from_urn(meta.urn)
        if ref is not None:
            self.objects[meta.urn] = ref

    def counts(self) -> dict[str, int]:
        """The four counts, zeros included."""
        return {key: self.changes.get(key, 0) for key in CHANGE_KEYS}


def object_of(type_: str, inputs: Mapping[str, Any]) -> ObjectRef | None:
    """The object a step's inputs describe (kind from the type, name from metadata)."""
    meta = inputs.get("metadata")
    if not isinstance(meta, Mapping) or not isinstance(meta.get("name"), str):
        return None
    return ObjectRef(short_kind(type_), str(meta.get("namespace") or ""), meta["name"])

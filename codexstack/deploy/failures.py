"""Engine and provider failures turned into one readable line per failing object.

The engine reports a failed Kubernetes call as a diagnostic on the object's URN, wrapped in
provider prose ("resource ... was not successfully created by the Kubernetes API server: ..."),
and follows it with noise about the parent ConfigGroup and the plugin going away ("grpc: the
client connection is closing"). :func:`translate` keeps what a person needs: the object (kind,
namespace, name), the reason in one line (field conflict, forbidden, invalid field, quota
exceeded, webhook or policy denial, or the API server's own sentence) and the next step. The
raw text stays on the error for ``--debug``. Pure: no Pulumi, no cluster.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from codexstack.errors import DeployError, ReadinessError

KUBECTL_MANAGERS = {
    "kubectl-client-side-apply": "kubectl apply",
    "kubectl": "kubectl apply --server-side",
    "kubectl-create": "kubectl create",
    "before-first-apply": "an apply before managed fields existed",
}
"""Field managers codexctl's own commands write (``kubectl apply``, client- or server-side,
and ``kubectl create``). Every other manager (``kubectl-edit``, ``kubectl-patch``, a
controller, another stack) is a person or program codexstack must not overrule."""

NOISE = (
    "grpc: the client connection is closing",
    "transport is closing",
    "error reading from server: EOF",
    "context canceled",
    "update failed",
    "preview failed",
    "destroy failed",
    "one or more errors occurred",
    "resource monitor shut down",
)
"""Follow-on lines that never explain a failure."""

_CONFLICT = re.compile(
    r'conflicts? with "([^"]+)"(?: using [^:\s]+)?:?\s*((?:\n?- ?[^\n]+)+|[^\n]*)'
)
_FIELD_LINE = re.compile(r"(?:^|\n)- ?([^\n]+)")
_WEBHOOK = re.compile(r'admission webhook "([^"]+)" denied the request:?\s*(.*)')
_POLICY = re.compile(
    r"ValidatingAdmissionPolicy '([^']+)'(?: with binding '[^']+')? denied request:?\s*(.*)"
)
_QUOTA = re.compile(r"exceeded quota: ([^,]+),\s*(.*)")
_FORBIDDEN = re.compile(r'is forbidden: (User "[^"]+" cannot [^\n]*)')
_INVALID = re.compile(r"is invalid: (.*)")
_STATUS = re.compile(
    r'(?:^|: )((?:\w+\.)*\w+ "[^"]+" (?:is forbidden|is invalid|already exists|not found)[^\n]*)'
)


@dataclass(frozen=True)
class ObjectRef:
    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.kind} {where}"


@dataclass(frozen=True)
class Failure:
    """One failing object (``obj`` is None for a failure of the run itself)."""

    obj: ObjectRef | None
    reason: str
    """``field conflict``, ``forbidden``, ``invalid field``, ``quota exceeded``,
    ``webhook denial``, ``policy denial``, ``not ready`` or ``error``."""
    detail: str
    next_step: str
    managers: tuple[str, ...] = ()

    def line(self) -> str:
        head = f"{self.obj}: " if self.obj else ""
        return f"{head}{self.reason}: {self.detail}"

    def text(self) -> str:
        return f"{self.line()}\n    next: {self.next_step}"


def is_noise(line: str) -> bool:
    low = line.strip().lower()
    return not low or any(n in low for n in NOISE)


def object_from_urn(urn: str) -> ObjectRef | None:
    """``...$kubernetes:apps/v1:StatefulSet::postgres:staging/postgres`` -> the object.

    ConfigGroup children are named ``<unit>:<namespace>/<name>``; other objects by their
    URN name only (the caller's map from pre-events is better for those).
    """
    if "::" not in urn:
        return None
    qualified, name = urn.rsplit("::", 1)
    type_ = qualified.rsplit("$", 1)[-1].rsplit("::", 1)[-1]
    if not type_.startswith("kubernetes:") or type_.startswith("kubernetes:yaml/"):
        return None
    kind = type_.rsplit(":", 1)[-1]
    if ":" in name:
        name = name.split(":", 1)[1]
    namespace, _, short = name.rpartition("/")
    return ObjectRef(kind, namespace, short)


def classify(message: str, stack: str = "") -> tuple[str, str, str, tuple[str, ...]]:
    """(reason, one-line detail, next step, managers) of one API server error message."""
    text = message.replace("\r", "")
    if "conflict" in text and ("Apply failed" in text or "apply conflict" in text):
        return _conflict(text, stack)
    webhook = _WEBHOOK.search(text)
    if webhook:
        return (
            "webhook denial",
            f'admission webhook "{webhook[1]}" denied it: {_first(webhook[2])}',
            "change the object as the webhook asks, or ask the webhook's owner"
            " (kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations)",
            (),
        )
    policy = _POLICY.search(text)
    if policy:
        return (
            "policy denial",
            f"ValidatingAdmissionPolicy {policy[1]} denied it: {_first(policy[2])}",
            "change the object as the policy asks"
            f" (kubectl get validatingadmissionpolicy {policy[1]})",
            (),
        )
    quota = _QUOTA.search(text)
    if quota:
        return (
            "quota exceeded",
            f"ResourceQuota {quota[1]}: {_first(quota[2])}",
            "raise the quota (services.yaml slots.resourceQuota, or the namespace's"
            " ResourceQuota) or lower the object's requests, or delete what uses it",
            (),
        )
    forbidden = _FORBIDDEN.search(text)
    if forbidden:
        return (
            "forbidden",
            _first(forbidden[1]),
            "grant that permission to the identity in your kubeconfig, or use a context that"
            " has it (apply --preflight lists every missing permission)",
            (),
        )
    invalid = _INVALID.search(text)
    if invalid:
        return (
            "invalid field",
            _first(invalid[1]),
            "fix the field in the manifest (codexstack render shows the object as applied)",
            (),
        )
    if "timed out waiting" in text or "failed to become" in text.lower():
        return (
            "not ready",
            _meaningful(text),
            "look at its pods and events (kubectl describe), or give it longer (--wait-timeout)",
            (),
        )
    status = _STATUS.search(text)
    detail = _first(status[1]) if status else _meaningful(text)
    return "error", detail, "re-run with --debug for the engine's full text", ()


def _conflict(text: str, stack: str) -> tuple[str, str, str, tuple[str, ...]]:
    owners: list[str] = []
    parts: list[str] = []
    for match in _CONFLICT.finditer(text):
        manager, rest = match[1], match[2]
        fields = _FIELD_LINE.findall(rest) or [rest.strip()]
        fields = [f.strip() for f in fields if f.strip() and not is_noise(f)]
        owners.append(manager)
        parts.append(f'{", ".join(fields) or "fields"} owned by "{manager}"')
    detail = "; ".join(parts) or _meaningful(text)
    manager_flag = f" --field-manager=codexstack-{stack}" if stack else ""
    if owners and all(m in KUBECTL_MANAGERS for m in owners):
        step = (
            "the object was applied by kubectl (codexctl): let codexstack adopt it"
            " (drop --no-adopt)"
        )
    else:
        foreign = ", ".join(f'"{m}"' for m in owners if m not in KUBECTL_MANAGERS) or "another"
        step = (
            f"manager {foreign} owns these fields: remove them from the manifests, stop that"
            f" manager, or take them over deliberately with kubectl apply --server-side"
            f" --force-conflicts{manager_flag}"
        )
    return "field conflict", detail, step, tuple(dict.fromkeys(owners))


def _first(text: str) -> str:
    """The first line of ``text``, trimmed of provider prose and trailing punctuation."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "").strip()
    return line.rstrip(". ") if len(line) < 400 else line[:397] + "..."


def _meaningful(text: str) -> str:
    lines = [ln.strip(" *\t") for ln in text.splitlines()]
    kept = [ln for ln in lines if ln and not is_noise(ln) and not ln.startswith("http")]
    return _first(kept[-1] if kept else text)


def translate(
    diagnostics: Iterable[tuple[str, str]],
    objects: Mapping[str, ObjectRef] | None = None,
    stack: str = "",
) -> list[Failure]:
    """One :class:`Failure` per failing object, from ``(urn, message)`` error diagnostics.

    ``objects`` maps URNs to the objects the engine announced (see the event translator);
    diagnostics on components and groups are dropped when an object already explains the
    run, as are pure noise lines. A run-level error with no object becomes one Failure.
    """
    objects = objects or {}
    by_object: dict[ObjectRef, Failure] = {}
    general: list[Failure] = []
    for urn, message in diagnostics:
        ref = objects.get(urn) or object_from_urn(urn)
        if all(is_noise(line) for line in message.splitlines()):
            continue
        reason, detail, step, managers = classify(message, stack)
        failure = Failure(ref, reason, detail, step, managers)
        if ref is None:
            general.append(failure)
        elif ref not in by_object or by_object[ref].reason == "error":
            by_object[ref] = failure
    if by_object:
        # A group's "has a problem" and the like only restate their children's failures.
        general = [f for f in general if f.reason != "error"]
    return [*by_object.values(), *_unique(general)]


def _unique(failures: list[Failure]) -> list[Failure]:
    seen: set[str] = set()
    out = []
    for failure in failures:
        if failure.line() not in seen:
            seen.add(failure.line())
            out.append(failure)
    return out


def report(operation: str, stack: str, failures: list[Failure]) -> str:
    """The user's message: a header and each failure with its next step (never noise last)."""
    count = len([f for f in failures if f.obj])
    what = f"{count} object{'s' if count != 1 else ''} failed" if count else "it failed"
    body = "\n  ".join(f.text() for f in failures)
    return f"{operation} of stack {stack}: {what}:\n  {body}"


class EngineFailure(DeployError):
    """A failed engine run, translated; the raw diagnostics stay on it (recording, --debug)."""

    def __init__(
        self,
        message: str,
        *,
        diagnostics: list[tuple[str, str]] | None = None,
        objects: Mapping[str, ObjectRef] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.diagnostics = list(diagnostics or [])
        self.objects = dict(objects or {})


class NotReadyFailure(EngineFailure, ReadinessError):
    """Applied, but an object never became ready (``ci apply`` retries it as a wait)."""

"""The slot registry's data: stored records, claims, selectors and object names.

A backend stores flat :class:`Record` objects (one named object each: a slot claim, an
issue/PR key, a lock or a queue entry) and knows nothing of their meaning. This module gives
them meaning: :class:`Claim` is a slot record read as "who holds slot N for which issue/PR",
:class:`Selector` is what a caller asks for (env plus issue, PR or slot), and the ``*_name``
functions are the one place object names are made, so both backends and codexctl's naming
agree.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from codexstack.errors import UsageError

DEFAULT_ENV = "ai"
DEFAULT_MAX_SLOTS = 10000  # codexctl: a cap of 0 means 1..10000
KEEP_LABEL = "keep"


class Kind(StrEnum):
    """What a stored record is."""

    SLOT = "slot"
    KEY = "key"
    QUEUE = "queue"
    LOCK = "lock"  # Lease backend only; the SQLite backend locks with files


class ClaimState(StrEnum):
    """Claimed, or being released (the number is not reusable until its namespace is gone)."""

    CLAIMED = "claimed"
    RELEASING = "releasing"


@dataclass(frozen=True)
class Record:
    """One stored object: a name that is unique in the registry, its holder and its data.

    ``version`` is the backend's optimistic-concurrency token (SQLite row version, Kubernetes
    resourceVersion); writes that carry it fail when someone else wrote in between.
    """

    name: str
    kind: Kind
    holder: str
    renewed: float
    data: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    version: str = ""

    def get_int(self, key: str) -> int:
        """An integer data value; absent or unparsable counts as 0, as codexctl reads them."""
        try:
            return int(self.data.get(key, "0") or "0")
        except ValueError:
            return 0

    def evolve(self, **data: str) -> Record:
        """A copy with some data values replaced."""
        return replace(self, data={**self.data, **data})

    def touched(self, now: float) -> Record:
        """A copy renewed at ``now`` (a heartbeat)."""
        return replace(self, renewed=now)


@dataclass(frozen=True)
class Claim:
    """A slot held for one env and issue/PR: the registry's answer to "who has slot N"."""

    slot: int
    env: str
    namespace: str
    issue: int = 0
    pr: int = 0
    holder: str = ""
    owner: str = "manual"
    created: float = 0.0
    renewed: float = 0.0
    state: ClaimState = ClaimState.CLAIMED
    labels: Mapping[str, str] = field(default_factory=dict)
    source: str = "codexstack"
    """``codexstack`` for our records, ``codexctl`` for a slot ConfigMap read during migration."""
    version: str = ""

    @property
    def keep(self) -> bool:
        """Labelled keep: garbage collection never touches it."""
        return self.labels.get(KEEP_LABEL, "").lower() in ("true", "1", "yes")

    def matches(self, selector: Selector) -> bool:
        """True when env equals and every non-zero selector value equals (codexctl's reuse rule)."""
        return (
            self.env == selector.env
            and selector.issue in (0, self.issue)
            and selector.pr in (0, self.pr)
            and selector.slot in (0, self.slot)
        )

    def matches_claim(self, other: Claim) -> bool:
        """Same env, issue and PR (the same work), whoever recorded it."""
        return (self.env, self.issue, self.pr) == (other.env, other.issue, other.pr)

    @classmethod
    def from_record(cls, record: Record) -> Claim:
        """Read a slot record."""
        data = record.data
        state = data.get("state", ClaimState.CLAIMED)
        return cls(
            slot=record.get_int("slot"),
            env=data.get("env", ""),
            namespace=data.get("namespace", ""),
            issue=record.get_int("issue"),
            pr=record.get_int("pr"),
            holder=record.holder,
            owner=data.get("owner", "manual"),
            created=float(data.get("created", "0") or 0),
            renewed=record.renewed,
            state=ClaimState(state)
            if state in ClaimState.__members__.values()
            else ClaimState.CLAIMED,
            labels=dict(record.labels),
            version=record.version,
        )

    def to_record(self, prefix: str) -> Record:
        """The slot record that stores this claim."""
        data = {
            "slot": str(self.slot),
            "env": self.env,
            "namespace": self.namespace,
            "issue": str(self.issue),
            "pr": str(self.pr),
            "owner": self.owner,
            "created": repr(self.created),
            "state": str(self.state),
        }
        return Record(
            slot_name(prefix, self.slot),
            Kind.SLOT,
            self.holder,
            self.renewed,
            data,
            dict(self.labels),
            self.version,
        )


@dataclass(frozen=True)
class Selector:
    """What a caller asks for: an env and at least one of issue, PR or slot (0 = not given)."""

    env: str = DEFAULT_ENV
    issue: int = 0
    pr: int = 0
    slot: int = 0

    def validate(self) -> None:
        """Raise a usage error unless the selector names something, as codexctl requires."""
        if min(self.issue, self.pr, self.slot) < 0:
            raise UsageError("--issue, --pr and --slot must not be negative")
        if not (self.issue or self.pr or self.slot):
            raise UsageError("one of --issue, --pr or --slot must be greater than 0")
        if not self.env:
            raise UsageError("an env is required (default: ai)")

    def keys(self, prefix: str) -> list[tuple[str, str, int]]:
        """The deterministic key objects ``(name, "issue"|"pr", number)``, issue first."""
        pairs = [(what, n) for what, n in (("issue", self.issue), ("pr", self.pr)) if n]
        return [(key_name(prefix, self.env, what, n), what, n) for what, n in pairs]

    def describe(self) -> str:
        """``issue 42``, ``PR 7``, ``slot 3`` or a combination, for messages."""
        parts = [
            f"{label} {n}"
            for label, n in (("issue", self.issue), ("PR", self.pr), ("slot", self.slot))
            if n
        ]
        return ", ".join(parts) + (f" (env {self.env})" if self.env != DEFAULT_ENV else "")


_DNS_BAD = re.compile(r"[^a-z0-9-]+")


def dns_part(text: str) -> str:
    """Lower-case ``text`` into a DNS-label-safe fragment (no leading/trailing dashes)."""
    return _DNS_BAD.sub("-", text.lower()).strip("-") or "x"


def slot_name(prefix: str, slot: int) -> str:
    """The slot object: ``<prefix><N>``, the same shape as codexctl's ``codex-env-<N>``."""
    return f"{prefix}{slot}"


def key_name(prefix: str, env: str, what: str, number: int) -> str:
    """The issue/PR key object; env ``ai`` has the short form ``<prefix>issue-<N>``."""
    scope = "" if env == DEFAULT_ENV else f"{dns_part(env)}-"
    return f"{prefix}{scope}{what}-{number}"


def lock_name(prefix: str, slot: int) -> str:
    """The per-slot lock object taken by apply, destroy and GC."""
    return f"{prefix}lock-{slot}"


def queue_name(prefix: str, holder: str) -> str:
    """A waiter's entry in the fair queue for a free slot."""
    return f"{prefix}queue-{holder}"


def key_record(
    name: str, holder: str, now: float, *, env: str, what: str, number: int, slot: int = 0
) -> Record:
    """An issue/PR key: which slot (0 while the allocation is in progress) ``what number`` holds."""
    data = {"env": env, "what": what, "number": str(number), "slot": str(slot)}
    return Record(name, Kind.KEY, holder, now, data)


def new_holder_id() -> str:
    """A caller identity unique per process and call: host, pid and 8 random hex digits."""
    host = dns_part(socket.gethostname())[:40]
    return f"{host}-{os.getpid()}-{secrets.token_hex(4)}"


def default_owner(environ: Mapping[str, str] | None = None) -> str:
    """codexctl's ``owner``: the CI run id when there is one, else ``manual``."""
    env = os.environ if environ is None else environ
    return env.get("GITHUB_RUN_ID", "").strip() or "manual"

"""The one place where codexstack names things: stacks, Kubernetes objects and label keys.

Every name codexstack invents (Pulumi stack names, object names derived from a project or a
slot, label keys and values) comes from here, so that the rules are the same everywhere:
stack per environment (``<env>``) or per slot (``ai-<slot>``); DNS-1123 labels of at most 63
characters, where a name that has to be cut keeps a short hash of the full name so two long
names never collapse into one; label values that the API server accepts. Names written by the
user in manifests are never rewritten.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

from codexstack.errors import ConfigError, Location

DNS_LABEL_MAX: Final = 63
DNS_SUBDOMAIN_MAX: Final = 253
LABEL_VALUE_MAX: Final = 63
_HASH_LEN: Final = 8

SLOT_ENV: Final = "ai"
"""The environment whose stacks are numbered slots."""

# Label and annotation keys set on everything codexstack creates.
MANAGED_BY: Final = "app.kubernetes.io/managed-by"
MANAGED_BY_VALUE: Final = "codexstack"
PART_OF: Final = "app.kubernetes.io/part-of"
NAME: Final = "app.kubernetes.io/name"
COMPONENT: Final = "app.kubernetes.io/component"
LABEL_PROJECT: Final = "codexstack.io/project"
LABEL_ENV: Final = "codexstack.io/env"
LABEL_SLOT: Final = "codexstack.io/slot"
LABEL_ISSUE: Final = "codexstack.io/issue"
LABEL_PR: Final = "codexstack.io/pr"
LABEL_UNIT: Final = "codexstack.io/unit"
LABEL_OWNER: Final = "codexstack.io/owner"
ANNOTATION_CREATED: Final = "codexstack.io/created-at"
ANNOTATION_SOURCE: Final = "codexstack.io/source"

_NOT_DNS = re.compile(r"[^a-z0-9-]+")
_NOT_LABEL_VALUE = re.compile(r"[^A-Za-z0-9._-]+")
_NOT_STACK = re.compile(r"[^A-Za-z0-9._-]+")


def short_hash(text: str, length: int = _HASH_LEN) -> str:
    """A stable hex digest prefix of ``text`` (not a secret; only for uniqueness)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def _cut(name: str, limit: int, full: str, *, trim: str) -> str:
    """Cut ``name`` to ``limit`` keeping a hash of ``full`` so cut names stay distinct."""
    if len(name) <= limit:
        return name
    suffix = "-" + short_hash(full)
    head = name[: limit - len(suffix)].rstrip(trim)
    return head + suffix


_DNS_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


def is_dns_label(name: str) -> bool:
    """``name`` is a valid DNS-1123 label (a namespace name): ``[a-z0-9-]``, ≤ 63, no edge ``-``."""
    return _DNS_LABEL.fullmatch(name) is not None


def check_namespace(namespace: str, where: Location | None = None) -> str:
    """``namespace`` itself, or ConfigError when it is neither empty nor a DNS-1123 label."""
    if namespace and not is_dns_label(namespace):
        raise ConfigError(
            f"namespace {namespace[:80]!r} is not a DNS-1123 label",
            location=where or Location(key="namespace"),
            hint="at most 63 characters: lower-case letters, digits and '-', "
            "starting and ending with a letter or digit",
        )
    return namespace


def dns_label(*parts: str | int, limit: int = DNS_LABEL_MAX) -> str:
    """Join ``parts`` with ``-`` into a DNS-1123 label (lower case, ``[a-z0-9-]``, ≤ ``limit``).

    Invalid characters become ``-``; runs of ``-`` collapse; the result starts and ends with an
    alphanumeric character. A name longer than ``limit`` is cut and ends in ``-<hash>`` of the
    whole uncut name, so different long inputs keep different names.
    """
    raw = "-".join(str(p) for p in parts if str(p) != "")
    name = _NOT_DNS.sub("-", raw.lower()).strip("-")
    name = re.sub(r"-{2,}", "-", name)
    if not name:
        name = "x-" + short_hash(raw)
    return _cut(name, limit, raw, trim="-")


def dns_subdomain(*parts: str | int) -> str:
    """Like :func:`dns_label` but dots are kept and the limit is 253 (object names)."""
    raw = "-".join(str(p) for p in parts if str(p) != "")
    name = re.sub(r"[^a-z0-9.-]+", "-", raw.lower())
    name = re.sub(r"-{2,}", "-", name).strip("-.")
    if not name:
        name = "x-" + short_hash(raw)
    return _cut(name, DNS_SUBDOMAIN_MAX, raw, trim="-.")


def label_value(value: str | int) -> str:
    """A valid label value: ≤63 of ``[A-Za-z0-9._-]``, alphanumeric at both ends, or empty."""
    raw = str(value)
    text = _NOT_LABEL_VALUE.sub("-", raw).strip("-._")
    return _cut(text, LABEL_VALUE_MAX, raw, trim="-._")


def stack_name(env: str, slot: int = 0) -> str:
    """The Pulumi stack of an environment: ``<env>``, or ``ai-<slot>`` for a numbered slot."""
    base = _NOT_STACK.sub("-", env.strip()).strip("-") or "default"
    if env.strip() == SLOT_ENV and slot > 0:
        return f"{SLOT_ENV}-{slot}"
    return base


def is_slot_stack(stack: str) -> bool:
    """``ai-<N>`` (N > 0): the stack of a dev-AI slot."""
    number = stack.removeprefix(f"{SLOT_ENV}-")
    return number != stack and number.isdigit() and number.isascii() and not number.startswith("0")


def common_labels(project: str, env: str, slot: int = 0) -> dict[str, str]:
    """Labels every object codexstack itself creates carries (user manifests are left alone)."""
    labels = {
        MANAGED_BY: MANAGED_BY_VALUE,
        LABEL_PROJECT: label_value(project),
        LABEL_ENV: label_value(env),
    }
    if slot > 0:
        labels[LABEL_SLOT] = str(slot)
    return labels

"""codexctl's slot records, read so both tools can share one cluster during a migration.

codexctl keeps one ConfigMap ``<configmapPrefix><N>`` (default ``codex-env-<N>``) per slot in
``state.configmapNamespace``, with data keys slot, env, namespace, owner, issue, pr and
createdAt. codexstack never writes them; it reads them as claims with ``source="codexctl"``:
a slot held there counts as taken, and a matching record answers a reuse request.
"""

from __future__ import annotations

from datetime import datetime

from codexstack.kube import Client, path_of
from codexstack.slots.kubecall import refused, send
from codexstack.slots.model import Claim

DEFAULT_PREFIX = "codex-env-"


class ConfigMapClaims:
    """:class:`~codexstack.slots.service.ForeignClaims` over codexctl's slot ConfigMaps."""

    def __init__(self, api: Client, namespace: str, prefix: str = DEFAULT_PREFIX):
        self.api = api
        self.namespace = namespace
        self.prefix = prefix

    def list(self) -> list[Claim]:
        answer = send(
            self.api, "GET", path_of("api", "v1", "namespaces", self.namespace, "configmaps")
        )
        if answer.status == 404:
            return []
        if answer.status != 200:
            raise refused(answer, f"list codexctl slot records in {self.namespace}")
        items = answer.body.get("items") or []
        claims = [
            claim_of(item)
            for item in items
            if str((item.get("metadata") or {}).get("name", "")).startswith(self.prefix)
        ]
        return [c for c in claims if c.slot > 0]

    def holds(self, slot: int) -> bool:
        path = path_of(
            "api", "v1", "namespaces", self.namespace, "configmaps", f"{self.prefix}{slot}"
        )
        answer = send(self.api, "GET", path)
        if answer.status in (200, 404):
            return answer.status == 200
        raise refused(answer, f"read codexctl slot record {self.prefix}{slot}")


def claim_of(configmap: dict[str, object]) -> Claim:
    """A codexctl ConfigMap read as a claim (unparsable numbers count as 0, as codexctl does)."""
    raw = configmap.get("data")
    data = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    created = _time(data.get("createdAt", ""))
    return Claim(
        slot=_int(data.get("slot")),
        env=data.get("env", ""),
        namespace=data.get("namespace", ""),
        issue=_int(data.get("issue")),
        pr=_int(data.get("pr")),
        holder=f"codexctl:{data.get('owner', 'manual')}",
        owner=data.get("owner", "manual"),
        created=created,
        renewed=created,
        source="codexctl",
    )


def _int(value: str | None) -> int:
    try:
        return int(value or "0")
    except ValueError:
        return 0


def _time(text: str) -> float:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0

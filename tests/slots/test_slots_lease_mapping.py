"""The Lease and ConfigMap encodings, without a cluster: what is stored and what is read back."""

from __future__ import annotations

import pytest

from codexstack.slots.codexctl import claim_of
from codexstack.slots.leases import from_lease, micro_time, parse_micro_time, to_lease
from codexstack.slots.model import Claim, Kind, Record


def test_slot_claim_round_trips_through_a_lease() -> None:
    claim = Claim(
        slot=3,
        env="ai-repair",
        namespace="shop-ai-staging",
        issue=42,
        pr=7,
        holder="runner-1-abcd",
        owner="987",
        created=1_700_000_000.25,
        renewed=1_700_000_100.5,
        labels={"keep": "true"},
    )
    lease = to_lease(claim.to_record("codexstack-slot-"), "codexstack-state")
    labels = lease["metadata"]["labels"]
    assert lease["metadata"]["name"] == "codexstack-slot-3"
    assert labels["codexstack.io/issue"] == "42"
    assert labels["codexstack.io/env"] == "ai-repair"
    assert labels["codexstack.io/keep"] == "true"
    assert lease["spec"] == {
        "holderIdentity": "runner-1-abcd",
        "renewTime": "2023-11-14T22:15:00.500000Z",
    }
    lease["metadata"]["resourceVersion"] = "12"
    back = Claim.from_record(from_lease(lease))
    assert back == Claim(**{**claim.__dict__, "version": "12"})


def test_lock_lease_carries_its_duration() -> None:
    record = Record("p-lock-2", Kind.LOCK, "me", 1.0, {"slot": "2", "duration": "60"})
    lease = to_lease(record, "ns")
    assert lease["spec"]["leaseDurationSeconds"] == 60
    assert lease["metadata"]["labels"]["codexstack.io/kind"] == "lock"


def test_micro_time_round_trip() -> None:
    assert parse_micro_time(micro_time(1_700_000_000.123456)) == pytest.approx(1_700_000_000.123456)
    assert parse_micro_time("2024-01-02T03:04:05Z") == 1_704_164_645.0
    assert parse_micro_time(None) == 0.0


def test_codexctl_configmap_is_read_like_codexctl_does() -> None:
    claim = claim_of(
        {
            "metadata": {"name": "codex-env-4"},
            "data": {
                "slot": "4",
                "env": "ai",
                "namespace": "shop-dev-4",
                "owner": "555",
                "issue": "12",
                "pr": "oops",
                "createdAt": "2025-01-02T03:04:05Z",
            },
        }
    )
    assert (claim.slot, claim.issue, claim.pr, claim.source) == (4, 12, 0, "codexctl")
    assert claim.owner == "555"
    assert claim.created == claim.renewed == 1_735_787_045.0

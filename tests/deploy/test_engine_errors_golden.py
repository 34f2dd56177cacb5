"""Error translation against real provider failures recorded on the local cluster.

``scripts/record_engine_errors.py`` provoked each failure with the real engine and wrote the
engine's diagnostics (``<case>.json``) and their translation (``<case>.txt``, reviewed). Each
case must still translate to exactly that text: one failing object, its reason, a next step,
and never engine noise as the last line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codexstack.deploy.failures import ObjectRef, is_noise, report, translate

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "engine_errors"
REASONS = {
    "field_conflict": "field conflict",
    "forbidden": "forbidden",
    "invalid_field": "invalid field",
    "quota_exceeded": "quota exceeded",
    "webhook_denial": "webhook denial",
    "policy_denial": "policy denial",
}


@pytest.mark.parametrize("case", sorted(REASONS))
def test_recorded_failure_translates_to_its_golden(case: str):
    source = GOLDEN / f"{case}.json"
    assert source.exists(), f"{source} missing: run scripts/record_engine_errors.py {case}"
    data = json.loads(source.read_text())
    diagnostics = [(d["urn"], d["message"]) for d in data["diagnostics"]]
    objects = {u: ObjectRef(*ref) for u, ref in data["objects"].items()}
    assert any("kubernetes:" in urn for urn, _ in diagnostics), "not a real provider error"
    found = translate(diagnostics, objects, data["stack"])
    assert [f.reason for f in found if f.obj] == [REASONS[case]]
    text = report("apply", data["stack"], found)
    assert text + "\n" == (GOLDEN / f"{case}.txt").read_text()
    assert not is_noise(text.splitlines()[-1])
    assert "grpc" not in text

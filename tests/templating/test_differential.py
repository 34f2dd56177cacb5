"""Differential acceptance test: the Go dialect against Go's own text/template.

Every hand-written case (all features, on several data sets) and a seeded set of generated
cases are rendered by the oracle in one process and by codexstack; outputs must be
byte-identical, and where Go fails codexstack must fail too, at the same line (and, for
execution errors, the same column).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.templating.corpus_data import DATASETS, ENV
from tests.templating.corpus_gen import generated_case
from tests.templating.corpus_hand import hand_cases
from tests.templating.oracle import Outcome, build_oracle, case, run_oracle, run_python

GENERATED = 1000


@pytest.fixture(scope="session")
def oracle() -> Path:
    return build_oracle()


def all_cases() -> list[dict[str, Any]]:
    cases = [
        case(f"hand{i}", template, DATASETS[data], ENV)
        for i, (template, datasets) in enumerate(hand_cases())
        for data in datasets
    ]
    for seed in range(GENERATED):
        template, data = generated_case(seed)
        cases.append(case(f"gen{seed}", template, data, ENV))
    return cases


def _differs(go: Outcome, ours: Outcome) -> bool:
    if go.ok != ours.ok:
        return True
    if go.ok:
        return go.out != ours.out
    return go.err_where != ours.err_where


def test_go_dialect_matches_go_text_template(
    oracle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = all_cases()
    go_results = run_oracle(oracle, cases)
    mismatches = []
    errors = exact_messages = 0
    for c, go in zip(cases, go_results, strict=True):
        ours = run_python(c)
        if _differs(go, ours):
            mismatches.append(f"{c['name']}: {c['template']!r}\n  go: {go}\n  us: {ours}")
        elif not go.ok:
            errors += 1
            exact_messages += go.err == ours.err
    with capsys.disabled():
        print(
            f"\ndifferential: {len(cases)} cases compared with Go text/template, "
            f"{len(cases) - len(mismatches)} identical ({errors} error cases, "
            f"{exact_messages} with the exact same message)"
        )
    assert len(cases) >= 300
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ:\n" + "\n".join(
        mismatches[:20]
    )


def test_corpus_covers_both_outcomes(oracle: Path) -> None:
    results = run_oracle(oracle, all_cases()[::7])
    assert any(r.ok for r in results)
    assert any(not r.ok for r in results)

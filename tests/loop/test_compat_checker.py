"""The static workflow checker (:mod:`loop.compat`) finds what it is meant to find.

It is run over every shipped and codexctl workflow by ``test_workflow_compat.py``; here a
small workflow with one of each mistake proves the checker is not vacuous, and a correct one
that it raises nothing.
"""

from __future__ import annotations

from pathlib import Path

from loop.compat import check

GOOD = """
name: good
on: workflow_call
env:
  CODEXCTL_ENV: ai
jobs:
  a:
    runs-on: self-hosted
    env:
      CODEXCTL_ISSUE_NUMBER: "3"
    steps:
      - id: slot
        env:
          CODEXCTL_DEV_SLOTS_MAX: "2"
        run: codexctl ci ensure-slot
      - env:
          SLOT: ${{ steps.slot.outputs.slot }}
          NS: ${{ steps.slot.outputs.namespace }}
        run: echo "### codexstack summary $SLOT $NS" >>"$GITHUB_STEP_SUMMARY"
"""

BAD = """
name: bad
on: workflow_call
env:
  CODEXCTL_NOT_A_SETTING: x
jobs:
  a:
    runs-on: self-hosted
    steps:
      - id: slot
        env:
          CODEXCTL_ISSUE_NUMBER: "3"
          CODEXCTL_SLOT_COLOUR: blue
        run: |
          codexctl ci ensure-slot
          echo "extra=1" >>"$GITHUB_OUTPUT"
      - run: codexstack ci no-such-step
      - env:
          SLOT: ${{ steps.slot.outputs.slot_number }}
          EXTRA: ${{ steps.slot.outputs.extra }}
        run: echo "$SLOT $EXTRA"
"""


def test_a_correct_workflow_has_no_problems(tmp_path: Path) -> None:
    path = tmp_path / "good.yml"
    path.write_text(GOOD)
    assert check(path) == []


def test_each_kind_of_mistake_is_found(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(BAD)
    found = sorted(p.what for p in check(path))
    assert found == sorted(
        [
            "CODEXCTL_SLOT_COLOUR is not read by `ci ensure-slot`",
            "`codexstack ci no-such-step` does not exist",
            "steps.slot.outputs.slot_number: `ci ensure-slot` writes no 'slot_number'",
            "CODEXCTL_NOT_A_SETTING is read by no command",
        ]
    ), found

"""A small fuzz run on every test run; the big one is `python3 dev.py fuzz` (tests/models/fuzzing.py)."""

from __future__ import annotations

from models.reference import Reference
from tests.models.fuzzing import describe, fuzz


def test_fuzzed_case_files_are_refused_clearly_or_checked_soundly(reference: Reference) -> None:
    tally = fuzz(cases=300, renders=5, reference=reference)
    assert not tally.crashes, "\n".join(describe(tally, 0))
    assert tally.cases == 300 and tally.rendered == 5
    assert tally.refused and tally.checked, "both ways out were taken"

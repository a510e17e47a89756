"""Coder figures: a full check (derive + all rules) beside one SQLite point lookup."""

from __future__ import annotations

from models.case import load_case
from models.coder import check
from models.paths import examples_dir
from models.reference import open_reference
from tests.bench.common import median_ms, ratio, timings


def run() -> list[str]:
    reference = open_reference()
    cases = [load_case(p) for p in sorted(examples_dir().glob("*.json"))]
    baseline = timings(lambda: reference.icd("E10.649"), repeat=2000)
    lines = ["== coder (issue 3)", f"one SQLite point lookup (ICD-10-CM code): median {median_ms(baseline) * 1000:.1f} us"]
    all_samples: list[float] = []
    for case in cases:
        all_samples += timings(lambda c=case: check(c, reference), repeat=200)
    full = median_ms(all_samples)
    lines.append(
        f"full check, median over {len(cases)} example cases x 200: {full:.3f} ms (goal <= 1 ms); "
        f"{ratio(full, median_ms(baseline))} one point lookup"
    )
    return lines

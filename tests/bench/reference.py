"""Reference database figures: build time, search latency, open + first query."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from models.reference import Reference, build, open_reference
from tests.bench.common import median_ms, p95_ms, ratio, timings


def run() -> list[str]:
    lines = ["== reference database (issue 2)"]
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        path = build(Path(folder) / "ref.sqlite")
        build_s = time.perf_counter() - start
        lines.append(f"build from sources + ICD-10-CM: {build_s:.2f} s (goal <= 15 s)")
        bare_open = timings(lambda: _bare_open_and_query(path), repeat=50)
        full_open = timings(lambda: _open_and_query(path), repeat=50)
        lines.append(
            f"open + first query: {median_ms(full_open):.2f} ms median; bare sqlite open + SELECT "
            f"{median_ms(bare_open):.2f} ms; ratio {ratio(median_ms(full_open), median_ms(bare_open))}"
        )
    reference = open_reference()
    baseline = timings(reference.point_lookup_baseline, repeat=1000)
    lines.append(f"bare point lookup (baseline): p95 {p95_ms(baseline):.3f} ms")
    for text in ("hypoglycemia", "islet"):
        samples = timings(lambda t=text: reference.search(t, limit=20), repeat=1000)
        lines.append(
            f"search {text!r}: p95 {p95_ms(samples):.3f} ms over 1,000 queries (goal <= 2 ms); "
            f"{ratio(p95_ms(samples), p95_ms(baseline))} the bare lookup"
        )
    return lines


def _bare_open_and_query(path: Path) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()
    conn.close()


def _open_and_query(path: Path) -> None:
    reference = Reference(path)
    reference.icd("E10.649")
    reference.close()

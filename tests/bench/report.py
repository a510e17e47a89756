"""Benchmark: rendering the worksheet PDF against a bare reportlab document.

Goals: a two-page worksheet renders in at most 30 ms (median), and at most 5 times
the time of a bare reportlab document (a title and a 30-row table) measured in the
same run (alternately), so a slow machine does not hide a slow renderer.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

from pypdf import PdfReader

from reports.pdf import render_pdf
from tests.reports.examples import PREPARED, two_page_worksheet

WARM_UP = 5
REPETITIONS = 40
GOAL_MS = 30.0
GOAL_RATIO = 5.0


def _bare_document() -> bytes:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    rows = [["Line", "Code", "Units", "Descriptor"]]
    rows += [[str(n), f"{76000 + n}", "1", f"Service number {n}"] for n in range(1, 31)]
    document = SimpleDocTemplate(buffer, pagesize=LETTER, invariant=1)
    document.build([Paragraph("Coding and justification worksheet", styles["Title"]),
                    Table(rows, repeatRows=1)])
    return buffer.getvalue()


def _seconds(task: Callable[[], bytes]) -> float:
    start = time.perf_counter()
    task()
    return time.perf_counter() - start


def _median_ms(first: Callable[[], bytes], second: Callable[[], bytes]) -> tuple[float, float]:
    """Median times of two tasks run alternately, so both see the same machine load."""
    for _ in range(WARM_UP):
        first()
        second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(REPETITIONS):
        times[0].append(_seconds(first))
        times[1].append(_seconds(second))
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


def _verdict(value: float, goal: float) -> str:
    return "ok" if value <= goal else "OVER GOAL"


def run() -> list[str]:
    worksheet = two_page_worksheet()

    def render() -> bytes:
        return render_pdf(worksheet, facility="Rhode Island General Hospital",
                          coder="María José Núñez, CPC", prepared=PREPARED)

    pages = len(PdfReader(io.BytesIO(render())).pages)
    worksheet_ms, bare_ms = _median_ms(render, _bare_document)
    ratio = worksheet_ms / bare_ms
    return [
        "== report (worksheet PDF)",
        f"{pages}-page worksheet: median {worksheet_ms:.1f} ms over {REPETITIONS} "
        f"(goal <= {GOAL_MS:.0f} ms: {_verdict(worksheet_ms, GOAL_MS)})",
        f"bare reportlab, title + 30-row table: median {bare_ms:.1f} ms over {REPETITIONS}",
        f"ratio {ratio:.1f}x (goal <= {GOAL_RATIO:.0f}x: {_verdict(ratio, GOAL_RATIO)})",
    ]


if __name__ == "__main__":
    print("\n".join(run()))

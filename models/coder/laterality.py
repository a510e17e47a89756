"""Laterality: a diagnosis that names one side, on a procedure that treats one or both.

The reference says which diagnosis codes name a side (dx_laterality.csv) and which
answer of the family records the side treated; this module only compares them.
"""

from __future__ import annotations

from models import refdata as rd
from models.coder.state import Run
from models.knowledge import pattern_matches

OPPOSITE = {"right": "left", "left": "right"}
SIDE_WORDS = {"right": "the right side", "left": "the left side", "both": "both sides"}


def check_laterality(run: Run) -> None:
    rows = [r for r in run.reference.rows(rd.DxLateralityRow)
            if r.family in ("*", run.case.family)]
    sided: list[tuple[str, rd.DxLateralityRow]] = []
    for entry in run.diagnoses:
        row = next((r for r in rows if pattern_matches(r.pattern, entry.code)), None)
        if row is not None and row.side in OPPOSITE:
            sided.append((entry.code, row))
        elif row is not None:
            _check_unspecified(run, entry.code, row)
    for code, row in sided:
        treated = run.case.answers.get(row.question)
        if treated is None:
            if run.holds(row.when):
                _ask(run, code, row)
            continue
        if treated == "both" and not _other_side_coded(sided, row):
            _question(run, code, row, f"{code} names {SIDE_WORDS[row.side]} only, but "
                      f"{SIDE_WORDS['both']} were treated: code the other side too, or check "
                      "the documentation.")
        elif treated == OPPOSITE[row.side]:
            _question(run, code, row, f"{code} names {SIDE_WORDS[row.side]}, but "
                      f"{SIDE_WORDS[str(treated)]} was treated: check the diagnosis.")


def _check_unspecified(run: Run, code: str, row: rd.DxLateralityRow) -> None:
    """An unspecified-side code is for a record that does not say which side (guideline
    I.B.13); the answer says which side was treated."""
    treated = run.case.answers.get(row.question)
    if treated in SIDE_WORDS and run.holds(row.when):
        verb = "were" if treated == "both" else "was"
        _question(run, code, row, f"{code} names an unspecified side, but "
                  f"{SIDE_WORDS[str(treated)]} {verb} treated: the record says the side, so "
                  "code it (both sides: the right and the left code).")


def _other_side_coded(sided: list[tuple[str, rd.DxLateralityRow]], row: rd.DxLateralityRow) -> bool:
    return any(other.side == OPPOSITE[row.side] and other.group == row.group
               for _, other in sided)


def _ask(run: Run, code: str, row: rd.DxLateralityRow) -> None:
    _question(run, code, row, f"{code} names {SIDE_WORDS[row.side]} only: answer which side "
              "was treated, so the diagnosis can be checked against it.", step="questions")


def _question(run: Run, code: str, row: rd.DxLateralityRow, message: str,
              step: str = "diagnoses") -> None:
    run.add("dx-laterality", message, (code,), citation=row.source, step=step,
            severity="warning")

"""Laterality: a hand diagnosis of one side on a procedure of both hands is questioned."""

from __future__ import annotations

from models.case import Case
from models.coder import check

BASE = {
    "schema_version": 1, "family": "adipose-cells-hands", "date_of_service": "2026-03-02",
    "payer": "bcbs", "claim_type": "professional", "setting": "outpatient-hospital",
    "patient": {"age": 50}, "diagnoses": ["M34.0", "M79.641"],
}


def laterality(reference, **changes):
    data = {**BASE, **changes}
    worksheet = check(Case.model_validate(data), reference)
    return [f for f in worksheet.findings if f.rule == "dx-laterality"]


def test_a_right_hand_code_on_both_hands_is_questioned(reference):
    found = laterality(reference, answers={"services": "both", "hands": "both"})
    assert [f.codes for f in found] == [("M79.641",)]
    assert found[0].severity == "warning" and "both sides" in found[0].message


def test_both_sides_coded_or_the_same_side_treated_is_fine(reference):
    assert not laterality(reference, answers={"services": "both", "hands": "both"},
                          diagnoses=["M34.0", "M79.641", "M79.642"])
    assert not laterality(reference, answers={"services": "injection", "hands": "right"})


def test_the_other_side_treated_is_questioned(reference):
    found = laterality(reference, answers={"services": "injection", "hands": "left"})
    assert found and "left side was treated" in found[0].message


def test_no_answer_asks_which_hands(reference):
    found = laterality(reference, answers={"services": "both"})
    assert found and found[0].step == "questions"
    assert not laterality(reference, answers={"services": "harvest"})

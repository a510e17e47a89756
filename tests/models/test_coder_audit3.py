"""Wrong answers found by a third, independent audit (the claim block, anesthesia, global
surgery, payers and dates): each test is a class of claims the program answered wrongly,
checked against the real reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.models.conftest import variant

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
CRNA_CLAIM: dict[str, Any] = json.loads(
    (EXAMPLES / "anesthesia-medicare-trial-crna.json").read_text(encoding="utf-8")
)


def findings(worksheet, rule):  # type: ignore[no-untyped-def]
    return [f for f in worksheet.findings if f.rule == rule]


def anesthesia_line(*modifiers: str) -> dict[str, Any]:
    return {"code": "00790", "modifiers": list(modifiers), "units": 1, "minutes": 95}


# ------------------------------------ the pricing modifier fits who gave the anesthesia


@pytest.mark.parametrize(
    ("taxonomy", "modifier"),
    [
        ("367500000X", "QK"),  # a CRNA cannot medically direct
        ("367500000X", "AA"),  # nor personally perform as an anesthesiologist
        ("367500000X", "QY"),
        ("207L00000X", "QX"),  # an anesthesiologist is not a directed CRNA
        ("207L00000X", "QZ"),
    ],
)
def test_anesthesia_pricing_modifier_fits_the_rendering_provider(run, taxonomy, modifier):
    """FACTS-CLAIMS §6.4: AA, AD, QK and QY are the anesthesiologist's modifiers (personally
    performed, supervision, medical direction); QX and QZ are the CRNA's (with or without
    medical direction). Another provider's modifier first on the line is an error."""
    ws = run(
        variant(CRNA_CLAIM, rendering_taxonomy=taxonomy, extra_lines=[anesthesia_line(modifier, "Q1")])
    )
    wrong = [f for f in findings(ws, "anesthesia-claim") if modifier in f.codes]
    assert wrong and wrong[0].severity == "error", ws.findings
    assert ws.status == "blocked"


@pytest.mark.parametrize(
    ("taxonomy", "modifier"),
    [("367500000X", "QX"), ("367500000X", "QZ"), ("207L00000X", "AA"), ("207L00000X", "QK")],
)
def test_anesthesia_provider_own_pricing_modifier_passes(run, taxonomy, modifier):
    ws = run(
        variant(CRNA_CLAIM, rendering_taxonomy=taxonomy, extra_lines=[anesthesia_line(modifier, "Q1")])
    )
    assert not findings(ws, "anesthesia-claim"), ws.findings
    assert ws.status == "ready"


# ------------------------ donislecel entered as J3590 on the hospital's inpatient claim

INPATIENT_FACILITY: dict[str, Any] = variant(
    json.loads((EXAMPLES / "islet-medicare-trial-hospital-inpatient.json").read_text("utf-8")),
    acknowledged=[],
    extra_lines=[{"code": "J3590", "units": 1, "revenue_code": "0891"}],
)


def test_j3590_on_the_inpatient_facility_claim_does_not_send_the_coder_to_c9399(run):
    """FACTS §0 (Lantidra row): on the inpatient facility claim the product is a charge on its
    revenue code with ICD-10-PCS XW033DA, part of the inpatient payment; C9399 is an
    outpatient/ASC code (itself an error there), so advising it is wrong. JW/JZ are for
    separately payable Part B drugs, which an inpatient stay's product is not."""
    ws = run(INPATIENT_FACILITY)
    setting = [f for f in findings(ws, "code-setting") if "J3590" in f.codes]
    assert setting and all("reported with C9399" not in f.message for f in setting), setting
    assert any("inpatient" in f.message for f in setting)
    assert all(f.severity == "warning" for f in setting)
    assert not [f for f in findings(ws, "modifier-required") if "J3590" in f.codes]


def test_j3590_on_the_outpatient_facility_claim_still_points_to_c9399(run):
    outpatient = variant(INPATIENT_FACILITY, setting="outpatient-hospital", type_of_bill=None)
    ws = run(outpatient)
    setting = [f for f in findings(ws, "code-setting") if "J3590" in f.codes]
    assert setting and "reported with C9399" in setting[0].message
    assert [f for f in findings(ws, "modifier-required") if "J3590" in f.codes]


# ------------------- a procedure line on another date is not held to this date's answers

MEDICARE_TRIAL_CLAIM: dict[str, Any] = json.loads(
    (EXAMPLES / "islet-medicare-trial.json").read_text(encoding="utf-8")
)


def test_a_later_infusion_on_its_own_date_is_not_an_approach_mismatch(run):
    """The answers describe the operation on the case's date. A second infusion on its own
    date (FACTS-CLAIMS §5.5: percutaneous 30 days after a laparoscopic one, inside its 090-day
    global, with 58) had its own approach: calling it an approach mismatch is wrong."""
    laparoscopic = variant(MEDICARE_TRIAL_CLAIM, answers={"approach": "laparoscopic"})
    later = {"code": "G0341", "modifiers": ["58", "Q0"], "date_of_service": "2026-05-20"}
    ws = run(variant(laparoscopic, extra_lines=[later]))
    assert not findings(ws, "approach-mismatch"), ws.findings
    assert not findings(ws, "global-package")
    same_day = run(variant(laparoscopic, extra_lines=[{**later, "date_of_service": None}]))
    assert [f for f in findings(same_day, "approach-mismatch") if f.severity == "error"]


# ------------------------- a commercial claim that names its study is not "without a study"


def test_z00_6_on_a_commercial_claim_naming_its_study_is_not_questioned(run):
    """ICD-10-CM Z00.6 codes an encounter in a clinical research program whoever pays; the
    commercial case gives the study's NCT number, so 'this claim names no clinical study (no
    NCT number)' is false. Without the number it is still questioned."""
    aetna = variant(MEDICARE_TRIAL_CLAIM, payer="aetna")
    assert not findings(run(aetna), "trial-dx")
    without = run(variant(aetna, answers={"nct_number": None}))
    assert [f for f in findings(without, "trial-dx") if f.severity == "warning"]


# --------------------------- a global-period modifier on a visit no global period covers


def visit(code: str, day: str, modifier: str) -> dict[str, Any]:
    return {"code": code, "modifiers": [modifier, "Q1"], "date_of_service": day}


@pytest.mark.parametrize(
    ("approach", "line"),
    [
        ("percutaneous", visit("99232", "2026-04-21", "24")),  # G0341 is 000: no post-op days
        ("percutaneous", visit("99222", "2026-04-19", "57")),  # 57 is for a 090-day operation
        ("laparoscopic", visit("99213", "2026-07-25", "24")),  # after G0342's 90 days
    ],
)
def test_global_modifier_on_a_visit_outside_every_global_period_is_questioned(run, approach, line):
    """FACTS-CLAIMS §5.2/§5.4: 24 marks an unrelated visit inside a post-operative period, 57
    the decision for a 090-day operation on its day or the day before. A visit the claim's
    operations put outside any such period does not take them: a warning to check."""
    case = variant(MEDICARE_TRIAL_CLAIM, answers={"approach": approach}, extra_lines=[line])
    ws = run(case)
    package = [f for f in findings(ws, "global-package") if line["code"] in f.codes]
    assert package and all(f.severity == "warning" for f in package), ws.findings
    assert line["modifiers"][0] in package[0].message


def test_global_modifier_inside_its_period_is_not_questioned(run):
    laparoscopic = variant(MEDICARE_TRIAL_CLAIM, answers={"approach": "laparoscopic"})
    for line in (visit("99213", "2026-05-20", "24"), visit("99222", "2026-04-19", "57")):
        ws = run(variant(laparoscopic, extra_lines=[line]))
        assert not findings(ws, "global-package"), ws.findings

"""Claim-form facts: whose claim, which form, where (POS) and what bill (TOB)."""

from __future__ import annotations

from typing import Any

import pytest

from models.case import Case
from models.coder.claim import claim_facts
from models.reference import Reference
from tests.models.conftest import ISLET, MEDICARE_TRIAL, rules_of, variant

TWELVE_DX = [
    "E10.649",
    "Z00.6",
    "E10.65",
    "E10.9",
    "E16.2",
    "K86.1",
    "E78.5",
    "I10",
    "N18.30",
    "Z79.4",
    "Z94.0",
    "R53.83",
]
LANTIDRA = {"ndc": "1234-5678-90", "quantity": 1, "unit": "UN"}
INPATIENT_FACILITY = variant(MEDICARE_TRIAL, claim_type="institutional", setting="inpatient")

# rule id -> (triggering case, near-identical case that must not trigger it); joined into
# test_coder.PAIRS so every rule keeps its pair.
CLAIM_PAIRS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "pos-setting": (
        variant(MEDICARE_TRIAL, place_of_service="22"),
        variant(MEDICARE_TRIAL, place_of_service="21"),
    ),
    "tob-setting": (variant(ISLET, type_of_bill="0111"), variant(ISLET, type_of_bill="0851")),
    "claim-form": (
        variant(MEDICARE_TRIAL, claim_type="institutional", setting="asc"),
        variant(MEDICARE_TRIAL, setting="asc", billed_by="facility"),
    ),
    "revenue-code": (
        variant(ISLET, extra_lines=[{"code": "76937", "revenue_code": "0636"}]),
        variant(ISLET, extra_lines=[{"code": "76937", "revenue_code": "0402"}]),
    ),
    "dx-limit": (
        variant(MEDICARE_TRIAL, diagnoses=[*TWELVE_DX, "E55.9"]),
        variant(MEDICARE_TRIAL, diagnoses=TWELVE_DX),
    ),
    "ndc-format": (
        variant(ISLET, drug={**LANTIDRA, "ndc": "1234567890"}),
        variant(ISLET, drug=LANTIDRA),
    ),
    "ndc-missing": (ISLET, variant(ISLET, drug=LANTIDRA)),
}


def facts(reference: Reference, data: dict[str, Any]):
    return claim_facts(Case.model_validate(data), reference)


@pytest.mark.parametrize(
    ("setting", "pos", "facility"),
    [
        ("inpatient", "21", True),
        ("outpatient-hospital", "22", True),
        ("asc", "24", True),
        ("office", "11", False),
    ],
)
def test_professional_place_of_service_follows_the_setting(
    reference: Reference, setting: str, pos: str, facility: bool
) -> None:
    found = facts(reference, variant(MEDICARE_TRIAL, setting=setting))
    assert (found.form, found.place_of_service, found.type_of_bill) == ("professional", pos, None)
    assert found.facility_rate is facility
    assert found.billed_by == "practitioner"
    assert "place_of_service" in found.derived


def test_entered_off_campus_place_of_service_is_kept(reference: Reference) -> None:
    found = facts(
        reference, variant(MEDICARE_TRIAL, setting="outpatient-hospital", place_of_service="19")
    )
    assert found.place_of_service == "19"
    assert found.facility_rate
    assert "place_of_service" not in found.derived


@pytest.mark.parametrize(
    ("setting", "tob"),
    [("inpatient", "0111"), ("outpatient-hospital", "0131"), ("asc", "0831")],
)
def test_institutional_type_of_bill_follows_the_setting(
    reference: Reference, setting: str, tob: str
) -> None:
    found = facts(reference, variant(ISLET, setting=setting))
    assert (found.form, found.type_of_bill, found.place_of_service) == ("institutional", tob, None)
    assert found.billed_by == "facility"


def test_critical_access_type_of_bill_is_kept_with_its_leading_zero(reference: Reference) -> None:
    assert facts(reference, variant(ISLET, type_of_bill="851")).type_of_bill == "0851"


def test_a_medicare_asc_facility_claim_on_the_professional_form(reference: Reference) -> None:
    found = facts(reference, variant(MEDICARE_TRIAL, setting="asc", billed_by="facility"))
    assert (found.form, found.billed_by, found.place_of_service) == (
        "professional",
        "facility",
        "24",
    )


# ---------------------------------------------------------------- place of service, type of bill


@pytest.mark.parametrize(
    ("setting", "pos"),
    [("inpatient", "22"), ("outpatient-hospital", "21"), ("asc", "22"), ("office", "22")],
)
def test_place_of_service_contradicting_the_setting_is_an_error(run, setting, pos):
    ws = run(variant(MEDICARE_TRIAL, setting=setting, place_of_service=pos))
    assert "pos-setting" in rules_of(ws, "error")


def test_off_campus_pos_19_is_kept_for_an_outpatient_department(run):
    ws = run(variant(MEDICARE_TRIAL, setting="outpatient-hospital", place_of_service="19"))
    assert "pos-setting" not in rules_of(ws)
    assert ws.summary()["claim"]["place_of_service"] == "19"
    assert ws.summary()["claim"]["facility_rate"] is True


def test_pos_19_is_not_an_inpatient_place(run):
    ws = run(variant(MEDICARE_TRIAL, place_of_service="19"))
    message = next(f.message for f in ws.findings if f.rule == "pos-setting")
    assert "21 (Inpatient hospital)" in message


@pytest.mark.parametrize(
    ("setting", "tob", "wrong"),
    [
        ("inpatient", "0111", False),
        ("outpatient-hospital", "0131", False),
        ("outpatient-hospital", "0851", False),
        ("outpatient-hospital", "0111", True),
        ("inpatient", "0131", True),
        ("inpatient", "0851", True),
        ("asc", "0831", False),
        ("asc", "0131", True),
    ],
)
def test_type_of_bill_against_the_setting(run, setting, tob, wrong):
    ws = run(variant(ISLET, setting=setting, type_of_bill=tob, drug=LANTIDRA))
    assert ("tob-setting" in rules_of(ws, "error")) is wrong


def test_pos_on_the_facility_claim_and_tob_on_the_professional_claim_are_not_used(run):
    facility = run(variant(ISLET, place_of_service="22"))
    assert "pos-setting" in rules_of(facility, "warning")
    assert facility.summary()["claim"]["place_of_service"] is None
    professional = run(variant(MEDICARE_TRIAL, type_of_bill="0111"))
    assert "tob-setting" in rules_of(professional, "warning")
    assert professional.summary()["claim"]["type_of_bill"] is None


# ---------------------------------------------------------------- who bills on which form


def test_medicare_asc_on_the_ub04_is_an_error_but_commercial_may_take_it(run):
    medicare = run(variant(MEDICARE_TRIAL, claim_type="institutional", setting="asc"))
    assert "claim-form" in rules_of(medicare, "error")
    commercial = run(variant(ISLET, setting="asc"))
    assert "claim-form" not in rules_of(commercial)
    assert commercial.summary()["claim"]["type_of_bill"] == "0831"


def test_hospital_facility_fee_on_the_professional_form_is_an_error(run):
    ws = run(variant(MEDICARE_TRIAL, billed_by="facility"))
    assert "claim-form" in rules_of(ws, "error")


def test_practitioner_on_the_institutional_form_is_questioned(run):
    ws = run(variant(ISLET, billed_by="practitioner", drug=LANTIDRA))
    assert "claim-form" in rules_of(ws, "warning")
    assert "claim-form" not in rules_of(ws, "error")


# ---------------------------------------------------------------- revenue codes


def test_every_institutional_line_has_a_revenue_code(run):
    ws = run(variant(ISLET, drug=LANTIDRA))
    codes = {line["code"]: line["revenue_code"] for line in ws.summary()["lines"]}
    assert codes == {"0584T": "0362", "C9399": "0636"}


def test_professional_lines_carry_no_revenue_code(run):
    ws = run(MEDICARE_TRIAL)
    assert all(line["revenue_code"] is None for line in ws.summary()["lines"])
    entered = run(variant(MEDICARE_TRIAL, extra_lines=[{"code": "99024", "revenue_code": "0360"}]))
    assert "revenue-code" in rules_of(entered, "warning")


def test_entered_revenue_code_of_another_kind_is_an_error(run):
    drug_on_or = run(variant(ISLET, extra_lines=[{"code": "J3590", "revenue_code": "0360"}]))
    finding = next(f for f in drug_on_or.findings if f.rule == "revenue-code")
    assert finding.severity == "error" and "0636" in finding.message
    kept = run(variant(ISLET, extra_lines=[{"code": "76937", "revenue_code": "402"}]))
    lines = {line["code"]: line["revenue_code"] for line in kept.summary()["lines"]}
    assert lines["76937"] == "0402"


def test_unlisted_revenue_code_is_a_warning(run):
    ws = run(variant(ISLET, extra_lines=[{"code": "76937", "revenue_code": "0999"}]))
    assert "revenue-code" in rules_of(ws, "warning")
    assert "revenue-code" not in rules_of(ws, "error")


# ---------------------------------------------------------------- condition and value codes


def test_trial_facility_claim_carries_condition_30_and_value_d4(run):
    claim = run(INPATIENT_FACILITY).summary()["claim"]
    assert claim["condition_codes"] == ["30"]
    assert claim["value_codes"] == {"D4": "01234567"}
    professional = run(MEDICARE_TRIAL).summary()["claim"]
    assert professional["condition_codes"] == [] and professional["value_codes"] == {}


def test_inpatient_trial_facility_lines_need_no_q0(run):
    ws = run(INPATIENT_FACILITY)
    assert "trial-modifier" not in rules_of(ws)
    assert all("Q0" not in line.modifiers for line in ws.lines)
    assert "Q0" in run(MEDICARE_TRIAL).lines[0].modifiers


# ---------------------------------------------------------------- ICD-10-PCS


def pcs(run, **changes):
    answers = changes.pop("answers", {})
    data = variant(ISLET, setting="inpatient", answers=answers, **changes)
    return [p.code for p in run(data).procedures]


def test_pcs_qualifier_follows_the_donor_and_the_approach(run):
    allogeneic = {"product": None}
    assert pcs(run, answers=allogeneic) == ["3E033U1"]
    assert pcs(run, answers={**allogeneic, "approach": "open"}) == ["3E030U1"]
    autologous = {"donor": "autologous", "pancreatectomy": "none", "product": None}
    assert pcs(run, answers=autologous) == ["3E033U0"]


def test_donislecel_has_its_own_code_from_october_2024(run):
    assert pcs(run) == ["XW033DA"]
    assert pcs(run, date_of_service="2024-09-30") == ["3E033U1"]
    assert pcs(run, date_of_service="2024-10-01") == ["XW033DA"]


@pytest.mark.parametrize(
    ("extent", "approach", "code"),
    [
        ("total", "open", "0FTG0ZZ"),
        ("near-total", "open", "0FBG0ZZ"),
        ("partial", "open", "0FBG0ZZ"),
    ],
)
def test_pancreatectomy_by_its_extent(run, extent, approach, code):
    answers = {
        "donor": "autologous",
        "pancreatectomy": extent,
        "approach": approach,
        "product": None,
    }
    assert pcs(run, answers=answers) == ["3E030U0", code]


def test_pcs_never_on_professional_or_outpatient_claims(run):
    assert run(MEDICARE_TRIAL).summary()["procedures"] == []
    assert run(variant(ISLET, drug=LANTIDRA)).summary()["procedures"] == []
    inpatient = run(INPATIENT_FACILITY).summary()["procedures"]
    assert inpatient[0]["code"] == "3E033U1" and "nonautologous" in inpatient[0]["why"]


# ---------------------------------------------------------------- diagnosis limits


def test_dx_limit_follows_the_form(run):
    thirteen = [*TWELVE_DX, "E55.9"]
    professional = run(variant(MEDICARE_TRIAL, diagnoses=thirteen))
    assert "dx-limit" in rules_of(professional, "error")
    assert "dx-duplicate" not in rules_of(professional)
    facility = run(variant(INPATIENT_FACILITY, diagnoses=thirteen))
    assert "dx-limit" not in rules_of(facility)


def test_more_diagnoses_than_the_837i_holds_is_a_finding_not_a_refused_file(run):
    twenty_six = [*TWELVE_DX, *(f"S61.4{n}1A" for n in range(1, 10)),
                  "E55.9", "E56.9", "E53.8", "E61.1", "E63.9"]
    assert len(set(twenty_six)) == 26
    facility = run(variant(INPATIENT_FACILITY, diagnoses=twenty_six))
    assert "dx-limit" in rules_of(facility, "error")
    assert "dx-duplicate" not in rules_of(facility)


# ---------------------------------------------------------------- NDC


@pytest.mark.parametrize(
    ("label", "billing"),
    [
        ("1234-5678-90", "01234567890"),
        ("12345-678-90", "12345067890"),
        ("12345-6789-0", "12345678900"),
        ("12345-6789-01", "12345678901"),
        ("12345678901", "12345678901"),
    ],
)
def test_label_ndc_is_padded_to_5_4_2(run, label, billing):
    ws = run(variant(ISLET, drug={**LANTIDRA, "ndc": label}))
    product = next(line for line in ws.summary()["lines"] if line["code"] == "C9399")
    assert product["ndc"] == billing
    assert "ndc-format" not in rules_of(ws)


@pytest.mark.parametrize("bad", ["1234567890", "123-4567-890", "1234-5678-901", "12345-67890-1"])
def test_ndc_that_cannot_be_padded_is_an_error(run, bad):
    ws = run(variant(ISLET, drug={**LANTIDRA, "ndc": bad}))
    assert "ndc-format" in rules_of(ws, "error")


def test_missing_ndc_names_where_it_goes_on_each_form(run):
    facility = next(f for f in run(ISLET).findings if f.rule == "ndc-missing")
    assert "837I loop 2410" in facility.message and "FL43" in facility.message
    office = variant(
        MEDICARE_TRIAL,
        payer="thp",
        setting="office",
        answers={"product": "donislecel", "nct_number": None},
    )
    professional = next(f for f in run(office).findings if f.rule == "ndc-missing")
    assert "837P loop 2410" in professional.message and "24A" in professional.message


def test_ndc_on_an_extra_drug_line(run):
    ws = run(variant(ISLET, drug=LANTIDRA, extra_lines=[{"code": "J3590", "ndc": "1234-5678-90"}]))
    lines = {line["code"]: line["ndc"] for line in ws.summary()["lines"]}
    assert lines["J3590"] == "01234567890"


def test_ndc_quantity_and_unit_are_asked_for(run):
    ws = run(variant(ISLET, drug={"ndc": "1234-5678-90"}))
    assert "quantity and unit" in next(f.message for f in ws.findings if f.rule == "ndc-missing")


def test_check_json_claim_object(run):
    summary = run(variant(ISLET, drug=LANTIDRA)).summary()
    assert summary["claim"] == {
        "form": "institutional",
        "billed_by": "facility",
        "place_of_service": None,
        "facility_rate": None,
        "type_of_bill": "0131",
        "condition_codes": [],
        "value_codes": {},
    }
    assert summary["procedures"] == []


def test_an_office_is_not_a_facility(run):
    ws = run(variant(MEDICARE_TRIAL, setting="office", billed_by="facility"))
    message = next(f.message for f in ws.findings if f.rule == "claim-form")
    assert "not a facility" in message


def test_justification_names_the_claim_form_and_each_pcs_code_with_why(run):
    text = " ".join(run(INPATIENT_FACILITY).justification)
    assert "Claim form: UB-04 / 837I · billed by facility · type of bill 0111" in text
    assert "condition code 30 · value code D4 01234567" in text
    assert "ICD-10-PCS) 3E033U1" in text and "nonautologous" in text


def test_revenue_code_for_a_range_of_codes_beats_the_line_kind(run):
    ws = run(variant(ISLET, drug=LANTIDRA, extra_lines=[{"code": "96372"}]))
    lines = {line["code"]: line["revenue_code"] for line in ws.summary()["lines"]}
    assert lines["96372"] == "0260"


def test_asc_facility_claim_on_the_ub04_uses_ambulatory_surgical_care(run):
    ws = run(variant(ISLET, setting="asc", drug=LANTIDRA))
    lines = {line["code"]: line["revenue_code"] for line in ws.summary()["lines"]}
    assert lines == {"0584T": "0490", "C9399": "0636"}


def test_inpatient_part_b_type_of_bill_is_accepted_with_a_warning_to_verify(run):
    ws = run(variant(ISLET, setting="inpatient", type_of_bill="0121"))
    assert "tob-setting" not in rules_of(ws)
    assert any(f.rule == "verify-reference" and "0121" in f.codes for f in ws.findings)


def test_the_worksheet_says_which_claim_facts_came_from_the_setting(run):
    derived = run(MEDICARE_TRIAL).claim.describe()
    assert "place of service 21 Inpatient hospital, from the setting (facility rate)" in derived
    entered = run(variant(MEDICARE_TRIAL, place_of_service="21")).claim.describe()
    assert "from the setting" not in entered

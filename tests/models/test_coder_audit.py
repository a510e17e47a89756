"""Wrong answers found by auditing the coder as a certified coder would: each test is a class
of claims the program answered wrongly, checked against the real reference."""

from __future__ import annotations

from typing import Any

import pytest

from tests.models.conftest import ADIPOSE, ISLET, MEDICARE_TRIAL, rules_of, variant

NDC = {"ndc": "73287-101-01", "quantity": 1, "unit": "UN"}
MEDICARE_ASC_FACILITY: dict[str, Any] = variant(
    MEDICARE_TRIAL, setting="asc", billed_by="facility", claim_type="professional"
)


def codes_of(worksheet):  # type: ignore[no-untyped-def]
    return [line.code for line in worksheet.lines]


def findings(worksheet, rule):  # type: ignore[no-untyped-def]
    return [f for f in worksheet.findings if f.rule == rule]


# ------------------------------------------------- the ASC's own claim on the professional form


@pytest.mark.parametrize("payer", ["medicare", "thp", "aetna"])
def test_asc_facility_claim_on_the_professional_form_bills_the_product_with_c9399(run, payer):
    """FACTS §1a: C9399 is the OPPS and ASC code; the ASC supplies the product and bills it
    on its own claim, which for Medicare is the CMS-1500 (FACTS-CLAIMS §2.3)."""
    answers = {"product": "donislecel"}
    if payer != "medicare":
        answers["nct_number"] = None
    ws = run(variant(MEDICARE_ASC_FACILITY, payer=payer, answers=answers, drug=NDC))
    assert "C9399" in codes_of(ws)
    assert "J3590" not in codes_of(ws)
    product = next(line for line in ws.lines if line.code == "C9399")
    assert product.ndc == "73287010101"
    assert not any("No product line" in f.message for f in ws.findings)


def test_practitioners_asc_claim_still_has_no_product_line(run):
    ws = run(
        variant(MEDICARE_ASC_FACILITY, billed_by="practitioner", answers={"product": "donislecel"})
    )
    assert "C9399" not in codes_of(ws)
    assert "J3590" not in codes_of(ws)


def test_asc_status_of_a_code_not_on_a_confirmed_asc_list_is_a_warning_to_verify(run):
    """FACTS-CLAIMS §4.6: the ASC status of G0341-G0343 is unconfirmed: a warning, not a
    silent ready."""
    ws = run(MEDICARE_ASC_FACILITY)
    status = findings(ws, "payment-status")
    assert status and all(f.severity == "warning" for f in status)
    assert "G0341" in status[0].codes
    assert ws.status == "review"
    surgeon = run(variant(MEDICARE_ASC_FACILITY, billed_by="practitioner"))
    assert not findings(surgeon, "payment-status")


# ------------------------------------------------ facility modifiers follow who bills the claim


def test_facility_only_modifier_on_the_asc_facility_claim_on_the_professional_form_is_right(run):
    ws = run(variant(MEDICARE_ASC_FACILITY, modifiers=["73"]))
    assert "modifier-claim-type" not in rules_of(ws)


def test_practitioner_only_modifier_on_the_asc_facility_claim_is_an_error(run):
    ws = run(variant(MEDICARE_ASC_FACILITY, modifiers=["53"]))
    assert "modifier-claim-type" in rules_of(ws, "error")
    surgeon = run(variant(MEDICARE_ASC_FACILITY, billed_by="practitioner", modifiers=["53"]))
    assert "modifier-claim-type" not in rules_of(surgeon)


# ------------------------------------------------------- Q0/Q1 on the inpatient facility claim


def test_trial_modifier_entered_on_the_inpatient_facility_claim_is_questioned(run):
    """FACTS-CLAIMS §2.11: inpatient technical claims carry Z00.6 but not Q0/Q1."""
    inpatient = variant(MEDICARE_TRIAL, claim_type="institutional", modifiers=["Q0"])
    found = findings(run(inpatient), "modifier-claim-type")
    assert found and found[0].severity == "warning"
    outpatient = variant(inpatient, setting="outpatient-hospital")
    assert not findings(run(outpatient), "modifier-claim-type")


# --------------------------------------------------------- ICD-10-CM before its compliance date


def test_icd10_diagnoses_before_october_2015_are_invalid(run):
    ws = run(variant(MEDICARE_TRIAL, date_of_service="2014-06-01"))
    invalid = findings(ws, "dx-invalid")
    assert {f.codes[0] for f in invalid} == {"E10.649", "Z00.6"}
    assert ws.status == "blocked"
    assert "dx-invalid" not in rules_of(run(variant(MEDICARE_TRIAL, date_of_service="2015-10-01")))


# ---------------------------------------------------------------- a code of the other family


@pytest.mark.parametrize(
    ("case", "code"),
    [
        (variant(ADIPOSE, extra_lines=[{"code": "0584T"}]), "0584T"),
        (variant(ADIPOSE, extra_lines=[{"code": "48160"}]), "48160"),
        (variant(ISLET, extra_lines=[{"code": "0490T"}]), "0490T"),
    ],
)
def test_a_code_of_the_other_family_is_a_finding(run, case, code):
    ws = run(case)
    found = findings(ws, "code-other-family")
    assert found and found[0].codes == (code,)
    assert ws.status != "ready"


def test_codes_of_the_cases_own_family_are_not_flagged(run):
    ws = run(variant(ISLET, extra_lines=[{"code": "S2102"}]))
    assert "code-other-family" not in rules_of(ws)


# ----------------------------------------------------- answers that contradict the donor type


def test_a_licensed_allogeneic_product_with_an_autologous_donor_is_a_warning(run):
    ws = run(variant(ISLET, answers={"donor": "autologous", "pancreatectomy": "none"}))
    found = [f for f in findings(ws, "answer-not-applicable") if f.codes == ("product",)]
    assert found and found[0].severity == "warning"


def test_a_neutral_answer_to_a_question_that_does_not_apply_stays_an_info(run):
    ws = run(variant(ISLET, answers={"product": "none", "donor": "autologous",
                                     "pancreatectomy": "none"}))
    found = [f for f in findings(ws, "answer-not-applicable") if f.codes == ("product",)]
    assert found and found[0].severity == "info"


def test_c9399_on_the_asc_facility_claim_is_not_questioned_and_j3590_there_is(run):
    ws = run(variant(MEDICARE_ASC_FACILITY, answers={"product": "donislecel"}, drug=NDC))
    assert not [f for f in findings(ws, "code-setting") if "C9399" in f.codes]
    entered = run(variant(MEDICARE_ASC_FACILITY, extra_lines=[{"code": "J3590", "ndc": "73287-101-01"}]))
    questioned = [f for f in findings(entered, "code-setting") if "J3590" in f.codes]
    assert questioned and "C9399" in questioned[0].message


def test_donislecel_before_its_fda_approval_is_questioned(run):
    before = run(variant(ISLET, date_of_service="2022-06-01"))
    assert [f for f in findings(before, "product-label") if "June 2023" in f.message]
    after = run(variant(ISLET, date_of_service="2023-07-01"))
    assert not [f for f in findings(after, "product-label") if "June 2023" in f.message]


# ------------------------------------- a Medicare nationally non-covered service without GA/GZ

MEDICARE_AUTOLOGOUS_SEPARATE = variant(
    MEDICARE_TRIAL,
    answers={"donor": "autologous", "pancreatectomy": "none", "nct_number": None,
             "infusion_number": None},
    diagnoses=["K86.1"],
)


def test_medicare_non_covered_islet_transplant_without_abn_modifier_is_an_error(run):
    """FACTS-CLAIMS §7.4: outside a trial Medicare does not cover islet transplantation (NCD
    260.3): the claim is billed for a denial with GA or GZ, or not at all."""
    ws = run(MEDICARE_AUTOLOGOUS_SEPARATE)
    assert "G0341" in codes_of(ws)
    assert "investigational" in rules_of(ws, "error")
    assert ws.status == "blocked"


@pytest.mark.parametrize("modifier", ["GA", "GZ"])
def test_medicare_non_covered_service_billed_for_a_denial_is_a_warning(run, modifier):
    ws = run(variant(MEDICARE_AUTOLOGOUS_SEPARATE, modifiers=[modifier]))
    assert "investigational" not in rules_of(ws, "error")
    assert "liability-modifier" in rules_of(ws, "warning")
    assert ws.status == "review"


def test_non_covered_on_the_inpatient_facility_claim_stays_a_warning(run):
    """No ABN on an inpatient Part A claim: the warning asks to verify, it does not block."""
    ws = run(variant(MEDICARE_AUTOLOGOUS_SEPARATE, claim_type="institutional"))
    assert "investigational" in rules_of(ws, "warning")
    assert "investigational" not in rules_of(ws, "error")


def test_opps_status_not_confirmed_is_a_warning_on_medicares_outpatient_claim(run):
    """FACTS-CLAIMS §4.5: the OPPS status indicators of G0341-G0343 are unconfirmed."""
    hospital = variant(MEDICARE_TRIAL, claim_type="institutional", setting="outpatient-hospital")
    status = [f for f in findings(run(hospital), "payment-status") if "G0341" in f.codes]
    assert status and status[0].severity == "warning" and "Addendum B" in status[0].message
    commercial = variant(ISLET, answers={"product": "none"})
    assert not findings(run(commercial), "payment-status")


# ------------------------------------------------------------- deleted codes a coder still meets


@pytest.mark.parametrize("code", ["0141T", "0142T", "0143T"])
def test_former_islet_category_iii_codes_are_not_effective(run, code):
    """FACTS-CLAIMS §9.5: 0141T-0143T are absent from every fee schedule from 2019."""
    found = findings(run(variant(ISLET, extra_lines=[{"code": code}])), "code-not-effective")
    assert found and found[0].codes == (code,) and found[0].severity == "error"


def test_g0431_for_g0341_is_caught(run):
    """FACTS-CLAIMS §15.1: G0431 is a terminated drug screen, a typo for G0341."""
    ws = run(variant(MEDICARE_TRIAL, extra_lines=[{"code": "G0431", "modifiers": ["Q1"]}]))
    assert "code-not-effective" in rules_of(ws, "error")
    assert any("G0341" in f.message for f in findings(ws, "known-confusion"))


def test_published_taxonomy_errors_name_the_right_code(run):
    """FACTS-CLAIMS §15.2-15.3: taxonomy codes published with wrong meanings."""
    invalid = run(variant(ISLET, rendering_taxonomy="2080S0004X"))
    assert any("204F00000X" in f.message for f in findings(invalid, "taxonomy-invalid"))
    assert "taxonomy-invalid" in rules_of(invalid, "error")
    for case, code, right in (
        (ISLET, "208000000X", "208600000X"),
        (ISLET, "207K00000X", "207R00000X"),
        (ADIPOSE, "2084P0800X", "207RR0500X"),
        (ADIPOSE, "207T00000X", "208100000X"),
    ):
        ws = run(variant(case, rendering_taxonomy=code))
        assert any(right in f.message for f in findings(ws, "known-confusion")), code


def test_gx_is_a_known_liability_modifier(run):
    """FACTS-CLAIMS §7.1: GX (voluntary notice of liability) exists from 2010-04-01."""
    case = variant(ISLET, claim_type="professional", setting="office", modifiers=["GY", "GX"])
    assert "unknown-modifier" not in rules_of(run(case))
    early = variant(case, date_of_service="2009-06-01")
    assert any(f.codes[-1] == "GX" for f in findings(run(early), "unknown-modifier"))


def test_a_line_with_its_own_date_is_dated_by_it(run):
    """A line billed on another date than the case is judged on its own date of service."""
    case = variant(
        ISLET, claim_type="professional", setting="office", date_of_service="2020-01-02",
        answers={"product": "none"},
        extra_lines=[{"code": "0586T", "date_of_service": "2019-12-30", "modifiers": ["79"]}],
    )
    found = [f for f in findings(run(case), "code-not-effective") if f.codes == ("0586T",)]
    assert found and "2019-12-30" in found[0].message


def test_type_1_diabetes_with_postpancreatectomy_codes_is_questioned(run):
    """FACTS §5: postpancreatectomy diabetes is E89.1 + E13.- + Z90.41-, not E10.-."""
    ws = run(variant(ISLET, diagnoses=["E10.649", "Z90.410"]))
    assert "dx-combination" in rules_of(ws, "warning")
    right = run(variant(ISLET, diagnoses=["E10.649", "Z94.0"]))
    assert "dx-combination" not in rules_of(right)


def test_an_entered_revenue_code_resting_on_an_inference_asks_to_verify(run):
    """FACTS-CLAIMS §2.7: 0891 for donislecel is unconfirmed, entered or derived."""
    case = variant(ISLET, answers={"product": "none"},
                   extra_lines=[{"code": "C9399", "revenue_code": "0891", "ndc": "73287-101-01"}])
    found = [f for f in findings(run(case), "verify-reference") if "0891" in f.message]
    assert found and found[0].severity == "warning"
    plain = variant(case, extra_lines=[{"code": "C9399", "revenue_code": "0636",
                                        "ndc": "73287-101-01"}])
    assert not [f for f in findings(run(plain), "verify-reference") if "0636" in f.message]


def test_islet_transplant_in_the_office_is_questioned(run):
    """FACTS-CLAIMS §1.5: POS 11 is essentially never the setting of an islet infusion."""
    office = run(variant(MEDICARE_TRIAL, setting="office"))
    found = [f for f in findings(office, "code-setting") if "office" in f.message]
    assert found and found[0].severity == "warning"
    assert office.status == "review"
    assert not findings(run(MEDICARE_TRIAL), "code-setting")


def test_tpiat_outside_an_inpatient_stay_is_questioned(run):
    tpiat = variant(
        ISLET, payer="cigna", claim_type="professional", setting="inpatient",
        answers={"donor": "autologous", "pancreatectomy": "total", "approach": "open",
                 "product": None, "infusion_number": None, "severe_hypoglycemia": None,
                 "immunosuppression": None, "prior_renal_transplant": None},
        diagnoses=["K86.1"],
    )
    assert not [f for f in findings(run(tpiat), "code-setting") if "48160" in f.codes]
    outpatient = run(variant(tpiat, setting="outpatient-hospital"))
    found = [f for f in findings(outpatient, "code-setting") if "48160" in f.codes]
    assert found and found[0].severity == "warning"


def test_a_visit_on_the_hospitals_inpatient_claim_is_questioned(run):
    """A practitioner's E/M during an inpatient stay goes on the professional claim."""
    inpatient = variant(MEDICARE_TRIAL, claim_type="institutional",
                        extra_lines=[{"code": "99223"}])
    ws = run(inpatient)
    found = [f for f in findings(ws, "code-setting") if f.codes == ("99223",)]
    assert found and found[0].severity == "warning"
    visit = next(line for line in ws.lines if line.code == "99223")
    assert visit.revenue_code is None
    outpatient = run(variant(inpatient, setting="outpatient-hospital",
                             extra_lines=[{"code": "99213", "modifiers": ["25", "Q1"]}]))
    assert not [f for f in findings(outpatient, "code-setting") if f.codes == ("99213",)]

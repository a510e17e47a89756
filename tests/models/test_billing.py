"""Whole-claim billing rules (issue 8 part B): who bills what, payment status, the global
package, anesthesia, liability modifiers, codes outside the families, dates and policies."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.case import Case
from models.coder import check
from models.reference import open_reference
from tests.models.billing_cases import (
    ANESTHESIOLOGIST,
    MEDICARE_LAP,
    SURGEON_INPATIENT,
    TPIAT_CIGNA,
    TPIAT_MEDICARE,
)
from tests.models.conftest import ADIPOSE, ISLET, MEDICARE_TRIAL, rules_of, variant


def findings(worksheet, rule):  # type: ignore[no-untyped-def]
    return [f for f in worksheet.findings if f.rule == rule]


# ---------------------------------------------------------------- drug-billed-by-facility


@pytest.mark.parametrize(
    "case",
    [
        variant(SURGEON_INPATIENT, extra_lines=[{"code": "J7517", "units": 4}]),
        variant(SURGEON_INPATIENT, setting="outpatient-hospital", extra_lines=[{"code": "J3590"}]),
        variant(
            SURGEON_INPATIENT,
            setting="outpatient-hospital",
            place_of_service="19",
            extra_lines=[{"code": "J7520"}],
        ),
        variant(SURGEON_INPATIENT, setting="asc", extra_lines=[{"code": "C9399"}]),
    ],
)
def test_drug_line_on_the_practitioners_facility_claim_is_an_error(run, case):
    ws = run(case)
    assert "drug-billed-by-facility" in rules_of(ws, "error")
    assert ws.status == "blocked"


@pytest.mark.parametrize(
    "case",
    [
        variant(ISLET, claim_type="professional", setting="office"),  # J3590 bought by the office
        variant(ISLET, extra_lines=[{"code": "J7517", "units": 4}]),  # hospital outpatient claim
        variant(  # a Medicare-style ASC facility claim on the professional form
            ISLET,
            payer="thp",
            claim_type="professional",
            billed_by="facility",
            setting="asc",
            extra_lines=[{"code": "J7520"}],
        ),
    ],
)
def test_drug_line_on_the_facilitys_own_claim_or_in_the_office_is_fine(run, case):
    assert "drug-billed-by-facility" not in rules_of(run(case))


# ---------------------------------------------------------------- payment-status


def test_48160_is_status_n_on_the_medicare_practitioner_claim(run):
    ws = run(TPIAT_MEDICARE)
    errors = findings(ws, "payment-status")
    assert errors and errors[0].severity == "error"
    assert "status N" in errors[0].message and "GA or GZ" in errors[0].message
    assert ws.status == "blocked"


def test_commercial_payer_whose_policy_covers_48160_is_not_questioned(run):
    assert "payment-status" not in rules_of(run(TPIAT_CIGNA))
    uhc = run(variant(TPIAT_CIGNA, payer="uhc"))
    assert "payment-status" in rules_of(uhc, "warning")
    assert "payment-status" not in rules_of(uhc, "error")


def test_s_code_is_status_i_for_medicare(run):
    ws = run(variant(MEDICARE_TRIAL, extra_lines=[{"code": "S2102", "modifiers": ["Q0"]}]))
    assert any("status I" in f.message for f in findings(ws, "payment-status"))


def test_inpatient_only_list_applies_to_the_hospital_outpatient_claim_only(run):
    hospital = variant(TPIAT_MEDICARE, claim_type="institutional", setting="outpatient-hospital")
    ws = run(hospital)
    opps = [f for f in findings(ws, "payment-status") if "inpatient-only" in f.message]
    assert opps and all(f.severity == "warning" for f in opps), "unconfirmed IPO row: a warning"
    surgeon = run(variant(TPIAT_MEDICARE, setting="outpatient-hospital"))
    assert not any("inpatient-only" in f.message for f in findings(surgeon, "payment-status"))


def test_asc_excluded_code_on_the_ascs_claim(run):
    asc = variant(
        ISLET,
        claim_type="professional",
        billed_by="facility",
        setting="asc",
        answers={"product": "none"},
    )
    ws = run(asc)
    excluded = [f for f in findings(ws, "payment-status") if "Addendum EE" in f.message]
    assert excluded and excluded[0].severity == "warning"  # THP: Medicare's list, verify
    surgeon = run(variant(asc, billed_by="practitioner"))
    assert not any("Addendum EE" in f.message for f in findings(surgeon, "payment-status"))


def test_major_operation_billed_in_the_office_is_questioned(run):
    ws = run(variant(MEDICARE_LAP, setting="office"))
    assert any("non-facility" in f.message for f in findings(ws, "payment-status"))
    percutaneous = run(variant(MEDICARE_TRIAL, setting="office"))
    assert not any("non-facility" in f.message for f in findings(percutaneous, "payment-status"))


# ---------------------------------------------------------------- liability-modifier


@pytest.mark.parametrize(("modifier", "liable"), [("GA", "beneficiary"), ("GZ", "provider")])
def test_status_n_billed_for_a_denial_is_a_warning_naming_who_is_liable(run, modifier, liable):
    ws = run(variant(TPIAT_MEDICARE, modifiers=[modifier]))
    liability = findings(ws, "liability-modifier")
    assert liability and liability[0].severity == "warning" and liable in liability[0].message
    assert "payment-status" not in rules_of(ws, "error")
    assert ws.status == "review"


def test_gy_does_not_fit_a_non_covered_service(run):
    ws = run(variant(TPIAT_MEDICARE, modifiers=["GY"]))
    assert "payment-status" in rules_of(ws, "error")
    assert any("GY does not fit" in f.message for f in findings(ws, "payment-status"))


def test_allogeneic_outside_a_trial_billed_with_ga_is_a_claim_for_a_denial(run):
    no_trial = variant(MEDICARE_TRIAL, answers={"nct_number": None}, diagnoses=["E10.649"])
    assert "trial-required" in rules_of(run(no_trial), "error")
    ws = run(variant(no_trial, modifiers=["GA"]))
    assert "trial-required" not in rules_of(ws)
    liability = findings(ws, "liability-modifier")
    assert liability and "Original Medicare" in liability[0].message
    assert ws.status == "review"


def test_medicare_advantage_trial_costs_go_to_original_medicare(run):
    ws = run(variant(MEDICARE_TRIAL, payer="medicare-advantage"))
    notes = [f for f in findings(ws, "trial-billing") if f.severity == "warning"]
    assert notes and "Original Medicare" in notes[0].message


# ---------------------------------------------------------------- global-package


@pytest.mark.parametrize(
    ("modifiers", "flagged"),
    [(["Q1"], True), (["25", "Q1"], True), (["57", "Q1"], False)],
)
def test_em_on_the_day_of_a_090_day_procedure_needs_57(run, modifiers, flagged):
    ws = run(variant(MEDICARE_LAP, extra_lines=[{"code": "99223", "modifiers": modifiers}]))
    assert ("global-package" in rules_of(ws, "error")) is flagged


def test_em_the_day_before_a_major_procedure_and_after_it(run):
    day_before = {"code": "99222", "modifiers": ["Q1"], "date_of_service": "2026-03-11"}
    assert "global-package" in rules_of(run(variant(MEDICARE_LAP, extra_lines=[day_before])))
    two_days = {**day_before, "date_of_service": "2026-03-10"}
    assert "global-package" not in rules_of(run(variant(MEDICARE_LAP, extra_lines=[two_days])))
    post_op = {"code": "99232", "modifiers": ["Q1"], "date_of_service": "2026-03-17"}
    ws = run(variant(MEDICARE_LAP, extra_lines=[post_op]))
    assert any("post-operative" in f.message for f in findings(ws, "global-package"))
    unrelated = {**post_op, "modifiers": ["24", "Q1"]}
    assert "global-package" not in rules_of(run(variant(MEDICARE_LAP, extra_lines=[unrelated])))


def test_em_on_the_day_of_a_minor_procedure_needs_25(run):
    visit = {"code": "99214", "modifiers": ["Q1"]}
    assert "global-package" in rules_of(run(variant(MEDICARE_TRIAL, extra_lines=[visit])), "error")
    separate = {"code": "99214", "modifiers": ["25", "Q1"]}
    assert "global-package" not in rules_of(run(variant(MEDICARE_TRIAL, extra_lines=[separate])))


def test_contractor_global_is_a_verify_warning(run):
    ws = run(variant(ISLET, claim_type="professional", extra_lines=[{"code": "99214"}]))
    package = findings(ws, "global-package")
    assert package and package[0].severity == "warning" and "YYY" in package[0].message


def test_drug_administration_by_the_operating_surgeon(run):
    push = {"code": "96374", "modifiers": ["Q1"]}
    assert "global-package" in rules_of(run(variant(MEDICARE_LAP, extra_lines=[push])), "error")
    facility = variant(ISLET, extra_lines=[{"code": "96374"}])
    assert "global-package" not in rules_of(run(facility))


def test_repeat_procedure_in_the_post_operative_period(run):
    repeat = {"code": "G0342", "modifiers": ["Q0"], "date_of_service": "2026-03-30"}
    assert "global-package" in rules_of(run(variant(MEDICARE_LAP, extra_lines=[repeat])), "error")
    returned = {**repeat, "modifiers": ["78", "Q0"]}
    assert "global-package" not in rules_of(run(variant(MEDICARE_LAP, extra_lines=[returned])))


# ---------------------------------------------------------------- anesthesia-claim


def test_anesthesia_providers_claim_reports_the_anesthesia_code_only(run):
    ws = run(variant(ANESTHESIOLOGIST, payer="medicare"))
    assert [line.code for line in ws.lines] == ["00794"]
    assert "anesthesia-claim" not in rules_of(ws)
    assert "taxonomy-unexpected" not in rules_of(ws)
    assert "payment-status" not in rules_of(ws)


def test_anesthesia_line_needs_the_pricing_modifier_first_and_minutes_for_medicare(run):
    crna = variant(ANESTHESIOLOGIST, payer="medicare", rendering_taxonomy="367500000X")
    no_time = variant(crna, extra_lines=[{"code": "00794", "modifiers": ["QZ"]}])
    assert any("minutes" in f.message for f in findings(run(no_time), "anesthesia-claim"))
    late = variant(crna, extra_lines=[{"code": "00794", "modifiers": ["QS", "QZ"], "minutes": 95}])
    assert any("not first" in f.message for f in findings(run(late), "anesthesia-claim"))
    missing = variant(crna, extra_lines=[{"code": "00794", "minutes": 95}])
    assert "anesthesia-claim" in rules_of(run(missing), "error")


def test_anesthesia_taxonomy_without_an_anesthesia_code_is_questioned(run):
    # e.g. 207L00000X entered for "endocrinology" (a published summary's error)
    ws = run(variant(ANESTHESIOLOGIST, extra_lines=[]))
    assert [line.code for line in ws.lines] == ["48160"], "still the surgeon's claim"
    hint = findings(ws, "anesthesia-claim")
    assert hint and hint[0].severity == "warning" and "00794" in hint[0].message
    assert "taxonomy-unexpected" in rules_of(ws)


def test_anesthesia_crosswalk_and_other_payers_time_are_verify_warnings(run):
    ws = run(ANESTHESIOLOGIST)  # Cigna: time units not confirmed
    assert all(f.severity == "warning" for f in findings(ws, "anesthesia-claim"))
    other = variant(
        ANESTHESIOLOGIST,
        payer="medicare",
        extra_lines=[{"code": "00790", "modifiers": ["AA"], "minutes": 300}],
    )
    crosswalk = findings(run(other), "anesthesia-claim")
    assert crosswalk and crosswalk[0].severity == "warning" and "00794" in crosswalk[0].message


def test_anesthesia_code_outside_the_shipped_list_is_still_anesthesia(run):
    ws = run(
        variant(
            ANESTHESIOLOGIST, extra_lines=[{"code": "00797", "modifiers": ["AA"], "minutes": 60}]
        )
    )
    assert "code-outside-scope" in rules_of(ws, "warning")
    assert not any("none is entered" in f.message for f in findings(ws, "anesthesia-claim"))
    surgeon = run(variant(TPIAT_CIGNA, extra_lines=[{"code": "00797"}]))
    assert "anesthesia-claim" in rules_of(surgeon, "error")


@pytest.mark.parametrize("claim_type", ["professional", "institutional"])
def test_anesthesia_code_on_the_surgeons_or_facilitys_claim_is_an_error(run, claim_type):
    ws = run(variant(TPIAT_CIGNA, claim_type=claim_type, extra_lines=[{"code": "00794"}]))
    assert "anesthesia-claim" in rules_of(ws, "error")


def test_modifier_47_is_flagged_for_medicare_only(run):
    medicare = run(variant(MEDICARE_TRIAL, modifiers=["47"]))
    assert "anesthesia-claim" in rules_of(medicare, "warning")
    thp = run(variant(SURGEON_INPATIENT, modifiers=["47"]))
    assert "anesthesia-claim" not in rules_of(thp)


# ---------------------------------------------------------------- code-outside-scope


@pytest.mark.parametrize("code", ["36556", "99499", "J1100", "0001U"])
def test_well_formed_code_outside_the_families_is_a_warning(run, code):
    ws = run(variant(ISLET, extra_lines=[{"code": code}]))
    assert "code-outside-scope" in rules_of(ws, "warning")
    assert "unknown-code" not in rules_of(ws)


@pytest.mark.parametrize("code", ["4816", "481600", "ABCDE", "W1234", "0584X"])
def test_malformed_code_stays_an_error(run, code):
    ws = run(variant(ISLET, extra_lines=[{"code": code}]))
    assert "unknown-code" in rules_of(ws, "error")


@pytest.mark.parametrize(
    "code",
    ["99214", "38100", "38102", "47562", "48140", "00790", "96365", "J7517", "J7507", "15769"],
)
def test_neighbour_codes_are_recognised(run, code):
    ws = run(
        variant(
            ADIPOSE, extra_lines=[{"code": code, "modifiers": ["25"] if code == "99214" else []}]
        )
    )
    assert not {"code-outside-scope", "unknown-code"} & rules_of(ws)
    assert ws.lines[-1].descriptor


def test_a_loaded_code_set_decides_existence(tmp_path: Path):
    from models.cpt import load_licensed_cpt

    licensed = tmp_path / "cpt.csv"
    licensed.write_text("code,descriptor\n36556,Central venous catheter\n", encoding="utf-8")
    named = tmp_path / "site.sqlite"
    load_licensed_cpt(named, licensed)
    reference = open_reference(named)
    try:

        def rules(code: str) -> set[str]:
            case = Case.model_validate(variant(ISLET, extra_lines=[{"code": code}]))
            return rules_of(check(case, reference))

        assert "code-outside-scope" in rules("36556")
        assert "unknown-code" in rules("36555")
        assert "code-outside-scope" in rules("J1100"), "no HCPCS file loaded"
    finally:
        reference.close()


# ---------------------------------------------------------------- dates, payers, policies


def test_0489t_effective_from_2018(run):
    assert "code-not-effective" not in rules_of(run(variant(ADIPOSE, date_of_service="2018-01-02")))
    assert "code-not-effective" in rules_of(
        run(variant(ADIPOSE, date_of_service="2017-12-29")), "error"
    )


def test_e16a_codes_are_invalid_before_fy2025(run):
    early = run(variant(ISLET, date_of_service="2024-09-30", diagnoses=["E10.649", "E16.A3"]))
    assert "dx-invalid" in rules_of(early, "error")
    late = run(variant(ISLET, date_of_service="2024-10-01", diagnoses=["E10.649", "E16.A3"]))
    assert "dx-invalid" not in rules_of(late)


def test_category_iii_before_its_date_names_what_applied_then(run):
    ws = run(variant(ISLET, payer="bcbs", date_of_service="2019-06-03"))
    message = findings(ws, "code-not-effective")[0].message
    assert "48999" in message and "verify" in message


def test_thp_policy_before_its_effective_date(run):
    ws = run(variant(ISLET, date_of_service="2026-01-23"))
    assert "policy-not-in-effect" in rules_of(ws, "warning")
    assert not {"prior-authorization", "payer-policy-conflict", "coverage-criterion"} & rules_of(ws)
    assert not ws.criteria
    assert "policy-not-in-effect" not in rules_of(run(variant(ISLET, date_of_service="2026-01-24")))


def test_thp_allogeneic_criteria_rest_on_donislecel(run):
    ws = run(variant(ISLET, answers={"product": "none"}))
    assert any(c.criterion == "donislecel" and c.outcome == "not-met" for c in ws.criteria)
    assert "investigational" in rules_of(ws)
    assert any(c.criterion == "donislecel" and c.outcome == "met" for c in run(ISLET).criteria)


@pytest.mark.parametrize(
    ("base", "taxonomy", "answers", "unexpected"),
    [
        (TPIAT_CIGNA, "2086S0120X", {}, False),  # pediatric surgery
        (TPIAT_CIGNA, "2086X0206X", {}, False),  # surgical oncology
        (TPIAT_CIGNA, "204F00000X", {}, False),  # transplant surgery
        (ISLET, "2085R0202X", {}, False),  # diagnostic radiology, percutaneous infusion
        (ISLET, "2085R0202X", {"approach": "open"}, True),
        (ADIPOSE, "207RR0500X", {"services": "injection"}, False),  # rheumatology, 0490T
        (ADIPOSE, "207RR0500X", {"services": "harvest"}, True),
        (ADIPOSE, "2082S0105X", {}, False),  # hand surgery
        (ISLET, "207RR0500X", {}, True),
    ],
)
def test_taxonomy_expected_fits_procedure_and_approach(run, base, taxonomy, answers, unexpected):
    ws = run(variant(base, rendering_taxonomy=taxonomy, answers=answers))
    assert ("taxonomy-unexpected" in rules_of(ws)) is unexpected


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({"pancreatectomy": "partial"}, "48160"),
        ({"pancreatectomy": "total", "approach": "laparoscopic"}, "48999"),
        ({"pancreatectomy": "near-total", "pancreatectomy_approach": "robotic"}, "48999"),
        ({"approach": "laparoscopic", "pancreatectomy_approach": "open"}, "48160"),
    ],
)
def test_pancreatectomy_approach_decides_48160_or_unlisted_48999(run, answers, code):
    ws = run(variant(TPIAT_CIGNA, answers=answers))
    assert [line.code for line in ws.lines] == [code]


def test_partial_pancreatectomy_with_islets_is_48160_alone(run):
    partial = variant(TPIAT_CIGNA, answers={"pancreatectomy": "partial"})
    ws = run(partial)
    assert any(
        c.criterion == "total-pancreatectomy" and c.outcome == "not-met" for c in ws.criteria
    )
    unbundled = run(variant(partial, extra_lines=[{"code": "48146"}]))
    assert "included-service" in rules_of(unbundled, "error")


def test_inference_edits_give_warnings_not_errors(run):
    ws = run(variant(MEDICARE_TRIAL, extra_lines=[{"code": "76937", "modifiers": ["Q1"]}]))
    assert "included-service" in rules_of(ws, "warning")
    assert "included-service" not in rules_of(ws, "error")


def test_anesthesia_time_may_be_the_lines_quantity_and_case_modifiers_go_on_it(run):
    base = variant(ANESTHESIOLOGIST, payer="medicare", modifiers=["AA"])
    as_units = variant(base, extra_lines=[{"code": "00794", "units": 380}])
    ws = run(as_units)
    assert ws.lines[0].modifiers == ("AA",)
    assert "anesthesia-claim" not in rules_of(ws)
    one = variant(base, extra_lines=[{"code": "00794", "units": 1}])
    assert "anesthesia-claim" in rules_of(run(one), "error")


def test_rows_resting_on_inference_warn_in_the_billing_rules(run):
    # 48146's 090-day global is the reference's inference (by analogy with 48150-48155)
    ws = run(
        variant(
            SURGEON_INPATIENT,
            answers={"product": "none"},
            extra_lines=[{"code": "48146"}, {"code": "99223"}],
        )
    )
    package = [f for f in findings(ws, "global-package") if "48146" in f.codes]
    assert package and all(f.severity == "warning" for f in package)
    # C9000-C9399 as drugs is an inference range
    drug = run(variant(SURGEON_INPATIENT, extra_lines=[{"code": "C9100"}]))
    assert "drug-billed-by-facility" in rules_of(drug, "warning")
    assert "drug-billed-by-facility" not in rules_of(drug, "error")


def test_thps_inpatient_only_statement_on_lantidra_warns_on_outpatient_claims_only(run):
    outpatient = [
        f for f in findings(run(ISLET), "payment-status") if "inpatient-only" in f.message
    ]
    assert outpatient and outpatient[0].severity == "warning"
    inpatient = run(variant(ISLET, setting="inpatient"))
    assert not any("inpatient-only" in f.message for f in findings(inpatient, "payment-status"))
    aetna = run(variant(ISLET, payer="aetna"))
    assert not any("inpatient-only" in f.message for f in findings(aetna, "payment-status"))


def test_one_anesthetic_is_one_anesthesia_code(run):
    adipose = variant(
        ADIPOSE,
        payer="medicare",
        rendering_taxonomy="367500000X",
        extra_lines=[
            {"code": "00400", "modifiers": ["QZ"], "minutes": 40},
            {"code": "01810", "modifiers": ["QZ"], "minutes": 25},
        ],
    )
    ws = run(adipose)
    assert [line.code for line in ws.lines] == ["00400", "01810"]
    assert any("one anesthetic" in f.message for f in findings(ws, "anesthesia-claim"))
    single = variant(adipose, extra_lines=[{"code": "00400", "modifiers": ["QZ"], "minutes": 65}])
    assert "anesthesia-claim" not in rules_of(run(single))


def test_denial_on_the_institutional_claim_names_occurrence_32_and_condition_21(run):
    outpatient = variant(
        MEDICARE_TRIAL,
        claim_type="institutional",
        setting="outpatient-hospital",
        answers={"nct_number": None},
        diagnoses=["E10.649"],
        modifiers=["GA"],
    )
    liability = findings(run(outpatient), "liability-modifier")
    assert liability and "occurrence code 32" in liability[0].message
    assert "condition code 21" in liability[0].message


def test_assistant_at_surgery_indicator_on_medicare_claims(run):
    assistant = run(variant(MEDICARE_TRIAL, modifiers=["Q0", "80"]))
    flagged = [f for f in findings(assistant, "payment-status") if "assistant" in f.message]
    assert flagged and flagged[0].severity == "warning"
    major = run(variant(MEDICARE_LAP, modifiers=["Q0", "80"]))
    assert not any("assistant" in f.message for f in findings(major, "payment-status"))


def test_anesthesia_status_j_on_the_surgeons_medicare_claim(run):
    ws = run(variant(MEDICARE_TRIAL, extra_lines=[{"code": "01931", "modifiers": ["Q1"]}]))
    assert any("status J" in f.message for f in findings(ws, "payment-status"))
    assert "anesthesia-claim" in rules_of(ws, "error")
    crna = variant(
        MEDICARE_TRIAL,
        rendering_taxonomy="367500000X",
        extra_lines=[{"code": "01931", "modifiers": ["QZ", "Q1"], "minutes": 50}],
    )
    assert "payment-status" not in rules_of(run(crna))

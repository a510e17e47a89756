"""Wrong answers found by a second, independent audit (diagnoses, modifiers, the hands
family): each test is a class of claims the program answered wrongly, checked against the
real reference."""

from __future__ import annotations

from typing import Any

import pytest

from tests.models.billing_cases import AUTOLOGOUS as TPIAT_ANSWERS
from tests.models.conftest import ADIPOSE, ISLET, MEDICARE_TRIAL, rules_of, variant

AUTOLOGOUS: dict[str, Any] = variant(
    ISLET,
    payer="cigna",
    claim_type="professional",
    setting="inpatient",
    answers=dict(TPIAT_ANSWERS),
    diagnoses=["K86.1"],
    rendering_taxonomy="204F00000X",
)


def findings(worksheet, rule):  # type: ignore[no-untyped-def]
    return [f for f in worksheet.findings if f.rule == rule]


# ------------------------------------------- postpancreatectomy diabetes: E89.1 + E13.- + Z90.41-


@pytest.mark.parametrize(
    ("diagnoses", "missing"),
    [
        (["K86.1", "E89.1", "Z90.410"], "E13"),
        (["K86.1", "E89.1", "E13.9"], "Z90.41"),
        (["K86.1", "E13.649", "Z90.411"], "E89.1"),
    ],
)
def test_postpancreatectomy_diabetes_is_coded_with_all_three_codes(run, diagnoses, missing):
    """Guideline I.C.4.a.6.b.i (FACTS §5): postpancreatectomy diabetes is E89.1 with a code
    from E13.- and one from Z90.41-; one of the three alone is an incomplete coding."""
    ws = run(variant(AUTOLOGOUS, diagnoses=diagnoses))
    combination = findings(ws, "dx-combination")
    assert any(missing in f.message for f in combination), combination
    assert all(f.severity == "warning" for f in combination)
    complete = run(variant(AUTOLOGOUS, diagnoses=["K86.1", "E89.1", "E13.9", "Z90.410"]))
    assert not findings(complete, "dx-combination")


def test_postpancreatectomy_diabetes_lists_e89_1_before_its_e13_code(run):
    ws = run(variant(AUTOLOGOUS, diagnoses=["K86.1", "E13.9", "E89.1", "Z90.410"]))
    combination = findings(ws, "dx-combination")
    assert combination and "E89.1" in combination[0].message
    assert combination[0].codes == ("E89.1", "E13.9")


# ------------------------------------------------ an unspecified-side code when the side is known


@pytest.mark.parametrize("code", ["M79.643", "M79.646", "L98.A399"])
@pytest.mark.parametrize("hands", ["right", "left", "both"])
def test_unspecified_hand_code_when_the_side_treated_is_known_is_questioned(run, code, hands):
    """Guideline I.B.13 (FACTS-CLAIMS §13.1): the unspecified side is for a record that does
    not say; the worksheet knows which hands were treated."""
    ws = run(variant(ADIPOSE, answers={"services": "both", "hands": hands},
                     diagnoses=["M34.1", code]))
    laterality = findings(ws, "dx-laterality")
    assert [f.codes for f in laterality] == [(code,)]
    assert laterality[0].severity == "warning"
    unanswered = run(variant(ADIPOSE, diagnoses=["M34.1", code]))
    assert not findings(unanswered, "dx-laterality")


# ---------------------------------------- anatomic (finger) modifiers are modifiers of the reference


def test_finger_modifiers_are_known_and_judged_against_the_code(run):
    """FACTS-CLAIMS §11.4: FA and F1-F9 are NCCI-associated anatomic modifiers (HCPCS Level
    II): not 'unknown', allowed on a code with sides, not on 0490T (one code for one or both
    hands)."""
    graft = {"code": "15773", "modifiers": ["F1"], "units": 1}
    ws = run(variant(ADIPOSE, answers={"services": "harvest"}, extra_lines=[graft]))
    assert "unknown-modifier" not in rules_of(ws)
    injection = run(variant(ADIPOSE, answers={"services": "injection"}, modifiers=["F6"]))
    assert "unknown-modifier" not in rules_of(injection)
    assert "modifier-not-for-line" in rules_of(injection, "error")


def test_a_finger_of_one_hand_with_the_other_side_is_a_conflict(run):
    graft = {"code": "15773", "modifiers": ["RT", "FA"], "units": 1}
    ws = run(variant(ADIPOSE, answers={"services": "harvest"}, extra_lines=[graft]))
    assert "modifier-conflict" in rules_of(ws, "error")


# ------------------------------------------------- Q1 (routine) on the service the trial studies


@pytest.mark.parametrize("entered", ["Q1"])
def test_routine_q1_on_the_transplant_the_trial_studies_is_questioned(run, entered):
    """CR 5805 (FACTS §7, FACTS-CLAIMS §2.11): Q0 marks the investigational service; the
    program derives Q0 for the transplant, so a Q1 entered there is not silently ready."""
    ws = run(variant(MEDICARE_TRIAL, modifiers=[entered]))
    questioned = [f for f in findings(ws, "trial-modifier") if entered in f.codes]
    assert questioned and questioned[0].severity == "warning"
    assert ws.status == "review"
    assert not findings(run(variant(MEDICARE_TRIAL, modifiers=["Q0"])), "trial-modifier")


# --------------------------------------------------- pricing modifiers before informational ones


def test_a_pricing_modifier_after_an_informational_one_is_questioned(run):
    """Claim instructions put the modifiers that change the payment (22, 50, 52, 62, 80 ...)
    before informational ones (59, X{EPSU}, RT/LT, Q0/Q1, GA ...): an unconfirmed convention
    here, so a warning."""
    commercial = variant(ISLET, payer="aetna", claim_type="professional", setting="inpatient",
                         answers={"product": None}, rendering_taxonomy="204F00000X")
    ws = run(variant(commercial, modifiers=["59", "22"]))
    order = findings(ws, "modifier-order")
    assert [f.codes for f in order] == [("0584T", "22")]
    assert order[0].severity == "warning"
    assert not findings(run(variant(commercial, modifiers=["22", "59"])), "modifier-order")
    trial = run(variant(MEDICARE_TRIAL, modifiers=["22"]))  # Q0 is added after 22
    assert not findings(trial, "modifier-order")


# ------------------------------------------- other hand injections and the surgeon's nerve block


@pytest.mark.parametrize("code", ["64450", "20550", "20526"])
def test_hand_injection_or_block_with_0490t_is_questioned_as_included(run, code):
    """FACTS-CLAIMS §5.3/§6.5 (anesthesia by the operating surgeon, local or regional, is part
    of the procedure) and FACTS §2 (0490T parentheticals unconfirmed): a warning to verify,
    not 'outside this program's families'."""
    ws = run(variant(ADIPOSE, extra_lines=[{"code": code, "modifiers": [], "units": 1}]))
    included = [f for f in findings(ws, "included-service") if code in f.codes]
    assert included and all(f.severity == "warning" for f in included)
    assert "code-outside-scope" not in rules_of(ws)
    harvest = run(variant(ADIPOSE, answers={"services": "harvest"},
                          extra_lines=[{"code": code, "modifiers": [], "units": 1}]))
    assert not [f for f in findings(harvest, "included-service") if code in f.codes]


# --------------------------------------------------- a diagnosis that contradicts the answers


def test_kidney_transplant_status_with_the_answer_no_prior_renal_transplant_is_questioned(run):
    """THP's criterion and the Lantidra label turn on a prior renal transplant (FACTS §4); a
    coded Z94.0 says there was one."""
    ws = run(variant(ISLET, diagnoses=["E10.649", "Z94.0"]))
    contradiction = [f for f in ws.findings if "Z94.0" in f.codes and f.severity == "warning"]
    assert contradiction and "prior_renal_transplant" not in contradiction[0].message
    consistent = run(variant(ISLET, answers={"prior_renal_transplant": True},
                             diagnoses=["E10.649", "Z94.0"]))
    assert not [f for f in consistent.findings if f.codes == ("Z94.0",)]


def test_type_1_diabetes_on_an_autologous_tpiat_claim_is_questioned(run):
    """Cigna 0107 (FACTS §4): TPIAT documentation includes the exclusion of type 1 diabetes."""
    ws = run(variant(AUTOLOGOUS, diagnoses=["K86.1", "E10.9"]))
    questioned = [f for f in findings(ws, "dx-not-supporting") if f.codes == ("E10.9",)]
    assert questioned and questioned[0].severity == "warning"
    assert ws.status == "review"


# ---------------------------------------------- a denial modifier on a service found covered


@pytest.mark.parametrize("modifier", ["GA", "GZ"])
def test_denial_modifier_on_a_covered_trial_service_is_questioned(run, modifier):
    """FACTS-CLAIMS §7.2: GA/GZ declare an expected denial (GZ lines are denied
    automatically); on a covered NCD 260.3.1 trial claim they are not silently ready."""
    ws = run(variant(MEDICARE_TRIAL, modifiers=[modifier]))
    questioned = findings(ws, "liability-modifier")
    assert questioned and questioned[0].codes == ("G0341", modifier)
    assert ws.status == "review"


def test_denial_modifier_on_a_non_covered_service_keeps_its_one_liability_finding(run):
    ws = run(variant(AUTOLOGOUS, payer="medicare", modifiers=["GA"]))
    assert len(findings(ws, "liability-modifier")) == 1


# ---------------------------------------------------------- add-on codes without their primary

COMMERCIAL_SURGEON: dict[str, Any] = variant(
    ISLET, payer="aetna", claim_type="professional", setting="inpatient",
    answers={"product": None}, rendering_taxonomy="204F00000X",
)


def test_moderate_sedation_add_on_without_its_first_15_minutes_is_an_error(run):
    """FACTS-CLAIMS §6.6: moderate sedation is 99152 with +99153 (ZZZ)."""
    ws = run(variant(COMMERCIAL_SURGEON, extra_lines=[{"code": "99153"}]))
    addon = findings(ws, "addon-without-primary")
    assert addon and addon[0].severity == "error"
    both = run(variant(COMMERCIAL_SURGEON, extra_lines=[{"code": "99152"}, {"code": "99153"}]))
    assert not findings(both, "addon-without-primary")


@pytest.mark.parametrize("addon", ["99292", "96361", "96366", "96367", "96368", "96375"])
def test_add_on_with_an_unconfirmed_primary_list_is_a_warning(run, addon):
    ws = run(variant(COMMERCIAL_SURGEON, extra_lines=[{"code": addon}]))
    found = findings(ws, "addon-without-primary")
    assert found and found[0].severity == "warning"


# ------------------------------------------------ trial marks on a claim that names no trial


@pytest.mark.parametrize("base", [COMMERCIAL_SURGEON, ADIPOSE], ids=["islet-aetna", "adipose"])
def test_q0_q1_or_z00_6_on_a_claim_without_a_trial_is_questioned(run, base):
    """Q0/Q1 and Z00.6 say the service is part of an approved clinical research study (CR
    5805, CR 8401: with its NCT number); on a claim naming no study they are questioned."""
    ws = run(variant(base, modifiers=["Q1"]))
    marks = findings(ws, "trial-modifier")
    assert marks and {f.severity for f in marks} == {"warning"}
    dx = run(variant(base, diagnoses=[*base["diagnoses"], "Z00.6"]))
    assert [f.severity for f in findings(dx, "trial-dx")] == ["warning"]


# -------------------------------- THP has no adipose policy, so it has no adipose effective date


def test_thp_adipose_claim_before_the_islet_policy_date_is_not_policy_not_in_effect(run):
    """FACTS-CLAIMS §14: 1/24/2026 is the date of THP's islet policy; no THP policy on the
    hands therapy was found (FACTS §4), so any date asks to verify coverage."""
    ws = run(variant(ADIPOSE, payer="thp", date_of_service="2025-11-18"))
    assert "policy-not-in-effect" not in rules_of(ws)
    assert any("No THP policy found" in f.message for f in findings(ws, "verify-reference"))


# ------------------------------------------------- E/M modifiers (24, 25, 57) on a procedure code


@pytest.mark.parametrize("modifier", ["24", "25", "57"])
def test_an_e_m_modifier_on_a_procedure_code_is_not_for_that_line(run, modifier):
    """FACTS-CLAIMS §5.4: 57 (decision for surgery), 25 (separately identifiable E/M on the day
    of a minor procedure) and 24 (unrelated post-operative E/M) go on the E/M visit."""
    ws = run(variant(MEDICARE_TRIAL, modifiers=[modifier]))
    wrong = [f for f in findings(ws, "modifier-not-for-line") if f.codes == ("G0341", modifier)]
    assert wrong and wrong[0].severity == "error"
    visit = {"code": "99213", "modifiers": [modifier, "Q1"], "date_of_service": "2026-03-12"}
    on_visit = run(variant(MEDICARE_TRIAL, extra_lines=[visit]))
    assert not [f for f in findings(on_visit, "modifier-not-for-line") if "99213" in f.codes]


# ------------------------------------------ 26/TC on a code without a professional/technical split


@pytest.mark.parametrize("modifier", ["26", "TC"])
def test_professional_or_technical_component_on_a_surgical_code_is_questioned(run, modifier):
    ws = run(variant(MEDICARE_TRIAL, modifiers=[modifier]))
    wrong = [f for f in findings(ws, "modifier-not-for-line") if f.codes == ("G0341", modifier)]
    assert wrong and wrong[0].severity == "warning"


# -------------------------------------------------------------- moderate sedation by age


def test_moderate_sedation_codes_follow_the_patients_age(run):
    """The moderate-sedation codes are split at age 5 (99151 younger, 99152 5 or older)."""
    young = run(variant(COMMERCIAL_SURGEON, patient={"age": 3}, extra_lines=[{"code": "99152"}]))
    assert [f.codes for f in findings(young, "age-restricted-code")] == [("99152",)]
    right = run(variant(COMMERCIAL_SURGEON, patient={"age": 3}, extra_lines=[{"code": "99151"}]))
    assert not findings(right, "age-restricted-code")
    adult = run(variant(COMMERCIAL_SURGEON, extra_lines=[{"code": "99151"}]))
    assert [f.codes for f in findings(adult, "age-restricted-code")] == [("99151",)]


# ------------------------------------ the access and the portal infusion of an open TPIAT (48160)


@pytest.mark.parametrize("code", ["49000", "49320", "36481"])
def test_access_or_portal_catheterization_with_48160_is_questioned(run, code):
    """FACTS §2: 49000/49320 are 'separate procedures' (the access of a larger operation) and
    48160 includes the autologous islet transplant (FACTS §0), i.e. their infusion into the
    portal vein; applying this to 48160 is inference: a warning."""
    ws = run(variant(AUTOLOGOUS, extra_lines=[{"code": code}]))
    included = [f for f in findings(ws, "included-service") if f.codes == (code, "48160")]
    assert included and included[0].severity == "warning"

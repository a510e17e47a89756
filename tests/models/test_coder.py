"""Each rule: a case that triggers it and a near-identical case that does not."""

from __future__ import annotations

import pytest

from models.rules import RULES
from tests.models.billing_cases import BILLING_PAIRS
from tests.models.conftest import ADIPOSE, ISLET, MEDICARE_TRIAL, rules_of, variant
from tests.models.test_claim import CLAIM_PAIRS

THP_OFFICE_PRO = variant(ISLET, claim_type="professional", setting="office")
CIGNA_AUTO = variant(
    ISLET,
    payer="cigna",
    claim_type="professional",
    setting="inpatient",
    answers={
        "donor": "autologous",
        "pancreatectomy": "total",
        "product": None,
        "infusion_number": None,
        "severe_hypoglycemia": None,
        "immunosuppression": None,
        "prior_renal_transplant": None,
    },
    diagnoses=["K86.1"],
    rendering_taxonomy="208600000X",
)
LAP = variant(ISLET, answers={"approach": "laparoscopic"})

# rule id -> (triggering case, near-identical case that must not trigger it)
PAIRS = {
    "missing-input": (variant(ISLET, payer=None), ISLET),
    "invalid-input": (variant(ISLET, payer="acme"), ISLET),
    "invalid-answer": (variant(ISLET, answers={"approach": "robotic"}), ISLET),
    "unknown-code": (
        variant(ISLET, extra_lines=[{"code": "9999X"}]),
        variant(ISLET, extra_lines=[{"code": "99024"}]),
    ),
    "code-not-effective": (
        variant(ISLET, date_of_service="2019-12-31"),
        variant(ISLET, date_of_service="2020-01-02"),
    ),
    "payer-code-set": (variant(ISLET, extra_lines=[{"code": "G0341"}]), ISLET),
    "payer-code-not-accepted": (
        variant(MEDICARE_TRIAL, extra_lines=[{"code": "S2102", "modifiers": ["Q0"]}]),
        variant(
            MEDICARE_TRIAL,
            payer="thp",
            answers={"nct_number": None},
            extra_lines=[{"code": "S2102"}],
        ),
    ),
    "approach-mismatch": (variant(ISLET, extra_lines=[{"code": "0586T"}]), ISLET),
    "donor-mismatch": (
        variant(CIGNA_AUTO, payer="bcbs", extra_lines=[{"code": "S2102"}]),
        CIGNA_AUTO,
    ),
    "included-service": (
        variant(ISLET, extra_lines=[{"code": "76937"}]),
        variant(ISLET, extra_lines=[{"code": "99024"}]),
    ),
    "age-restricted-code": (
        variant(ISLET, extra_lines=[{"code": "36440"}]),
        variant(ISLET, patient={"age": 2}, extra_lines=[{"code": "36440"}]),
    ),
    "unknown-modifier": (
        variant(THP_OFFICE_PRO, modifiers=["ZZ"]),
        variant(THP_OFFICE_PRO, modifiers=["52"]),
    ),
    "modifier-not-for-line": (
        variant(THP_OFFICE_PRO, modifiers=["QX"]),
        variant(THP_OFFICE_PRO, modifiers=["52"]),
    ),
    "modifier-claim-type": (
        variant(ISLET, claim_type="professional", modifiers=["73"]),
        variant(ISLET, modifiers=["73"]),
    ),
    "modifier-setting": (
        variant(ISLET, setting="inpatient", modifiers=["73"]),
        variant(ISLET, modifiers=["73"]),
    ),
    "modifier-conflict": (
        variant(THP_OFFICE_PRO, modifiers=["52", "53"]),
        variant(THP_OFFICE_PRO, modifiers=["52"]),
    ),
    "dx-invalid": (variant(ISLET, diagnoses=["E10.699X"]), ISLET),
    "dx-not-billable": (
        variant(ISLET, diagnoses=["E10.649", "L98.4"]),
        variant(ISLET, diagnoses=["E10.649", "L98.491"]),
    ),
    "excluded-service": (
        variant(ISLET, answers={"technology": "xenotransplant"}),
        variant(ISLET, answers={"technology": "standard"}),
    ),
    "trial-required": (variant(MEDICARE_TRIAL, answers={"nct_number": None}), MEDICARE_TRIAL),
    "trial-nct-format": (
        variant(MEDICARE_TRIAL, answers={"nct_number": "NCT1234567"}),
        variant(MEDICARE_TRIAL, answers={"nct_number": "01234567"}),
    ),
    "trial-modifier": (
        variant(MEDICARE_TRIAL, extra_lines=[{"code": "99024"}]),
        variant(MEDICARE_TRIAL, extra_lines=[{"code": "99024", "modifiers": ["Q1"]}]),
    ),
    "trial-dx": (variant(MEDICARE_TRIAL, diagnoses=["E10.649"]), MEDICARE_TRIAL),
    "taxonomy-invalid": (variant(ISLET, rendering_taxonomy="2085R0204"), ISLET),
    "code-setting": (variant(ISLET, setting="asc"), ISLET),
    "claim-setting": (variant(ISLET, setting="office"), ISLET),
    "duplicate-line": (variant(ISLET, extra_lines=[{"code": "0584T"}]), ISLET),
    "dx-not-supporting": (variant(ISLET, diagnoses=["K86.1"]), ISLET),
    "coverage-criterion": (variant(ISLET, patient={"age": 17}), ISLET),
    "investigational": (
        variant(
            CIGNA_AUTO,
            answers={"donor": "allogeneic", "pancreatectomy": None},
            diagnoses=["E10.649"],
        ),
        CIGNA_AUTO,
    ),
    "payer-policy-conflict": (ISLET, variant(CIGNA_AUTO, payer="thp")),
    "prior-authorization": (
        variant(ISLET, payer="aetna"),
        variant(ISLET, payer="aetna", answers={"product": "none"}),
    ),
    "modifier-needs-documentation": (
        variant(THP_OFFICE_PRO, modifiers=["22"]),
        variant(THP_OFFICE_PRO, modifiers=["52"]),
    ),
    "taxonomy-unexpected": (variant(ISLET, rendering_taxonomy="207RR0500X"), ISLET),
    "verify-reference": (variant(CIGNA_AUTO, payer="uhc"), CIGNA_AUTO),
    "known-confusion": (variant(ADIPOSE, extra_lines=[{"code": "0350T"}]), ADIPOSE),
    "units-exceed": (
        variant(ADIPOSE, extra_lines=[{"code": "77001", "units": 3}]),
        variant(ADIPOSE, extra_lines=[{"code": "77001", "units": 2}]),
    ),
    "dx-excludes1": (
        variant(ADIPOSE, diagnoses=["M34.0", "L94.0"]),
        variant(ADIPOSE, diagnoses=["M34.0", "I73.00"]),
    ),
    "dx-combination": (variant(ISLET, diagnoses=["E10.649", "Z79.4"]), ISLET),
    "product-label": (
        variant(ISLET, answers={"infusion_number": 4}),
        variant(ISLET, answers={"infusion_number": 3}),
    ),
    "acknowledgement-ignored": (
        variant(ISLET, acknowledged=[{"rule": "prior-authorization", "reason": "  "}]),
        variant(ISLET, acknowledged=[{"rule": "prior-authorization", "reason": "Auth 1"}]),
    ),
    "code-chosen": (ISLET, variant(ISLET, family="no-such-family")),
    "derivation-note": (variant(ISLET, setting="inpatient"), ISLET),
    "bundled-info": (ISLET, ADIPOSE),
    "edit-bypassed": (
        variant(LAP, extra_lines=[{"code": "49320", "modifiers": ["XS"]}]),
        variant(LAP, extra_lines=[{"code": "49320"}]),
    ),
    "ncci-not-loaded": (ISLET, variant(ISLET, family="no-such-family")),
    "trial-billing": (MEDICARE_TRIAL, variant(MEDICARE_TRIAL, answers={"nct_number": None})),
    "documentation": (ISLET, variant(ISLET, answers={"severe_hypoglycemia": False})),
    "icd-release": (variant(ISLET, date_of_service="2026-11-02"), ISLET),
    "answer-not-applicable": (variant(ISLET, answers={"pancreatectomy": "total"}), ISLET),
    "coverage-position": (ISLET, variant(ISLET, payer=None)),
    "addon-without-primary": (
        variant(ADIPOSE, extra_lines=[{"code": "15774"}]),
        variant(ADIPOSE, extra_lines=[{"code": "15773"}, {"code": "15774"}]),
    ),
    "dx-duplicate": (variant(ISLET, diagnoses=["E10.649", "E10649"]), ISLET),
    "dx-laterality": (
        variant(ADIPOSE, answers={"services": "both", "hands": "both"},
                diagnoses=["M34.1", "M79.641"]),
        variant(ADIPOSE, answers={"services": "both", "hands": "both"},
                diagnoses=["M34.1", "M79.641", "M79.642"]),
    ),
    "modifier-required": (
        variant(
            MEDICARE_TRIAL,
            claim_type="professional",
            setting="office",
            answers={"product": "donislecel"},
        ),
        variant(
            MEDICARE_TRIAL,
            claim_type="professional",
            setting="office",
            answers={"product": "donislecel"},
            modifiers=["JZ"],
        ),
    ),
}
PAIRS["code-other-family"] = (
    variant(ADIPOSE, extra_lines=[{"code": "0584T"}]),
    variant(ADIPOSE, extra_lines=[{"code": "99024"}]),
)
PAIRS.update(CLAIM_PAIRS)


PAIRS.update(BILLING_PAIRS)


# Rules that need official files loaded: their pairs are in tests/models/official/test_checks.py
NEEDS_LOADED_FILES = {"ncci-ptp", "ncci-mue", "hcpcs-coverage"}


def test_every_rule_has_a_pair():
    assert set(PAIRS) | NEEDS_LOADED_FILES == set(RULES)


@pytest.mark.parametrize("rule_id", sorted(PAIRS))
def test_rule_triggers_and_near_twin_does_not(run, rule_id):
    triggering, quiet = PAIRS[rule_id]
    assert rule_id in rules_of(run(triggering)), rule_id
    assert rule_id not in rules_of(run(quiet)), rule_id


def test_base_cases_status(run):
    assert run(MEDICARE_TRIAL).status == "ready"
    assert run(CIGNA_AUTO).status in ("ready", "review")


# ---------------------------------------------------------------- derivation


@pytest.mark.parametrize(
    ("payer", "approach", "code"),
    [
        ("thp", "percutaneous", "0584T"),
        ("cigna", "laparoscopic", "0585T"),
        ("bcbs", "open", "0586T"),
        ("medicare", "percutaneous", "G0341"),
        ("medicare", "laparoscopic", "G0342"),
        ("medicare", "open", "G0343"),
    ],
)
def test_approach_and_payer_choose_the_code(run, payer, approach, code):
    ws = run(variant(MEDICARE_TRIAL, payer=payer, answers={"approach": approach}))
    assert ws.lines[0].code == code
    assert ws.lines[0].path, "every derived line explains itself"


def test_total_pancreatectomy_autologous_is_48160_alone(run):
    ws = run(CIGNA_AUTO)
    assert [line.code for line in ws.lines] == ["48160"]
    partial = run(variant(CIGNA_AUTO, answers={"pancreatectomy": "partial"}))
    assert [line.code for line in partial.lines] == ["48160"]
    assert "coverage-criterion" in rules_of(partial)
    separate = run(variant(CIGNA_AUTO, answers={"pancreatectomy": "none"}))
    assert [line.code for line in separate.lines] == ["0584T"]


def test_donislecel_product_line_by_claim_and_setting(run):
    assert [line.code for line in run(ISLET).lines] == ["0584T", "C9399"]
    assert run(ISLET).lines[1].units == 1
    office = run(THP_OFFICE_PRO)
    assert [line.code for line in office.lines] == ["0584T", "J3590"]
    inpatient = run(variant(ISLET, claim_type="professional", setting="inpatient"))
    assert [line.code for line in inpatient.lines] == ["0584T"]
    assert "derivation-note" in rules_of(inpatient)


def test_medicare_trial_line_carries_q0_and_z006_pointer(run):
    ws = run(MEDICARE_TRIAL)
    assert ws.lines[0].modifiers == ("Q0",)
    assert 2 in ws.lines[0].diagnosis_pointers


def test_adipose_services_and_no_laterality(run):
    assert [line.code for line in run(ADIPOSE).lines] == ["0489T", "0490T"]
    assert [line.code for line in run(variant(ADIPOSE, answers={"services": "harvest"})).lines] == [
        "0489T"
    ]
    both_sides = run(variant(ADIPOSE, answers={"services": "injection"}, modifiers=["50"]))
    assert "modifier-not-for-line" in rules_of(both_sides, "error")


def test_case_modifiers_go_on_primary_lines_and_drug_modifiers_on_the_product(run):
    ws = run(variant(THP_OFFICE_PRO, modifiers=["52", "JZ"]))
    assert [line.code for line in ws.lines] == ["0584T", "J3590"]
    assert ws.lines[0].modifiers == ("52",)
    assert ws.lines[1].modifiers == ("JZ",)
    no_product = run(variant(THP_OFFICE_PRO, answers={"product": "none"}, modifiers=["JZ"]))
    assert "modifier-not-for-line" in rules_of(no_product, "error")


def test_primary_diagnosis_should_support_the_procedure(run):
    ws = run(variant(ISLET, diagnoses=["Z94.0", "E10.649"]))
    assert "dx-not-supporting" in rules_of(ws, "warning")


def test_z006_first_on_a_trial_claim_is_flagged(run):
    ws = run(variant(MEDICARE_TRIAL, diagnoses=["Z00.6", "E10.649"]))
    assert "trial-dx" in rules_of(ws, "warning")


# ---------------------------------------------------------------- FACTS.md §9 errors


@pytest.mark.parametrize(
    ("case", "rule"),
    [
        (variant(ISLET, extra_lines=[{"code": "36440"}]), "age-restricted-code"),
        (variant(ADIPOSE, extra_lines=[{"code": "0350T"}]), "known-confusion"),
        (variant(ADIPOSE, diagnoses=["M34.1", "M79.64"]), "dx-not-billable"),
        (variant(ADIPOSE, diagnoses=["M34.1", "M79.65"]), "dx-not-billable"),
        (variant(ADIPOSE, diagnoses=["M34.1", "L98.4"]), "dx-not-billable"),
        (variant(ADIPOSE, rendering_taxonomy="207RC0000X"), "known-confusion"),
        (variant(ADIPOSE, rendering_taxonomy="207RH0000X"), "known-confusion"),
        (variant(ISLET, rendering_taxonomy="207RG0100X"), "known-confusion"),
        (variant(ISLET, rendering_taxonomy="2086S0125X"), "taxonomy-invalid"),
        (
            variant(ISLET, modifiers=["QX"], claim_type="professional", setting="office"),
            "modifier-not-for-line",
        ),
        (variant(MEDICARE_TRIAL, modifiers=["QR"]), "unknown-modifier"),
        (variant(MEDICARE_TRIAL, modifiers=["QV"]), "unknown-modifier"),
        (variant(ADIPOSE, extra_lines=[{"code": "15771"}]), "known-confusion"),
        (variant(ADIPOSE, diagnoses=["M34.1", "L98.491"]), "known-confusion"),
    ],
)
def test_published_summary_errors_are_caught(run, case, rule):
    ws = run(case)
    assert rule in rules_of(ws)
    assert ws.status != "ready"


def test_2086s0125x_is_an_error_and_unknown_well_formed_taxonomy_a_warning(run):
    assert "taxonomy-invalid" in rules_of(
        run(variant(ISLET, rendering_taxonomy="2086S0125X")), "error"
    )
    newer = run(variant(ISLET, rendering_taxonomy="2085R9999X"))
    assert "taxonomy-invalid" in rules_of(newer, "warning")
    assert "taxonomy-invalid" not in rules_of(newer, "error")


def test_20926_is_not_flagged_as_deleted(run):
    ws = run(variant(ADIPOSE, extra_lines=[{"code": "20926"}]))
    assert "code-not-effective" not in rules_of(ws) and "unknown-code" not in rules_of(ws)


def test_l98a_codes_not_valid_before_fy2026(run):
    early = run(variant(ADIPOSE, date_of_service="2025-09-30", diagnoses=["M34.1", "L98.A311"]))
    assert "dx-invalid" in rules_of(early, "error")
    late = run(variant(ADIPOSE, date_of_service="2025-10-01", diagnoses=["M34.1", "L98.A311"]))
    assert "dx-invalid" not in rules_of(late)


# ---------------------------------------------------------------- status and acknowledgements


def test_acknowledging_every_warning_makes_ready(run):
    ws = run(ISLET)
    assert ws.status == "review"
    acks = [{"rule": f.rule, "subject": f.subject, "reason": "checked"}
            for f in ws.findings if f.severity == "warning"]
    assert run(variant(ISLET, acknowledged=acks)).status == "ready"


def test_errors_cannot_be_acknowledged(run):
    case = variant(
        ISLET,
        extra_lines=[{"code": "76937"}],
        acknowledged=[{"rule": "included-service", "reason": "x"}],
    )
    ws = run(case)
    assert ws.status == "blocked"
    assert not any(f.acknowledged for f in ws.findings if f.severity == "error")


def test_acknowledgement_can_target_codes(run):
    case = variant(
        THP_OFFICE_PRO,
        modifiers=["22", "59"],
        acknowledged=[
            {"rule": "modifier-needs-documentation", "reason": "op note", "codes": ["22"]}
        ],
    )
    docs = [f for f in run(case).findings if f.rule == "modifier-needs-documentation"]
    assert [f.acknowledged for f in docs] == [True, False]


def test_digest_ignores_diagnosis_dot_and_changes_with_content(run):
    a = run(ISLET)
    b = run(variant(ISLET, diagnoses=["E10649"]))
    c = run(variant(ISLET, notes="different"))
    assert a.digest == b.digest != c.digest
    assert len(a.digest) == 64


def test_summary_has_the_contract_keys(run):
    summary = run(ISLET).summary()
    assert {"status", "lines", "findings", "reference_version", "digest"} <= set(summary)
    assert {"code", "modifiers", "units", "diagnosis_pointers"} <= set(summary["lines"][0])
    assert {"rule", "severity", "message", "codes", "citation", "acknowledged"} <= set(
        summary["findings"][0]
    )


@pytest.mark.parametrize(
    ("diagnoses", "excluded"),
    [
        (["E10.649", "E16.1"], True),  # E16.1 Excludes1: diabetes with hypoglycemia (E10.649)
        (["E10.649", "E13.649"], True),  # E10 Excludes1: postpancreatectomy diabetes (E13.-)
        (["E10.649", "E16.A3"], False),  # E10.64- asks for the E16.A- level code
        (["E10.649", "Z00.6"], False),
    ],
)
def test_excludes1_notes_of_the_tabular_list(run, diagnoses, excluded):
    ws = run(variant(ISLET, diagnoses=diagnoses))
    assert ("dx-excludes1" in rules_of(ws)) is excluded


def test_excludes1_block_notes_apply_to_codes_in_the_block(run):
    # L94 Excludes1: systemic connective tissue disorders (M30-M36)
    assert "dx-excludes1" in rules_of(run(variant(ADIPOSE, diagnoses=["M34.0", "L94.3"])))


def test_missing_answers_and_diagnoses_point_to_their_steps(run):
    ws = run(variant(ISLET, answers={"approach": None}, diagnoses=[]))
    steps = {f.message.split(":")[0]: f.step for f in ws.findings if f.rule == "missing-input"}
    assert steps["Required answer missing"] == "questions"
    assert steps["No diagnosis is given"] == "diagnoses"


def test_inpatient_facility_claim_lists_its_icd10pcs_codes(run):
    inpatient = run(variant(ISLET, setting="inpatient", answers={"product": "none"}))
    messages = [f.message for f in inpatient.findings if f.rule == "claim-setting"]
    assert messages and "ICD-10-PCS" in messages[0]
    assert all(f.severity == "info" for f in inpatient.findings if f.rule == "claim-setting")
    assert [p.code for p in inpatient.procedures] == ["3E033U1"]
    professional = run(variant(ISLET, claim_type="professional", setting="inpatient"))
    assert "claim-setting" not in rules_of(professional)
    assert professional.procedures == ()


def test_acknowledgement_of_an_absent_finding_is_noted_not_applied(run):
    ws = run(variant(CIGNA_AUTO, acknowledged=[{"rule": "prior-authorization", "reason": "auth 9"}]))
    notes = [f for f in ws.findings if f.rule == "acknowledgement-ignored"]
    assert notes and notes[0].severity == "info"
    assert ws.status == run(CIGNA_AUTO).status

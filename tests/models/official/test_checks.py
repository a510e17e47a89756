"""The rules that use loaded official files, on the shipped reference + the test files."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from models.case import Case
from models.coder import check
from models.reference import Reference
from models.worksheet import Worksheet
from tests.models.conftest import ADIPOSE, ISLET, variant
from tests.models.test_coder import NEEDS_LOADED_FILES

AFTER = "2026-11-02"  # FY2027 of the test release, NCCI 2026Q4
BEFORE = "2026-03-12"

ADIPOSE_PRO = variant(ADIPOSE, date_of_service=AFTER, diagnoses=["M34.0"])
ISLET_OUTPATIENT = variant(ISLET, date_of_service=AFTER)


def run_on(reference: Reference, data: dict[str, Any]) -> Worksheet:
    return check(Case.model_validate(data), reference)


def findings(worksheet: Worksheet, rule: str) -> list[str]:
    return [f"{f.severity}: {f.message}" for f in worksheet.findings if f.rule == rule]


PAIRS = {
    "ncci-ptp": (
        variant(ADIPOSE_PRO, extra_lines=[{"code": "96372"}]),
        variant(ADIPOSE_PRO, extra_lines=[{"code": "96373"}]),
    ),
    "ncci-mue": (
        variant(ADIPOSE_PRO, extra_lines=[{"code": "96372", "units": 5}]),
        variant(ADIPOSE_PRO, extra_lines=[{"code": "96372", "units": 4}]),
    ),
    "hcpcs-coverage": (
        variant(ISLET_OUTPATIENT, payer="medicare", extra_lines=[{"code": "S2102"}]),
        variant(ISLET_OUTPATIENT, payer="medicare", extra_lines=[{"code": "G0341"}]),
    ),
}


def test_every_loaded_file_rule_has_a_pair() -> None:
    assert set(PAIRS) == NEEDS_LOADED_FILES


@pytest.mark.parametrize("rule_id", sorted(PAIRS))
def test_rule_triggers_and_near_twin_does_not(loaded: Reference, rule_id: str) -> None:
    triggering, quiet = PAIRS[rule_id]
    assert findings(run_on(loaded, triggering), rule_id)
    assert not findings(run_on(loaded, quiet), rule_id)


# ---------------------------------------------------------------- NCCI PTP


def test_indicator_1_without_modifier_is_an_error_naming_the_modifiers(loaded: Reference) -> None:
    (message,) = findings(run_on(loaded, PAIRS["ncci-ptp"][0]), "ncci-ptp")
    assert message.startswith("error: 96372 with 0490T")
    assert "when clinically justified" in message
    assert "XU" in message and "59" in message and "RT" in message


def test_indicator_1_with_an_associated_modifier_is_info(loaded: Reference) -> None:
    case = variant(ADIPOSE_PRO, extra_lines=[{"code": "96372", "modifiers": ["XS"]}])
    (message,) = findings(run_on(loaded, case), "ncci-ptp")
    assert message.startswith("info:") and "record must support" in message


def test_indicator_0_is_an_error_that_no_modifier_bypasses(loaded: Reference) -> None:
    case = variant(
        ISLET_OUTPATIENT,
        claim_type="professional",
        setting="outpatient-hospital",
        answers={"approach": "laparoscopic"},
        extra_lines=[{"code": "76937", "modifiers": ["XS"]}],
    )
    worksheet = run_on(loaded, case)
    (message,) = findings(worksheet, "ncci-ptp")
    assert message.startswith("error: 76937 with 0585T") and "indicator 0" in message
    # the official edit wins: the program's own row for the pair is not shown
    assert not findings(worksheet, "included-service")
    assert not findings(worksheet, "edit-bypassed")


def test_outpatient_set_for_institutional_outpatient_claims(loaded: Reference) -> None:
    case = variant(
        ISLET_OUTPATIENT,
        answers={"approach": "laparoscopic"},
        extra_lines=[{"code": "76937"}],
    )
    worksheet = run_on(loaded, case)
    (message,) = findings(worksheet, "ncci-ptp")
    assert "Modifier indicator 1" in message  # the outpatient file's indicator, not 0
    assert "NCCI PTP 2026Q4 outpatient" in worksheet.releases


def test_deleted_and_future_edits_are_not_applied(loaded: Reference) -> None:
    lap = variant(ISLET_OUTPATIENT, claim_type="professional", answers={"approach": "laparoscopic"})
    deleted = run_on(loaded, variant(lap, extra_lines=[{"code": "49320"}]))
    assert not findings(deleted, "ncci-ptp")
    assert not findings(deleted, "included-service")  # the file has the pair: it decides
    before = run_on(
        loaded, variant(lap, date_of_service="2025-12-01", extra_lines=[{"code": "49320"}])
    )
    assert findings(before, "ncci-ptp")
    future = run_on(loaded, variant(lap, extra_lines=[{"code": "76942"}]))
    assert not findings(future, "ncci-ptp")


def test_own_pair_list_serves_where_the_file_has_no_edit(loaded: Reference) -> None:
    lap = variant(ISLET_OUTPATIENT, claim_type="professional", answers={"approach": "laparoscopic"})
    worksheet = run_on(loaded, variant(lap, extra_lines=[{"code": "77001"}]))
    assert findings(worksheet, "included-service")
    assert not findings(worksheet, "ncci-not-loaded")


def test_without_files_the_own_list_says_so(shipped: Reference) -> None:
    worksheet = run_on(shipped, PAIRS["ncci-ptp"][0])
    (message,) = findings(worksheet, "ncci-not-loaded")
    assert "practitioner" in message and "own list" in message
    assert "NCCI PTP: own list" in worksheet.releases


# ---------------------------------------------------------------- NCCI MUE


def test_mue_line_edit_says_how_to_split(loaded: Reference) -> None:
    case = variant(ADIPOSE_PRO, extra_lines=[{"code": "76942", "units": 2}])
    (message,) = findings(run_on(loaded, case), "ncci-mue")
    assert "per line (MAI 1" in message and "separate lines" in message


def test_mue_per_day_adds_the_lines(loaded: Reference) -> None:
    case = variant(
        ADIPOSE_PRO,
        extra_lines=[
            {"code": "96372", "units": 3},
            {"code": "96372", "units": 2, "modifiers": ["XS"]},
        ],
    )
    (message,) = findings(run_on(loaded, case), "ncci-mue")
    assert "5 units on the date of service" in message and "MAI 3" in message


def test_mue_replaces_the_own_unit_limit(loaded: Reference, shipped: Reference) -> None:
    case = variant(ADIPOSE_PRO, extra_lines=[{"code": "0490T"}])  # 0490T twice: 2 units a day
    assert findings(run_on(shipped, case), "units-exceed") == []  # the own limit is per line
    official = run_on(loaded, case)
    assert any("MAI 2" in m for m in findings(official, "ncci-mue"))
    big = variant(ISLET, extra_lines=[{"code": "77001", "units": 3}], date_of_service=AFTER)
    assert findings(run_on(loaded, big), "units-exceed")  # no MUE for 77001: the own limit


# ---------------------------------------------------------------- HCPCS


def test_hcpcs_code_terminated_before_the_date_is_unknown(loaded: Reference) -> None:
    case = variant(ISLET_OUTPATIENT, payer="medicare", answers={"approach": "open"})
    worksheet = run_on(loaded, case)
    assert any(
        "G0343 does not exist on 2026-11-02" in m for m in findings(worksheet, "unknown-code")
    )
    assert loaded.code_absent_on("G0343", date(2026, 9, 30)) is None
    assert loaded.code_absent_on("J3591", date(2026, 11, 2)) is not None
    assert loaded.code_absent_on("J3591", date(2027, 1, 1)) is None
    assert (
        loaded.code_absent_on("J9999", date(2026, 11, 2))
        == "J9999 is not in the HCPCS file 2026 Oct"
    )
    assert loaded.code_absent_on("0585T", date(2026, 11, 2)) is None  # CPT: not HCPCS's to say


def test_without_a_hcpcs_file_nothing_is_said_absent(shipped: Reference) -> None:
    assert shipped.code_absent_on("J9999", date(2026, 11, 2)) is None


def test_hcpcs_descriptors_and_modifiers(loaded: Reference) -> None:
    g0341 = loaded.hcpcs("G0341")
    assert g0341 is not None and g0341.long_description.endswith("catheterization and infusion")
    gy = loaded.hcpcs("GY")
    assert gy is not None and gy.kind == "modifier" and gy.coverage == "S"
    assert "contract benefit" in gy.long_description


# ---------------------------------------------------------------- ICD-10-CM by date


def test_icd_release_in_force_by_date(loaded: Reference) -> None:
    assert loaded.icd_release_for(date(2026, 9, 30)).shipped
    assert loaded.icd_release_for(date(2026, 10, 1)).release == "FY2027"
    assert loaded.icd_release_for(date(2020, 1, 1)).shipped  # before every release: the default
    assert loaded.icd_release_for(None).release == "FY2027"  # no date: the newest


def test_code_added_in_the_new_release(loaded: Reference) -> None:
    before = run_on(loaded, variant(ISLET, date_of_service=BEFORE, diagnoses=["E10.64A"]))
    after = run_on(loaded, variant(ISLET, date_of_service=AFTER, diagnoses=["E10.64A"]))
    assert any("April 1 2026" in m for m in findings(before, "dx-invalid"))
    assert not findings(after, "dx-invalid")


def test_code_deleted_in_the_new_release(loaded: Reference) -> None:
    before = run_on(loaded, variant(ADIPOSE, date_of_service=BEFORE, diagnoses=["M34.1"]))
    after = run_on(loaded, variant(ADIPOSE, date_of_service=AFTER, diagnoses=["M34.1"]))
    assert not findings(before, "dx-invalid")
    (message,) = findings(after, "dx-invalid")
    assert "ICD-10-CM FY2027" in message


def test_title_billable_and_excludes1_in_force(loaded: Reference) -> None:
    after = run_on(loaded, variant(ISLET, date_of_service=AFTER, diagnoses=["E10.649", "E11.9"]))
    before = run_on(loaded, variant(ISLET, date_of_service=BEFORE, diagnoses=["E10.649", "E11.9"]))
    assert after.diagnoses[0].description.endswith("(title as of the test release)")
    assert not before.diagnoses[0].description.endswith("(title as of the test release)")
    assert any("FY2027" in m for m in findings(after, "dx-excludes1"))
    sevens = loaded.icd("S00.01XA", date(2026, 11, 2))
    assert sevens is not None and sevens.billable
    header = loaded.icd("S00.01", date(2026, 11, 2))
    assert header is not None and not header.billable


def test_lookup_marks_codes_not_valid_on_the_date(loaded: Reference) -> None:
    hits = {h.code: h for h in loaded.search("E10.64", on=date(2026, 3, 1))}
    assert hits["E10.64A"].valid is False and hits["E10.649"].valid is True
    newest = {h.code: h for h in loaded.search("E10.64")}
    assert newest["E10.64A"].valid is True


def test_worksheet_names_the_releases(loaded: Reference) -> None:
    worksheet = run_on(loaded, PAIRS["ncci-ptp"][0])
    assert worksheet.releases[:3] == (
        "ICD-10-CM FY2027",
        "NCCI PTP 2026Q4 practitioner",
        "NCCI MUE 2026Q4 practitioner",
    )
    assert "HCPCS 2026 Oct" in worksheet.releases
    assert worksheet.summary()["releases"] == list(worksheet.releases)


def test_nucc_load_replaces_the_shipped_list(loaded: Reference, shipped: Reference) -> None:
    assert loaded.counts()["taxonomy"] == 4 < shipped.counts()["taxonomy"]
    found = loaded.taxonomy("2082S0105X")
    assert found is not None and found.section == "individual"


def test_a_hcpcs_code_outside_the_families_gets_the_file_descriptor(loaded: Reference) -> None:
    case = variant(ISLET_OUTPATIENT, date_of_service="2027-02-01", extra_lines=[{"code": "J3591"}])
    worksheet = run_on(loaded, case)
    assert worksheet.lines[-1].descriptor == "Injection, example biologic for a test file, 1 mg"
    assert not findings(worksheet, "unknown-code")
    before = run_on(loaded, variant(case, date_of_service=AFTER))
    assert any("J3591" in m for m in findings(before, "unknown-code"))


def test_modifier_unknown_to_the_program_shows_the_hcpcs_descriptor(loaded: Reference) -> None:
    case = variant(ADIPOSE_PRO, extra_lines=[{"code": "15773", "modifiers": ["PN"]}])
    messages = findings(run_on(loaded, case), "unknown-modifier")
    assert any("The HCPCS file 2026 Oct has it: Non-excepted off-campus" in m for m in messages)


def test_outpatient_mue_table_for_institutional_outpatient_claims(loaded: Reference) -> None:
    case = variant(ISLET_OUTPATIENT, answers={"approach": "laparoscopic"})
    doubled = variant(case, extra_lines=[{"code": "0585T", "modifiers": ["76"]}])
    messages = findings(run_on(loaded, doubled), "ncci-mue")
    assert any("0585T" in m and "MAI 2" in m for m in messages)  # outpatient table: MAI 2
    professional = variant(doubled, claim_type="professional")
    assert any("MAI 3" in m for m in findings(run_on(loaded, professional), "ncci-mue"))

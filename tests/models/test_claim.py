"""Claim-form facts: whose claim, which form, where (POS) and what bill (TOB)."""

from __future__ import annotations

from typing import Any

import pytest

from models.case import Case
from models.coder.claim import claim_facts
from models.reference import Reference
from tests.models.conftest import ISLET, MEDICARE_TRIAL, variant


def facts(reference: Reference, data: dict[str, Any]):  # type: ignore[no-untyped-def]
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

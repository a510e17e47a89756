"""The worksheet's header block: age, rendering taxonomy, trial number; one date format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from models.case import Case
from models.coder import check
from models.reference import Reference, open_reference
from reports.sections import Options, _detail_rows


@pytest.fixture(scope="module")
def reference() -> Iterator[Reference]:
    ref = open_reference()
    yield ref
    ref.close()


def test_header_block_shows_age_taxonomy_trial_and_iso_dates(reference: Reference) -> None:
    case = Case.model_validate({
        "schema_version": 1, "family": "islet-transplant", "date_of_service": "2026-03-02",
        "payer": "medicare", "claim_type": "professional", "setting": "inpatient",
        "patient": {"age": 45}, "rendering_taxonomy": "208600000X",
        "answers": {"approach": "percutaneous", "donor": "allogeneic",
                    "nct_number": "NCT01234567"},
        "diagnoses": ["E10.649", "Z00.6"]})
    worksheet = check(case, reference)
    rows = _detail_rows(worksheet, Options(prepared=date(2026, 3, 5)))
    fields = dict(pair for row in rows for pair in row)
    assert fields["Patient age"] == "45 years"
    assert fields["Rendering taxonomy"] == "208600000X"
    assert fields["Clinical trial (NCT)"] == "NCT01234567"
    assert fields["Date of service"] == "2026-03-02" and fields["Date prepared"] == "2026-03-05"
    assert "Place of service" in fields

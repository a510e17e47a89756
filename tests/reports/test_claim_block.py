"""The worksheet prints the claim-form facts: form, POS or TOB, revenue codes, NDC, PCS."""

from __future__ import annotations

import io

from pypdf import PdfReader

from models.case import load_case
from models.coder import check
from models.paths import examples_dir
from models.reference import open_reference
from models.worksheet import Line
from reports.pdf import render_pdf
from reports.sections import ndc_text


def printed(example: str) -> str:
    worksheet = check(load_case(examples_dir() / example), open_reference())
    data = render_pdf(worksheet, facility="General Hospital", coder="A. Coder")
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_inpatient_facility_claim_prints_tob_revenue_codes_and_pcs() -> None:
    text = printed("islet-cigna-tpiat-hospital-inpatient.json")
    assert "UB-04 / 837I · billed by facility" in text
    assert "0111 Hospital inpatient (Part A)" in text
    assert "Rev code" in text and "0362" in text
    assert "Facility procedure codes (ICD-10-PCS, inpatient claim)" in text
    assert "3E030U0" in text and "0FTG0ZZ" in text


def test_trial_facility_claim_prints_condition_and_value_codes() -> None:
    text = printed("islet-medicare-trial-hospital-inpatient.json")
    assert "condition 30, value D4 01234567" in text
    assert "3E033U1" in text


def test_outpatient_facility_claim_prints_the_ndc_with_qualifier_and_no_pcs() -> None:
    text = printed("islet-thp-donislecel-outpatient.json")
    assert "NDC N473287010101 UN1" in text
    assert "0636" in text
    assert "ICD-10-PCS, inpatient claim" not in text


def test_professional_claim_prints_place_of_service_and_rate_and_no_revenue_codes() -> None:
    text = printed("adipose-bcbs-off-campus-pos19.json")
    assert "CMS-1500 / 837P · billed by practitioner" in text
    assert "19 Off campus outpatient hospital · facility rate" in text
    assert "Rev code" not in text
    office = printed("adipose-bcbs-both-hands.json")
    assert "11 Office · non-facility rate" in office


def test_ndc_quantity_prints_as_nucc_writes_it() -> None:
    line = Line(number=1, code="J3590", origin="derived", ndc="01234567890")
    assert ndc_text(line.model_copy(update={"ndc_quantity": 12345678.5, "ndc_unit": "ML"})) == (
        "NDC N401234567890 ML12345678.5"
    )
    assert ndc_text(line.model_copy(update={"ndc_quantity": 2.0, "ndc_unit": "UN"})) == (
        "NDC N401234567890 UN2"
    )
    assert ndc_text(line.model_copy(update={"ndc": None})) == ""

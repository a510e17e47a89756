"""The worksheet PDF names the code-set releases the check used."""

from __future__ import annotations

from tests.reports.examples import islet_worksheet
from tests.reports.test_pdf import flat_text, render

RELEASES = ("ICD-10-CM FY2027", "NCCI PTP 2026Q4 practitioner", "HCPCS 2026 Oct")


def test_the_pdf_names_the_releases() -> None:
    worksheet = islet_worksheet().model_copy(update={"releases": RELEASES})
    text = flat_text(render(worksheet))
    assert "Code releases used: ICD-10-CM FY2027 · NCCI PTP 2026Q4 practitioner · HCPCS 2026 Oct" in text

"""Every worksheet PDF carries its case (a PDF file attachment) and what it printed."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from models.store.summary import CheckSummary, summarize
from reports.attachment import (
    CASE_FILE,
    CHECK_FILE,
    AttachmentError,
    read_attachments,
    read_worksheet,
)
from reports.pdf import render_pdf
from tests.reports.examples import PREPARED, islet_worksheet


def test_the_case_and_the_printed_result_are_attached() -> None:
    worksheet = islet_worksheet("blocked")
    pdf = render_pdf(worksheet, prepared=PREPARED)
    files = read_attachments(pdf)
    assert set(files) == {CASE_FILE, CHECK_FILE}
    assert files[CASE_FILE].decode() == worksheet.case.to_file_text()
    assert CheckSummary.from_json(files[CHECK_FILE].decode()) == summarize(worksheet)


def test_attachments_are_in_the_embedded_files_name_tree_as_json() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(islet_worksheet("review"))))
    tree = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    names = [str(tree[i]) for i in range(0, len(tree), 2)]
    assert names == [CASE_FILE, CHECK_FILE]
    spec = tree[1].get_object()
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    assert json.loads(spec["/EF"]["/F"].get_object().get_data())["family"]


def test_same_input_still_gives_byte_identical_pdfs() -> None:
    worksheet = islet_worksheet("review")
    first = render_pdf(worksheet, coder="A", prepared=PREPARED)
    assert first == render_pdf(worksheet, coder="A", prepared=PREPARED)
    other = islet_worksheet("review", case=worksheet.case.model_copy(update={"notes": "x"}))
    assert render_pdf(other, coder="A", prepared=PREPARED) != first


def test_a_pdf_without_the_case_is_not_a_worksheet() -> None:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "some other PDF")
    canvas.save()
    with pytest.raises(AttachmentError, match="not a worksheet of this program"):
        read_worksheet(buffer.getvalue(), "other.pdf")
    with pytest.raises(AttachmentError, match="not a PDF"):
        read_worksheet(b"hello", "x.pdf")

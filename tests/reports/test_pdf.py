"""The worksheet PDF, read back with pypdf."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import DocumentInformation, PdfReader

from models.atomic import OutputError
from models.case import Patient
from models.worksheet import DiagnosisEntry, Finding, Status, Worksheet
from reports.pdf import render_pdf, write_pdf
from tests.reports.examples import (
    PREPARED,
    PRIOR_AUTH,
    islet_case,
    islet_worksheet,
    many_lines,
)

ROOT = Path(__file__).resolve().parents[2]
FACILITY = "Rhode Island General Hospital"
CODER = "María José Núñez, CPC"
HOSTILE = (
    "<b>bold?</b> & \"quoted\" 'single' <font size=40>big</font> &amp; &#0; <para> "
    "bell\x07 escape\x1b[31m nul\x00 tab\there שלום עולם مرحبا 😀👩‍⚕️ "
    "Zoë Ångström Łódź Ñandú \u202eevil\u202c"
)


def render(worksheet: Worksheet, **options: object) -> bytes:
    values: dict[str, object] = {"facility": FACILITY, "coder": CODER, "prepared": PREPARED}
    values.update(options)
    return render_pdf(worksheet, **values)  # type: ignore[arg-type]


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def metadata(data: bytes) -> DocumentInformation:
    info = reader(data).metadata
    assert info is not None
    return info


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in reader(data).pages]


def all_text(data: bytes) -> str:
    return "\n".join(page_texts(data))


def flat_text(data: bytes) -> str:
    """All text with any run of white space (pypdf's line breaks) as one space."""
    return " ".join(all_text(data).split())


@pytest.fixture(scope="module")
def blocked_pdf() -> bytes:
    return render(islet_worksheet("blocked"))


@pytest.fixture(scope="module")
def ready_pdf() -> bytes:
    return render(islet_worksheet("ready"))


# Content -----------------------------------------------------------------------------------


def test_is_a_us_letter_pdf(blocked_pdf: bytes) -> None:
    assert blocked_pdf.startswith(b"%PDF-")
    box = reader(blocked_pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_header_fields(blocked_pdf: bytes) -> None:
    text = all_text(blocked_pdf)
    for expected in ("Coding and justification worksheet", FACILITY, CODER, "A-2026-031207",
                     "2026-03-12", "The Health Plan (thp)", "Institutional",
                     "Pancreatic islet cell transplant", "2026-03-18", "2026.11.1", "FY2026",
                     "BLOCKED"):
        assert expected in text, expected


@pytest.mark.parametrize(("status", "word"), [("ready", "READY"), ("review", "NEEDS REVIEW"),
                                              ("blocked", "BLOCKED")])
def test_status_is_on_the_first_page(status: Status, word: str) -> None:
    assert word in page_texts(render(islet_worksheet(status)))[0]


def test_lines_diagnoses_and_findings_are_printed(blocked_pdf: bytes) -> None:
    text = all_text(blocked_pdf)
    for expected in ("0585T", "76937", "0585T-22", "E10.649", "E16.2",
                     "Type 1 diabetes mellitus with hypoglycemia without coma",
                     "included-service", "prior-authorization", "modifier-needs-documentation",
                     "category-iii-sunset", "Acknowledged: Auth 55120 on file",
                     "Not acknowledged", "Descriptor of 0584T-0586T",
                     "Remove the included code"):
        assert expected in text, expected


def test_why_each_code_lists_steps_with_sources(blocked_pdf: bytes) -> None:
    text = all_text(blocked_pdf)
    assert "Approach: laparoscopic" in text
    assert "Source: THP medical policy, effective 1/24/2026" in text
    assert "Payer rule" in text


def test_coverage_criteria_outcomes(blocked_pdf: bytes) -> None:
    text = all_text(blocked_pdf)
    assert "Payer position: covered with criteria" in text
    assert "Age 18 or older" in text
    assert "Met" in text and "Not answered" in text


def test_sections_are_in_order(blocked_pdf: bytes) -> None:
    text = all_text(blocked_pdf)
    headings = ["Claim lines", "Diagnoses", "Why each code", "Coverage criteria", "Findings",
                "Justification", "Coder's notes", "Attestation"]
    positions = [text.index(f"{n}  {h}") for n, h in enumerate(headings, start=1)]
    assert positions == sorted(positions)
    assert text.index("Errors (1)") < text.index("Warnings (2)") < text.index("Information (1)")


def test_narrative_notes_and_signature_lines(blocked_pdf: bytes) -> None:
    text = all_text(blocked_pdf)
    assert "Imaging guidance is part" in text
    assert "Authorization 55120 confirmed by" in text
    assert "I attest that" in text
    assert f"Coder: {CODER} — signature" in text
    assert "Reviewer — name and signature" in text


def test_billable_and_invalid_diagnoses() -> None:
    diagnoses = (
        DiagnosisEntry(pointer=1, code="E10.649", description="T1DM", valid=True, billable=True),
        DiagnosisEntry(pointer=2, code="E10.6", description="Category", valid=True,
                       billable=False),
        DiagnosisEntry(pointer=3, code="E99.99", description="Unknown", valid=False,
                       billable=False),
    )
    text = flat_text(render(islet_worksheet(diagnoses=diagnoses)))
    assert "T1DM yes" in text and "Category no" in text and "Unknown invalid" in text


def test_empty_worksheet_says_so() -> None:
    worksheet = islet_worksheet("ready", lines=(), diagnoses=(), criteria=(), findings=(),
                                justification=(), coverage_position="", coverage_policy="",
                                case=islet_case(notes=""))
    text = all_text(render(worksheet))
    for expected in ("No claim lines.", "No diagnoses entered.", "No claim lines to explain.",
                     "No coverage criteria apply", "No findings.", "No justification narrative.",
                     "No notes."):
        assert expected in text, expected


def test_missing_case_details_and_prepared_date() -> None:
    case = islet_case(date_of_service=None, payer=None, claim_type=None, setting=None,
                      patient=Patient())
    text = all_text(render_pdf(islet_worksheet(case=case, payer_name="")))
    assert "2026-03-18" not in text and "03/18/2026" not in text
    assert "not entered" in text
    assert "claim type not entered" in text


# Page furniture ------------------------------------------------------------------------------


def test_every_page_has_page_x_of_y_digest_and_reference() -> None:
    worksheet = islet_worksheet("ready", lines=many_lines(60))
    texts = page_texts(render(worksheet))
    assert len(texts) > 2
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert f"Digest {worksheet.short_digest}" in text
        assert "Reference 2026.11.1" in text


@pytest.mark.parametrize(("status", "reason"), [
    ("blocked", "blocked: errors remain"),
    ("review", "needs review: unacknowledged warnings"),
])
def test_draft_watermark_on_every_page_until_ready(status: Status, reason: str) -> None:
    texts = page_texts(render(islet_worksheet(status, lines=many_lines(30))))
    assert len(texts) > 1
    for text in texts:
        assert "DRAFT — NOT FOR SUBMISSION" in text
        assert reason in text


def test_ready_worksheet_has_no_draft_text(ready_pdf: bytes) -> None:
    assert "DRAFT" not in all_text(ready_pdf).upper()
    assert not any("DRAFT" in str(value).upper() for value in metadata(ready_pdf).values())


def test_long_tables_repeat_their_header() -> None:
    texts = page_texts(render(islet_worksheet(lines=many_lines(60))))
    continued = [text for text in texts[1:] if "76030" in text]
    assert continued and "Dx pointers" in continued[0]


def test_page_count_grows_with_content() -> None:
    base = len(reader(render(islet_worksheet())).pages)
    sixty_lines = len(reader(render(islet_worksheet(lines=many_lines(60)))).pages)
    long_notes = len(reader(render(islet_worksheet(
        case=islet_case(notes="Documented in the operative note. " * 3000)))).pages)
    assert sixty_lines > base + 3
    assert long_notes > base + 10


# Hostile text --------------------------------------------------------------------------------


def hostile_worksheet(notes: str = HOSTILE) -> Worksheet:
    finding = PRIOR_AUTH.model_copy(update={"message": HOSTILE, "acknowledgement": HOSTILE,
                                            "title": HOSTILE})
    return islet_worksheet("review", case=islet_case(notes=notes,
                                                     patient=Patient(account="<i>A&1</i>")),
                           family_name=HOSTILE, findings=(finding,), justification=(HOSTILE,))


def test_hostile_text_prints_literally() -> None:
    text = all_text(render(hostile_worksheet(), facility=HOSTILE, coder=HOSTILE))
    for literal in ("<b>bold?</b>", "<font size=40>big</font>", "&amp; &#0; <para>",
                    '"quoted"', "'single'", "<i>A&1</i>", "Zoë Ångström Łódź Ñandú"):
        assert literal in text, literal
    assert "bell\ufffd escape\ufffd[31m nul\ufffd tab here" in text
    assert "evil" in text and "\u202e" not in text
    assert "\U0001f600" not in text and "\ufffd" in text
    assert all(letter in text for letter in "שלוםمرحبا")


def test_hundred_thousand_character_notes_flow_over_pages() -> None:
    words = ("lorem ipsum dolor sit amet " * 4000)[:100_000]
    unbroken = "x" * 100_000
    for notes in (words, unbroken, "line\n" * 20_000):
        data = render(hostile_worksheet(notes=notes))
        assert len(reader(data).pages) > 10


def test_huge_reference_text_in_a_table_cell_is_clipped_visibly() -> None:
    line = many_lines(1)[0].model_copy(update={"descriptor": "d" * 100_000})
    text = all_text(render(islet_worksheet(lines=(line,))))
    assert "[98,000 more characters not" in text


def test_huge_header_fields_do_not_break_the_layout() -> None:
    data = render(islet_worksheet(family_name="f" * 50_000), facility="F " * 50_000,
                  coder="c" * 50_000)
    assert "more characters not shown" in all_text(data)


# Determinism and metadata --------------------------------------------------------------------


def test_same_worksheet_same_bytes() -> None:
    worksheet = hostile_worksheet()
    assert render(worksheet) == render(worksheet)
    assert render(worksheet) != render(worksheet, coder="Someone else")


def test_same_bytes_in_another_process(blocked_pdf: bytes) -> None:
    script = (
        "import sys; from tests.reports.examples import islet_worksheet, PREPARED; "
        "from reports.pdf import render_pdf; "
        f"sys.stdout.buffer.write(render_pdf(islet_worksheet('blocked'), facility={FACILITY!r}, "
        f"coder={CODER!r}, prepared=PREPARED))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, check=True)
    assert result.stdout == blocked_pdf


def test_metadata_describes_the_worksheet_without_patient_text(blocked_pdf: bytes) -> None:
    info = metadata(blocked_pdf)
    assert info.title == ("Coding and justification worksheet — Pancreatic islet cell "
                              "transplant (portal vein infusion)")
    assert info.author == CODER
    assert "status blocked" in (info.subject or "")
    values = " ".join(str(value) for value in info.values())
    for private in ("Operative note", "Authorization 55120", "A-2026-031207", "44"):
        assert private not in values, private


def test_reports_package_does_not_load_reportlab() -> None:
    script = "import sys, reports, reports.pdf; print('reportlab' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(("fonts", "replacement"), [("vera", "?"), ("none", "?")])
def test_falls_back_when_dejavu_is_missing(fonts: str, replacement: str) -> None:
    keep = "[c for c in every() if c.regular == 'Vera.ttf']" if fonts == "vera" else "[]"
    script = (
        "import io, reports.fonts; every = reports.fonts._candidates; "
        f"reports.fonts._candidates = lambda: {keep}; "
        "from pypdf import PdfReader; from reports.pdf import render_pdf; "
        "from tests.reports.test_pdf import hostile_worksheet; "
        "data = render_pdf(hostile_worksheet()); "
        "print(reports.fonts.font_family().regular); "
        "print(PdfReader(io.BytesIO(data)).pages[0].extract_text())"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    font, text = result.stdout.split("\n", 1)
    text = " ".join(text.split())
    assert font == ("WorksheetSans" if fonts == "vera" else "Helvetica")
    assert "<b>bold?</b>" in text and "Zoë Ångström" in text
    assert f"bell{replacement} escape{replacement}" in text


# Writing the file ----------------------------------------------------------------------------


def test_write_pdf_writes_the_rendered_bytes(tmp_path: Path) -> None:
    target = tmp_path / "case.pdf"
    worksheet = islet_worksheet()
    write_pdf(target, worksheet, facility=FACILITY, coder=CODER, prepared=PREPARED)
    assert target.read_bytes() == render(worksheet)
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))


def test_write_into_missing_folder_raises(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "case.pdf"
    with pytest.raises(OutputError, match="does not exist"):
        write_pdf(target, islet_worksheet())
    assert not target.parent.exists()


def _assert_untouched(folder: Path, target: Path) -> None:
    assert target.read_bytes() == b"old worksheet"
    assert not list(folder.glob("*.part")) and not list(folder.glob(".*.part"))


def test_write_into_read_only_folder_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder the user may not write to (simulated: root ignores permissions)."""
    target = tmp_path / "case.pdf"
    target.write_bytes(b"old worksheet")

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("models.atomic.tempfile.mkstemp", denied)
    with pytest.raises(OutputError, match=r"cannot write .*Permission denied"):
        write_pdf(target, islet_worksheet())
    _assert_untouched(tmp_path, target)


def test_failed_write_keeps_the_old_file(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Same path as a read-only folder for root, who ignores permissions."""
    target = tmp_path / "case.pdf"
    target.write_bytes(b"old worksheet")

    def refuse(source: object, destination: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("models.atomic.os.replace", refuse)
    with pytest.raises(OutputError, match="Permission denied"):
        write_pdf(target, islet_worksheet())
    _assert_untouched(tmp_path, target)


def test_write_over_a_folder_raises(tmp_path: Path) -> None:
    target = tmp_path / "case.pdf"
    target.mkdir()
    with pytest.raises(OutputError):
        write_pdf(target, islet_worksheet())
    assert target.is_dir()
    assert not list(tmp_path.glob(".*.part"))


# Arbitrary text ------------------------------------------------------------------------------

free_text = st.text(max_size=2000)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=free_text, account=st.text(max_size=64), reason=st.text(max_size=2000),
       coder=st.text(max_size=100))
def test_any_text_renders(notes: str, account: str, reason: str, coder: str) -> None:
    case = islet_case(notes=notes, patient=Patient(account=account))
    finding = Finding.model_validate({**PRIOR_AUTH.model_dump(), "acknowledgement": reason})
    worksheet = islet_worksheet("ready", case=case, findings=(finding,))
    data = render_pdf(worksheet, coder=coder)
    assert len(reader(data).pages) >= 2


@settings(max_examples=40, deadline=None)
@given(account=st.text(alphabet="AZaz09<>&\"'-#;/", min_size=1, max_size=20))
def test_markup_like_account_prints_exactly(account: str) -> None:
    worksheet = islet_worksheet(case=islet_case(patient=Patient(account=account)))
    first_page = " ".join(page_texts(render_pdf(worksheet))[0].split())
    assert f" {account} " in first_page

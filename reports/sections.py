"""The worksheet's content as platypus flowables, section by section.

Every string from the coder or the reference database reaches the page through
`Writer`: as Paragraph markup only via `Writer.safe` (reports.text.paragraph_text),
whose output the fixed tags here wrap, or as a `TextLine`, which draws
reports.text.visible_text and falls back to a paragraph_text Paragraph.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from models.worksheet import (
    ClaimForm,
    CriterionResult,
    Finding,
    Line,
    PathStep,
    Severity,
    Worksheet,
)
from reports import styles as S
from reports.flowables import TextLine
from reports.text import (
    CELL_LIMIT,
    FIELD_LIMIT,
    clip,
    paragraph_text,
    text_blocks,
    text_chunks,
)

Flowables = list[Flowable]

STATUS_WORDS = {"ready": "READY", "review": "NEEDS REVIEW", "blocked": "BLOCKED"}
STATUS_REASONS = {
    "ready": "No errors; warnings acknowledged.",
    "review": "Unacknowledged warnings remain.",
    "blocked": "Errors remain: do not submit.",
}
DRAFT_REASONS = {"review": "needs review: unacknowledged warnings",
                 "blocked": "blocked: errors remain"}
STEP_KINDS = {"answer": "Answer", "payer": "Payer rule", "reference": "Reference",
              "entered": "Entered"}
OUTCOMES = {"met": ("Met", S.OK), "not-met": ("Not met", S.ERROR),
            "not-answered": ("Not answered", S.WARNING)}
SEVERITY_GROUPS: tuple[tuple[Severity, str], ...] = (
    ("error", "Errors"), ("warning", "Warnings"), ("info", "Information"))
CLAIM_TYPES = {"professional": "Professional", "institutional": "Institutional"}
SETTINGS = {"inpatient": "Inpatient", "outpatient-hospital": "Outpatient hospital",
            "asc": "Ambulatory surgery center", "office": "Office"}
ATTESTATION = (
    "I attest that the procedure codes, modifiers, units and diagnoses on this worksheet "
    "are supported by the medical record of this encounter, that they were assigned by "
    "the references cited above, and that every acknowledged warning was reviewed for "
    "the reason stated."
)
NOT_ENTERED = "not entered"
STATUS_WIDTH = 168.0
KEEP_WITH_HEADING = 110.0
"""Points a section heading needs below it (heading, table header, two rows)."""
KEEP_WITH_SUBHEADING = 60.0


@dataclass(frozen=True)
class Options:
    facility: str = ""
    coder: str = ""
    prepared: datetime.date | None = None


def date_text(value: datetime.date | None) -> str:
    """The one date format of the worksheet and the application: ISO, YYYY-MM-DD."""
    return "" if value is None else value.isoformat()


def hex_colour(colour: Color) -> str:
    return "#" + str(colour.hexval())[2:]


@dataclass(frozen=True)
class Writer:
    """Turns worksheet text into flowables in the worksheet's styles, always escaped."""

    styles: S.Styles

    def safe(self, text: str, *, keep_line_breaks: bool = False,
             limit: int = CELL_LIMIT) -> str:
        return paragraph_text(text, self.styles.fonts.glyphs, keep_line_breaks=keep_line_breaks,
                              limit=limit)

    def para(self, markup: str, style: ParagraphStyle) -> Paragraph:
        """A Paragraph of markup built only from `safe` text and fixed tags."""
        return Paragraph(markup, style)

    def text(self, text: str, style: ParagraphStyle, limit: int = CELL_LIMIT) -> Flowable:
        """Plain text in a style: drawn directly when it fits one line, else wrapped."""
        return TextLine(text, style, self.styles.fonts.glyphs, limit)

    def blocks(self, text: str, style: ParagraphStyle) -> Flowables:
        """Free text split at blank lines and cut into page-sized Paragraphs.

        The pieces of one long paragraph follow each other without paragraph spacing.
        """
        flowables: Flowables = []
        for chunks in text_blocks(text):
            flowables += [self._piece(chunk, style if last else _continued(style))
                          for last, chunk in _mark_last(chunks)]
        return flowables

    def _piece(self, text: str, style: ParagraphStyle) -> Flowable:
        if "\n" in text:
            return self.para(self.safe(text, keep_line_breaks=True), style)
        return self.text(text, style)

    def labelled(self, label: str, text: str, style: ParagraphStyle,
                 colour: Color = S.MUTED) -> Flowables:
        """A label in colour, then text; long text continues in further Paragraphs."""
        chunks = text_chunks(text) or [""]
        if len(chunks) == 1:
            return [TextLine(chunks[0], style, self.styles.fonts.glyphs, label=label,
                             label_colour=colour)]
        first = f'<font color="{hex_colour(colour)}">{label}</font> {self.safe(chunks[0])}'
        return [self.para(first, _continued(style)),
                *(self.para(self.safe(chunk), style if last else _continued(style))
                  for last, chunk in _mark_last(chunks[1:]))]

    def coloured(self, text: str, colour: Color, style: ParagraphStyle) -> Flowable:
        return self.text(text, _tinted(style, hex_colour(colour)))

    def heading(self, number: int, title: str) -> Flowables:
        """A numbered section heading, on a new page unless room for a few rows is left."""
        return [CondPageBreak(KEEP_WITH_HEADING), *self.heading_only(number, title)]

    def heading_only(self, number: int, title: str) -> Flowables:
        return [self.text(f"{number}  {title}", self.styles.heading), _rule()]


@functools.cache
def _continued(style: ParagraphStyle) -> ParagraphStyle:
    """The style for a piece of a paragraph that continues in the next piece."""
    return ParagraphStyle(f"{style.name}-continued", parent=style, spaceAfter=0)


@functools.cache
def _tinted(style: ParagraphStyle, colour: str) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-{colour}", parent=style, textColor=colour)


def _mark_last(items: Sequence[str]) -> list[tuple[bool, str]]:
    return [(index == len(items) - 1, item) for index, item in enumerate(items)]


def _rule() -> Table:
    rule = Table([[""]], colWidths=[S.CONTENT_WIDTH], rowHeights=[1])
    rule.setStyle([("LINEABOVE", (0, 0), (-1, 0), 0.6, S.RULE)])
    rule.spaceAfter = 6
    return rule


def data_table(rows: Sequence[Sequence[Any]], widths: Sequence[float], *,
               header: bool = True, extra_style: Iterable[tuple[Any, ...]] = ()) -> Table:
    """A ruled table that splits between rows (never inside one) and repeats its header."""
    table = Table(list(rows), colWidths=list(widths), repeatRows=1 if header else 0,
                  splitInRow=0, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, S.GRID),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), S.HEADER_FILL),
                  ("LINEBELOW", (0, 0), (-1, 0), 0.8, S.RULE),
                  ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]
    table.setStyle(style + list(extra_style))
    return table


# Header ---------------------------------------------------------------------------------


def _status_box(w: Writer, worksheet: Worksheet) -> Table:
    ink, tint = S.STATUS_COLOURS[worksheet.status]
    word = STATUS_WORDS[worksheet.status]
    rows = [[w.text("STATUS", w.styles.label)],
            [w.coloured(word, ink, w.styles.status)],
            [w.text(STATUS_REASONS[worksheet.status], w.styles.small)]]
    box = Table(rows, colWidths=[STATUS_WIDTH])
    box.setStyle([("BACKGROUND", (0, 0), (-1, -1), tint),
                  ("LINEBEFORE", (0, 0), (0, -1), 3, ink),
                  ("LEFTPADDING", (0, 0), (-1, -1), 9),
                  ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                  ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                  ("TOPPADDING", (0, 0), (-1, 0), 6),
                  ("BOTTOMPADDING", (0, -1), (-1, -1), 7)])
    return box


def _title_block(w: Writer, worksheet: Worksheet) -> Table:
    family = worksheet.family_name or worksheet.case.family
    title = [w.text("Coding and justification worksheet", w.styles.title),
             w.text(family, w.styles.subtitle, FIELD_LIMIT)]
    block = Table([[title, _status_box(w, worksheet)]],
                  colWidths=[S.CONTENT_WIDTH - STATUS_WIDTH, STATUS_WIDTH])
    block.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    return block


def _payer_text(worksheet: Worksheet) -> str:
    payer_id = worksheet.case.payer or ""
    if worksheet.payer_name and payer_id:
        return f"{worksheet.payer_name} ({payer_id})"
    return worksheet.payer_name or payer_id or NOT_ENTERED


def _claim_text(worksheet: Worksheet) -> str:
    case = worksheet.case
    claim = CLAIM_TYPES.get(case.claim_type or "", "claim type not entered")
    setting = SETTINGS.get(case.setting or "", "setting not entered")
    return f"{claim} · {setting}"


def _detail_rows(worksheet: Worksheet, options: Options) -> list[list[tuple[str, str]]]:
    case = worksheet.case
    return [
        [("Facility", options.facility), ("Coder", options.coder),
         ("Date prepared", date_text(options.prepared))],
        [("Account", case.patient.account or NOT_ENTERED),
         ("Date of service", date_text(case.date_of_service) or NOT_ENTERED),
         ("Payer", _payer_text(worksheet))],
        [("Claim type · setting", _claim_text(worksheet)),
         ("Reference version", worksheet.reference_version),
         ("ICD-10-CM release", worksheet.icd10cm_release or "not stated")],
        _claim_form_fields(worksheet.claim),
        _patient_fields(worksheet),
    ]


def _patient_fields(worksheet: Worksheet) -> list[tuple[str, str]]:
    """Age, rendering provider taxonomy and the trial number, in the header block."""
    case = worksheet.case
    age = case.patient.age
    nct = case.answers.get("nct_number")
    return [("Patient age", NOT_ENTERED if age is None else f"{age} years"),
            ("Rendering taxonomy", case.rendering_taxonomy or NOT_ENTERED),
            ("Clinical trial (NCT)", str(nct) if nct else "none")]


FORM_NAMES = {"professional": "CMS-1500 / 837P", "institutional": "UB-04 / 837I"}


def _from_setting(claim: ClaimForm, fact: str) -> str:
    return " · from the setting" if fact in claim.derived else ""


def _claim_form_fields(claim: ClaimForm) -> list[tuple[str, str]]:
    """Form and who bills; POS with its rate, or TOB; condition and value codes."""
    form = FORM_NAMES.get(claim.form or "", NOT_ENTERED)
    billed = f"{form} · billed by {claim.billed_by}" if claim.billed_by else form
    if claim.form == "institutional":
        where = ("Type of bill", " ".join(
            part for part in (claim.type_of_bill or NOT_ENTERED, claim.type_of_bill_name) if part)
            + _from_setting(claim, "type_of_bill"))
    else:
        rate = "facility rate" if claim.facility_rate else "non-facility rate"
        pos = claim.place_of_service
        name = f"{pos} {claim.place_of_service_name}".strip() if pos else ""
        where = ("Place of service",
                 f"{name} · {rate}{_from_setting(claim, 'place_of_service')}" if pos
                 else NOT_ENTERED)
    codes = [f"condition {code}" for code in claim.condition_codes]
    codes += [f"value {code} {value}" for code, value in claim.value_codes]
    return [("Claim form", billed), where,
            ("Condition · value codes", ", ".join(codes) or "none")]


def _field(w: Writer, label: str, value: str) -> Flowables:
    """A form field: small label above the value (blank values leave a line to write on)."""
    value_cell = w.text(value, w.styles.cell_bold, FIELD_LIMIT) if value else Spacer(1, 16)
    return [w.text(label.upper(), w.styles.label), value_cell]


def _details_table(w: Writer, worksheet: Worksheet, options: Options) -> Table:
    rows = [[_field(w, label, value) for label, value in row]
            for row in _detail_rows(worksheet, options)]
    gap = 16.0
    width = (S.CONTENT_WIDTH - 2 * gap) / 3
    table = Table(rows, colWidths=[width + gap, width + gap, width], hAlign="LEFT")
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (1, -1), gap),
                    ("RIGHTPADDING", (2, 0), (2, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, S.GRID)])
    return table


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _summary_text(worksheet: Worksheet) -> str:
    warnings = worksheet.findings_by_severity("warning")
    acknowledged = sum(1 for f in warnings if f.acknowledged)
    parts = [_plural(len(worksheet.lines), "claim line"),
             _plural(len(worksheet.diagnoses), "diagnosis").replace("diagnosiss", "diagnoses"),
             _plural(len(worksheet.findings_by_severity("error")), "error"),
             f"{_plural(len(warnings), 'warning')} ({acknowledged} acknowledged)",
             f"{len(worksheet.findings_by_severity('info'))} information"]
    return " · ".join(parts)


def header(w: Writer, worksheet: Worksheet, options: Options) -> Flowables:
    return [_title_block(w, worksheet), Spacer(1, 10),
            _details_table(w, worksheet, options), Spacer(1, 8),
            w.text(_summary_text(worksheet), w.styles.muted),
            w.text(f"Code releases used: {worksheet.releases_line}", w.styles.muted)]


# Claim lines and diagnoses ---------------------------------------------------------------


def _joined(values: Iterable[object]) -> str:
    text = ", ".join(str(value) for value in values)
    return text or "—"


def _line_label(line: Line) -> str:
    return "-".join((line.code, *line.modifiers))


def ndc_text(line: Line) -> str:
    if line.ndc is None:
        return ""
    quantity = "" if line.ndc_quantity is None else f"{line.ndc_quantity:.3f}".rstrip("0").rstrip(".")
    unit = f" {line.ndc_unit}{quantity}" if line.ndc_unit else ""
    return f"NDC N4{line.ndc}{unit}"


def _descriptor_cell(w: Writer, line: Line) -> Flowables:
    parts = (line.origin.capitalize(), line.role, ndc_text(line))
    detail = " · ".join(part for part in parts if part)
    return [w.text(line.descriptor or "—", w.styles.cell), w.text(detail, w.styles.detail)]


def _procedures(w: Writer, worksheet: Worksheet) -> Flowables:
    """The facility's ICD-10-PCS codes (inpatient institutional claims only)."""
    if not worksheet.procedures:
        return []
    st = w.styles
    head = [w.text(text, st.header_cell) for text in ("ICD-10-PCS", "Procedure", "Why")]
    rows = [[w.text(p.code, st.cell_bold), w.text(p.description, st.cell),
             [w.text(p.why, st.cell), w.text(f"Source: {p.source}", st.detail)]]
            for p in worksheet.procedures]
    title = w.text("Facility procedure codes (ICD-10-PCS, inpatient claim)", st.subheading, 200)
    return [Spacer(1, 8), CondPageBreak(KEEP_WITH_SUBHEADING), title,
            data_table([head, *rows], [70, 170, S.CONTENT_WIDTH - 240])]


def claim_lines(w: Writer, worksheet: Worksheet) -> Flowables:
    flowables = w.heading(1, "Claim lines")
    if not worksheet.lines:
        return [*flowables, w.text("No claim lines.", w.styles.body)]
    st = w.styles
    head = [w.text(text, st.header_cell) for text in
            ("Line", "Code", "Modifiers", "Units", "Dx pointers", "Descriptor")]
    rows = [[w.text(str(line.number), st.cell), w.text(line.code, st.cell_bold),
             w.text(_joined(line.modifiers), st.cell), w.text(str(line.units), st.cell),
             w.text(_joined(line.diagnosis_pointers), st.cell), _descriptor_cell(w, line)]
            for line in worksheet.lines]
    widths = [32, 58, 62, 36, 60, S.CONTENT_WIDTH - 248]
    if worksheet.claim.form == "institutional":
        head.insert(1, w.text("Rev code", st.header_cell))
        for row, line in zip(rows, worksheet.lines, strict=True):
            row.insert(1, w.text(line.revenue_code or "—", st.cell))
        widths = [28, 40, 54, 56, 32, 56, S.CONTENT_WIDTH - 266]
    return [*flowables, data_table([head, *rows], widths), *_procedures(w, worksheet)]


def _billable_cell(w: Writer, valid: bool, billable: bool) -> Flowable:
    if not valid:
        return w.coloured("invalid", S.ERROR, w.styles.cell_bold)
    return w.text("yes" if billable else "no", w.styles.cell)


def diagnoses(w: Writer, worksheet: Worksheet) -> Flowables:
    flowables = w.heading(2, "Diagnoses")
    if not worksheet.diagnoses:
        return [*flowables, w.text("No diagnoses entered.", w.styles.body)]
    st = w.styles
    head = [w.text(text, st.header_cell) for text in ("Pointer", "Code", "Description", "Billable")]
    rows = [[w.text(str(dx.pointer), st.cell), w.text(dx.code, st.cell_bold),
             w.text(dx.description or "—", st.cell), _billable_cell(w, dx.valid, dx.billable)]
            for dx in worksheet.diagnoses]
    widths = [48, 70, S.CONTENT_WIDTH - 178, 60]
    return [*flowables, data_table([head, *rows], widths)]


# Why each code ---------------------------------------------------------------------------


def _step_cell(w: Writer, step: PathStep) -> Flowables:
    cell = [w.text(step.text or "—", w.styles.cell)]
    if step.source:
        cell.append(w.text(f"Source: {step.source}", w.styles.detail))
    return cell


def _line_reasons(w: Writer, line: Line) -> Flowables:
    title = w.text(f"Line {line.number}  {_line_label(line)}", w.styles.subheading, 200)
    if not line.path:
        note = "Entered by the coder; no derivation recorded." if line.origin == "entered" \
            else "No derivation steps recorded."
        return [KeepTogether([title, w.text(note, w.styles.muted)])]
    rows = [[w.text(f"{number}.", w.styles.cell_muted),
             w.text(STEP_KINDS[step.kind], w.styles.cell_muted), _step_cell(w, step)]
            for number, step in enumerate(line.path, start=1)]
    table = data_table(rows, [20, 66, S.CONTENT_WIDTH - 86], header=False)
    return [CondPageBreak(KEEP_WITH_SUBHEADING), title, table]


def reasons(w: Writer, worksheet: Worksheet) -> Flowables:
    flowables = w.heading(3, "Why each code")
    if not worksheet.lines:
        return [*flowables, w.text("No claim lines to explain.", w.styles.body)]
    for line in worksheet.lines:
        flowables += _line_reasons(w, line)
    return flowables


# Coverage criteria -----------------------------------------------------------------------


def _coverage_intro(w: Writer, worksheet: Worksheet) -> Flowables:
    position = worksheet.coverage_position or "not recorded"
    policy = worksheet.coverage_policy or "not recorded"
    return [*w.labelled("Payer position:", position, w.styles.body),
            *w.labelled("Policy:", policy, w.styles.body)]


def _criterion_row(w: Writer, result: CriterionResult) -> list[Any]:
    st = w.styles
    criterion = [w.text(result.text or result.criterion, st.cell)]
    if result.asks:
        criterion.append(w.text(f"Asked: {result.asks}", st.detail))
    word, colour = OUTCOMES[result.outcome]
    return [criterion, w.text(result.answer or "—", st.cell),
            w.coloured(word, colour, st.cell_bold), w.text(result.source or "—", st.small)]


def coverage(w: Writer, worksheet: Worksheet) -> Flowables:
    flowables = w.heading(4, "Coverage criteria") + _coverage_intro(w, worksheet)
    if not worksheet.criteria:
        return [*flowables, w.text("No coverage criteria apply to this payer and procedure.",
                                   w.styles.muted)]
    head = [w.text(text, w.styles.header_cell)
            for text in ("Criterion", "Answer", "Outcome", "Source")]
    rows = [_criterion_row(w, result) for result in worksheet.criteria]
    widths = [S.CONTENT_WIDTH - 312, 66, 76, 170]
    return [*flowables, data_table([head, *rows], widths)]


# Findings --------------------------------------------------------------------------------


def _acknowledgement_rows(w: Writer, finding: Finding) -> Flowables:
    st = w.styles
    if finding.acknowledged:
        reason = finding.acknowledgement or "(no reason given)"
        return w.labelled("Acknowledged:", reason, st.finding_text, S.OK)
    if finding.severity == "warning":
        return [w.coloured("Not acknowledged", S.WARNING, st.finding_text)]
    return []


def _finding_rows(w: Writer, finding: Finding) -> Flowables:
    st = w.styles
    rows: Flowables = [w.text(f"{finding.rule}  ·  {finding.title}", st.finding_title)]
    rows += w.blocks(finding.message, st.finding_text)
    for label, value in (("Codes:", ", ".join(finding.codes)), ("Citation:", finding.citation),
                         ("Fix:", finding.fix)):
        if value:
            rows += w.labelled(label, value, st.finding_text)
    return rows + _acknowledgement_rows(w, finding)


def _finding_table(w: Writer, finding: Finding) -> Table:
    colour = S.SEVERITY_COLOURS[finding.severity]
    block = Table([[row] for row in _finding_rows(w, finding)],
                  colWidths=[S.CONTENT_WIDTH], splitInRow=1, hAlign="LEFT")
    block.setStyle([("LINEBEFORE", (0, 0), (0, -1), 2.5, colour),
                    ("LEFTPADDING", (0, 0), (-1, -1), 9),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)])
    block.spaceAfter = 7
    return block


def _severity_group(w: Writer, severity: Severity, title: str,
                    group: list[Finding]) -> Flowables:
    """Group heading, then each finding kept on one page when it fits (heading with the first)."""
    heading = w.coloured(f"{title} ({len(group)})", S.SEVERITY_COLOURS[severity],
                         w.styles.subheading)
    if not group:
        return [heading, w.text("None.", w.styles.muted)]
    blocks = [_finding_table(w, finding) for finding in group]
    return [KeepTogether([heading, blocks[0]]), *(KeepTogether([b]) for b in blocks[1:])]


def findings(w: Writer, worksheet: Worksheet) -> Flowables:
    flowables = w.heading(5, "Findings")
    if not worksheet.findings:
        return [*flowables, w.text("No findings.", w.styles.body)]
    for severity, title in SEVERITY_GROUPS:
        flowables += _severity_group(w, severity, title, worksheet.findings_by_severity(severity))
    return flowables


# Narrative, notes, attestation -----------------------------------------------------------


def justification(w: Writer, worksheet: Worksheet) -> Flowables:
    flowables = w.heading(6, "Justification")
    body: Flowables = []
    for paragraph in worksheet.justification:
        body += w.blocks(paragraph, w.styles.body)
    return flowables + (body or [w.text("No justification narrative.", w.styles.muted)])


def notes(w: Writer, worksheet: Worksheet) -> Flowables:
    body = w.blocks(worksheet.case.notes, w.styles.body)
    return w.heading(7, "Coder's notes") + (body or [w.text("No notes.", w.styles.muted)])


def _signature_table(w: Writer, options: Options) -> Table:
    st = w.styles
    coder = f"Coder: {clip(options.coder, FIELD_LIMIT)}" if options.coder else "Coder"
    rows = [["", "", ""],
            [w.text(f"{coder} — signature", st.muted), "", w.text("Date", st.muted)],
            ["", "", ""],
            [w.text("Reviewer — name and signature", st.muted), "", w.text("Date", st.muted)]]
    table = Table(rows, colWidths=[300, 30, S.CONTENT_WIDTH - 330],
                  rowHeights=[26, None, 26, None], hAlign="LEFT")
    table.setStyle([("LINEBELOW", (0, 0), (0, 0), 0.7, S.INK),
                    ("LINEBELOW", (2, 0), (2, 0), 0.7, S.INK),
                    ("LINEBELOW", (0, 2), (0, 2), 0.7, S.INK),
                    ("LINEBELOW", (2, 2), (2, 2), 0.7, S.INK),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP")])
    return table


def attestation(w: Writer, options: Options) -> Flowables:
    body = [*w.heading_only(8, "Attestation"), w.para(ATTESTATION, w.styles.body),
            _signature_table(w, options)]
    return [KeepTogether(body)]


def worksheet_story(w: Writer, worksheet: Worksheet, options: Options) -> Flowables:
    """All sections in reading order."""
    return [*header(w, worksheet, options), *claim_lines(w, worksheet),
            *diagnoses(w, worksheet), *reasons(w, worksheet), *coverage(w, worksheet),
            *findings(w, worksheet), *justification(w, worksheet), *notes(w, worksheet),
            *attestation(w, options)]

"""The GUI's only doors to the coder and the report, both imported on first use.

Nothing here decides anything about codes: it calls ``models.coder`` and
``reports.pdf`` and hands their results to the widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from models.case import Case
    from models.refdata import QuestionRow
    from models.reference import Reference
    from models.worksheet import Worksheet


def check(case: Case, reference: Reference) -> Worksheet:
    from models.coder import check as coder_check

    return coder_check(case, reference)


def applicable_questions(case: Case, reference: Reference) -> list[QuestionRow]:
    """The family's questions that apply to this case, in order (the coder decides)."""
    from models.coder import applicable_questions as coder_questions

    return coder_questions(case, reference)


def render_pdf(worksheet: Worksheet, *, facility: str, coder: str, prepared: date) -> bytes:
    """The worksheet PDF; reportlab loads here, on first use."""
    from reports.pdf import render_pdf as report_pdf

    return report_pdf(worksheet, facility=facility, coder=coder, prepared=prepared)


def answered_subjects(case: Case, worksheet: Worksheet) -> list[str | None]:
    """For each of the case's acknowledgements, the subject of the finding it answers."""
    from models.coder.subjects import answered_findings

    targets = answered_findings(case.acknowledged, worksheet.findings)
    return [worksheet.findings[t].subject if t is not None else None for t in targets]

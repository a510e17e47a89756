"""Assemble the worksheet PDF: document template, metadata, story, canvas."""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator

from reportlab import rl_config
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from models.worksheet import Worksheet
from reports import styles as S
from reports.attachment import Attachment, worksheet_attachments
from reports.fonts import FontFamily, font_family
from reports.page import Furniture, canvas_maker, make_furniture
from reports.sections import DRAFT_REASONS, STATUS_WORDS, Options, Writer, worksheet_story
from reports.text import shorten, visible_text

TITLE = "Coding and justification worksheet"
CREATOR = "cell-therapy-worksheet"

_RENDERING = threading.Lock()
"""reportlab keeps settings and font state in module globals: one render at a time."""


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Skip ASCII85 on compressed streams: smaller files, and faster in pure Python."""
    with _RENDERING:
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = saved


def _family(worksheet: Worksheet) -> str:
    return worksheet.family_name or worksheet.case.family


def _metadata(worksheet: Worksheet, options: Options, fonts: FontFamily) -> dict[str, str]:
    """Title, subject and author: no notes, no patient details beyond none at all."""

    def clean(text: str) -> str:
        return visible_text(shorten(text, 200), fonts.glyphs)

    subject = (f"{TITLE}: procedure family {_family(worksheet)}; status {worksheet.status}; "
               f"reference {worksheet.reference_version}; digest {worksheet.short_digest}")
    return {"title": clean(f"{TITLE} — {_family(worksheet)}"), "subject": clean(subject),
            "author": clean(options.coder), "creator": CREATOR}


def _furniture(worksheet: Worksheet, fonts: FontFamily) -> Furniture:
    account = worksheet.case.patient.account or "not entered"
    release = f" · ICD-10-CM {worksheet.icd10cm_release}" if worksheet.icd10cm_release else ""
    return make_furniture(
        fonts,
        running_title=f"Worksheet · Account {account} · {_family(worksheet)}",
        status_word=STATUS_WORDS[worksheet.status],
        footer_text=(f"Digest {worksheet.short_digest} · Reference "
                     f"{worksheet.reference_version}{release}"),
        draft_reason=DRAFT_REASONS.get(worksheet.status),
    )


def _attachments(worksheet: Worksheet) -> tuple[Attachment, ...]:
    """The case and the printed result, so the worksheet can be re-opened and verified."""
    from models.store.summary import summarize

    return worksheet_attachments(worksheet.case.to_file_text(), summarize(worksheet).to_json())


def _template(buffer: io.BytesIO, metadata: dict[str, str]) -> BaseDocTemplate:
    frame = Frame(S.MARGIN_X, S.MARGIN_BOTTOM, S.CONTENT_WIDTH,
                  S.PAGE_HEIGHT - S.MARGIN_TOP - S.MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    return BaseDocTemplate(buffer, pagesize=(S.PAGE_WIDTH, S.PAGE_HEIGHT),
                           pageTemplates=[PageTemplate(id="page", frames=[frame])],
                           leftMargin=S.MARGIN_X, rightMargin=S.MARGIN_X,
                           topMargin=S.MARGIN_TOP, bottomMargin=S.MARGIN_BOTTOM,
                           invariant=1, lang="en-US", **metadata)


def build_pdf(worksheet: Worksheet, options: Options) -> bytes:
    with _binary_streams():
        fonts = font_family()
        writer = Writer(S.make_styles(fonts))
        buffer = io.BytesIO()
        document = _template(buffer, _metadata(worksheet, options, fonts))
        document.build(worksheet_story(writer, worksheet, options),
                       canvasmaker=canvas_maker(_furniture(worksheet, fonts),
                                                _attachments(worksheet)))
        return buffer.getvalue()

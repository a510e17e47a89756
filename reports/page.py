"""Page furniture drawn on every page: running header, footer, DRAFT watermark.

`NumberedCanvas` keeps each finished page until the document is saved, so the
footer can say "Page x of y" in a single layout pass.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports import styles as S
from reports.attachment import Attachment, embed
from reports.fonts import FontFamily
from reports.text import shorten, visible_text

DRAFT_TEXT = "DRAFT — NOT FOR SUBMISSION"
FOOTER_Y = 30.0
HEADER_Y = S.PAGE_HEIGHT - 38.0


@dataclass(frozen=True)
class Furniture:
    """What every page shows besides the content; all text already made visible."""

    fonts: FontFamily
    running_title: str
    status_word: str
    footer_text: str
    draft_reason: str | None


def make_furniture(fonts: FontFamily, *, running_title: str, status_word: str,
                   footer_text: str, draft_reason: str | None) -> Furniture:
    def clean(text: str) -> str:
        return visible_text(shorten(text, 110), fonts.glyphs)

    return Furniture(fonts, clean(running_title), status_word, clean(footer_text),
                     None if draft_reason is None else clean(draft_reason))


def _fit(text: str, font: str, size: float, width: float) -> str:
    while text and stringWidth(text, font, size) > width:
        text = text[:-2].rstrip() + "…"
    return text


def _running_header(canvas: Canvas, furniture: Furniture) -> None:
    fonts = furniture.fonts
    status = f"Status: {furniture.status_word}"
    status_width = stringWidth(status, fonts.bold, 7.5)
    title_width = S.CONTENT_WIDTH - status_width - 18
    canvas.setFillColor(S.MUTED)
    canvas.setFont(fonts.regular, 7.5)
    canvas.drawString(S.MARGIN_X, HEADER_Y,
                      _fit(furniture.running_title, fonts.regular, 7.5, title_width))
    canvas.setFont(fonts.bold, 7.5)
    canvas.drawRightString(S.PAGE_WIDTH - S.MARGIN_X, HEADER_Y, status)
    canvas.setStrokeColor(S.RULE)
    canvas.setLineWidth(0.5)
    canvas.line(S.MARGIN_X, HEADER_Y - 5, S.PAGE_WIDTH - S.MARGIN_X, HEADER_Y - 5)


def _footer(canvas: Canvas, furniture: Furniture, number: int, total: int) -> None:
    fonts = furniture.fonts
    page = f"Page {number} of {total}"
    canvas.setStrokeColor(S.RULE)
    canvas.setLineWidth(0.5)
    canvas.line(S.MARGIN_X, FOOTER_Y + 10, S.PAGE_WIDTH - S.MARGIN_X, FOOTER_Y + 10)
    canvas.setFillColor(S.MUTED)
    canvas.setFont(fonts.regular, 7.5)
    text_width = S.CONTENT_WIDTH - stringWidth(page, fonts.bold, 7.5) - 18
    canvas.drawString(S.MARGIN_X, FOOTER_Y,
                      _fit(furniture.footer_text, fonts.regular, 7.5, text_width))
    canvas.setFillColor(S.INK)
    canvas.setFont(fonts.bold, 7.5)
    canvas.drawRightString(S.PAGE_WIDTH - S.MARGIN_X, FOOTER_Y, page)


def _watermark(canvas: Canvas, furniture: Furniture, reason: str) -> None:
    fonts = furniture.fonts
    angle = math.degrees(math.atan2(S.PAGE_HEIGHT, S.PAGE_WIDTH))
    diagonal = math.hypot(S.PAGE_WIDTH, S.PAGE_HEIGHT)
    size = min(54.0, 0.72 * diagonal * 54.0 / stringWidth(DRAFT_TEXT, fonts.bold, 54.0))
    canvas.saveState()
    canvas.translate(S.PAGE_WIDTH / 2, S.PAGE_HEIGHT / 2)
    canvas.rotate(angle)
    canvas.setFillColor(S.WATERMARK)
    canvas.setFillAlpha(0.13)
    canvas.setFont(fonts.bold, size)
    canvas.drawCentredString(0, 0, DRAFT_TEXT)
    canvas.setFont(fonts.bold, size * 0.42)
    canvas.drawCentredString(0, -size * 0.85, reason)
    canvas.restoreState()


def _draft_banner(canvas: Canvas, furniture: Furniture, reason: str) -> None:
    """A small upright line as well, so photocopies and text search still show it."""
    canvas.setFillColor(S.WATERMARK)
    canvas.setFont(furniture.fonts.bold, 7.5)
    canvas.drawCentredString(S.PAGE_WIDTH / 2, FOOTER_Y - 11, f"{DRAFT_TEXT} · {reason}")


def draw_furniture(canvas: Canvas, furniture: Furniture, number: int, total: int) -> None:
    if number > 1:
        _running_header(canvas, furniture)
    _footer(canvas, furniture, number, total)
    if furniture.draft_reason is not None:
        _draft_banner(canvas, furniture, furniture.draft_reason)
        _watermark(canvas, furniture, furniture.draft_reason)


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Defers page output to `save`, when the page count is known."""

    def __init__(self, *args: Any, furniture: Furniture,
                 attachments: tuple[Attachment, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._attachments = attachments
        self._finished_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._finished_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._finished_pages)
        for number, state in enumerate(self._finished_pages, start=1):
            self.__dict__.update(state)
            draw_furniture(self, self._furniture, number, total)
            Canvas.showPage(self)
        embed(self, self._attachments)
        Canvas.save(self)


def canvas_maker(furniture: Furniture,
                 attachments: tuple[Attachment, ...] = ()) -> Callable[..., Canvas]:
    return functools.partial(NumberedCanvas, furniture=furniture, attachments=attachments)

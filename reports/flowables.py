"""A cheap one-line text flowable for short cells, labels and headings.

Most cells hold a code, a number or a short phrase. Parsing each as Paragraph
markup costs far more than drawing it, so `TextLine` draws plain text directly and
becomes a wrapped Paragraph only when the text does not fit its width. It puts the
baseline exactly where a one-line Paragraph of the same style would.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from reports.text import CELL_LIMIT, GlyphSet, clip, paragraph_text, visible_text


class TextLine(Flowable):  # type: ignore[misc]
    """Text from the coder or the reference in a style, after an optional coloured label.

    The text is made visible (reports.text.visible_text) for drawing; if it must
    wrap, it becomes a Paragraph of reports.text.paragraph_text, like any other.
    """

    def __init__(self, text: str, style: ParagraphStyle, glyphs: GlyphSet,
                 limit: int = CELL_LIMIT, *, label: str = "",
                 label_colour: Color | None = None) -> None:
        super().__init__()
        self.source_text = text
        self.text = visible_text(clip(text, limit), glyphs).replace("\n", " ")
        self.style = style
        self.glyphs = glyphs
        self.limit = limit
        self.label = f"{label} " if label else ""
        self.label_colour = label_colour
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self._paragraph: Paragraph | None = None
        self._width = stringWidth(self.label + self.text, style.fontName, style.fontSize)

    def _as_paragraph(self) -> Paragraph:
        if self._paragraph is None:
            markup = paragraph_text(self.source_text, self.glyphs, limit=self.limit)
            if self.label:
                colour = "#" + str(self.label_colour.hexval())[2:] if self.label_colour else ""
                label = f'<font color="{colour}">{self.label}</font>' if colour else self.label
                markup = label + markup
            self._paragraph = Paragraph(markup, self.style)
        return self._paragraph

    def _fits(self, available_width: float) -> bool:
        return bool(self._width <= available_width)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._fits(available_width):
            self._paragraph = None
            return self._width, self.style.leading
        size: tuple[float, float] = self._as_paragraph().wrap(available_width, available_height)
        return size

    def split(self, available_width: float, available_height: float) -> list[Any]:
        if self._fits(available_width):
            return []
        parts: list[Any] = self._as_paragraph().split(available_width, available_height)
        return parts

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Draw at (x, y) without a coordinate transform: cells hold many of these."""
        if self._paragraph is not None:
            self._paragraph.drawOn(canvas, x, y, _sW)
            return
        x = self._hAlignAdjust(x, _sW)
        style = self.style
        line = canvas.beginText(x, y + style.leading - style.fontSize)
        line.setFont(style.fontName, style.fontSize)
        if self.label:
            line.setFillColor(self.label_colour or style.textColor)
            line.textOut(self.label)
        line.setFillColor(style.textColor)
        line.textOut(self.text)
        canvas.saveState()
        canvas.drawText(line)
        canvas.restoreState()

    def draw(self) -> None:
        self.drawOn(self.canv, 0, 0)

"""Page geometry, colours and paragraph styles of the worksheet."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle

from reports.fonts import FontFamily

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN_X = 54.0
MARGIN_TOP = 62.0
MARGIN_BOTTOM = 58.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5b6470")
RULE = colors.HexColor("#b8bfc7")
GRID = colors.HexColor("#d9dde2")
HEADER_FILL = colors.HexColor("#eef1f4")
ERROR = colors.HexColor("#8f1d1d")
WARNING = colors.HexColor("#8a5a00")
INFO = colors.HexColor("#2d5577")
OK = colors.HexColor("#2b6036")
ERROR_TINT = colors.HexColor("#f8eaea")
WARNING_TINT = colors.HexColor("#fbf3e2")
OK_TINT = colors.HexColor("#e9f3ec")
WATERMARK = colors.HexColor("#a61b1b")

SEVERITY_COLOURS = {"error": ERROR, "warning": WARNING, "info": INFO}
STATUS_COLOURS = {"ready": (OK, OK_TINT), "review": (WARNING, WARNING_TINT),
                  "blocked": (ERROR, ERROR_TINT)}


@dataclass(frozen=True)
class Styles:
    fonts: FontFamily
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_muted: ParagraphStyle
    detail: ParagraphStyle
    cell_right: ParagraphStyle
    header_cell: ParagraphStyle
    status: ParagraphStyle
    finding_title: ParagraphStyle
    finding_text: ParagraphStyle


def _style(name: str, font: str, size: float, leading: float, **extra: object) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading,
                          textColor=extra.pop("textColor", INK), **extra)


@functools.cache
def make_styles(fonts: FontFamily) -> Styles:
    """The styles for a font family, made once: derived styles are cached by identity."""
    regular, bold = fonts.regular, fonts.bold
    return Styles(
        fonts=fonts,
        title=_style("title", bold, 16, 20),
        subtitle=_style("subtitle", regular, 10.5, 14, textColor=MUTED),
        heading=_style("heading", bold, 11.5, 15, spaceBefore=12, spaceAfter=4),
        subheading=_style("subheading", bold, 9.5, 12.5, spaceBefore=8, spaceAfter=3),
        body=_style("body", regular, 9, 12.5, spaceAfter=5),
        small=_style("small", regular, 8, 10.5),
        muted=_style("muted", regular, 8, 10.5, textColor=MUTED),
        label=_style("label", regular, 6.5, 9, textColor=MUTED),
        cell=_style("cell", regular, 8.5, 11),
        cell_bold=_style("cell_bold", bold, 8.5, 11),
        cell_muted=_style("cell_muted", regular, 8.5, 11, textColor=MUTED),
        detail=_style("detail", regular, 7.5, 10, textColor=MUTED),
        cell_right=_style("cell_right", regular, 8.5, 11, alignment=TA_RIGHT),
        header_cell=_style("header_cell", bold, 7.5, 9.5, textColor=MUTED),
        status=_style("status", bold, 11, 14),
        finding_title=_style("finding_title", bold, 9, 12),
        finding_text=_style("finding_text", regular, 8.5, 11.5),
    )

"""The embedded font family: DejaVu Sans if present, else Arial, else reportlab's Vera.

Helvetica (one of the 14 standard PDF fonts) only draws Latin-1, so a TrueType
font is registered once per process. The first family whose three files exist
and load wins; if none does, the standard Helvetica family is used and the glyph
set shrinks to Latin-1 (anything else prints as "?").
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from reports.text import LATIN_1, GlyphSet

REGULAR = "WorksheetSans"
BOLD = "WorksheetSans-Bold"
ITALIC = "WorksheetSans-Italic"


@dataclass(frozen=True)
class FontFamily:
    regular: str
    bold: str
    italic: str
    glyphs: GlyphSet


@dataclass(frozen=True)
class _Candidate:
    folders: tuple[Path, ...]
    regular: str
    bold: str
    italic: str

    def files(self) -> tuple[Path, Path, Path] | None:
        for folder in self.folders:
            paths = (folder / self.regular, folder / self.bold, folder / self.italic)
            if all(path.is_file() for path in paths):
                return paths
        return None


def _windows_fonts() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def _candidates() -> tuple[_Candidate, ...]:
    dejavu_folders = tuple(
        Path(folder)
        for folder in (
            "/usr/share/fonts/truetype/dejavu",
            "/usr/share/fonts/dejavu",
            "/usr/share/fonts/TTF",
            "/usr/local/share/fonts/dejavu",
        )
    )
    arial_folders = (_windows_fonts(), Path("/Library/Fonts"),
                     Path("/System/Library/Fonts/Supplemental"))
    vera_folder = (Path(reportlab.__file__).parent / "fonts",)
    return (
        _Candidate(dejavu_folders, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                   "DejaVuSans-Oblique.ttf"),
        _Candidate(arial_folders[:1], "arial.ttf", "arialbd.ttf", "ariali.ttf"),
        _Candidate(arial_folders[1:], "Arial.ttf", "Arial Bold.ttf", "Arial Italic.ttf"),
        _Candidate(vera_folder, "Vera.ttf", "VeraBd.ttf", "VeraIt.ttf"),
    )


def _register(paths: tuple[Path, Path, Path]) -> FontFamily:
    fonts = [TTFont(name, str(path)) for name, path in zip((REGULAR, BOLD, ITALIC), paths,
                                                           strict=True)]
    for font in fonts:
        pdfmetrics.registerFont(font)
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    return FontFamily(REGULAR, BOLD, ITALIC, GlyphSet.for_font(_printable(fonts[0], fonts[1])))


def _printable(regular: TTFont, bold: TTFont) -> frozenset[int]:
    """Code points both upright faces draw, limited to the Basic Multilingual Plane.

    The italic face is never used for worksheet text. Characters beyond U+FFFF are
    left out because reportlab writes them into the ToUnicode map as invalid
    (odd-length) hex, which breaks copying and searching the text.
    """
    both = frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)
    return frozenset(code for code in both if code <= 0xFFFF)


_STANDARD = FontFamily("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", LATIN_1)


@functools.cache
def font_family() -> FontFamily:
    """Register the best available TrueType family once; Helvetica when none loads."""
    for candidate in _candidates():
        paths = candidate.files()
        if paths is None:
            continue
        try:
            return _register(paths)
        except (TTFError, OSError, KeyError, ValueError):
            continue
    return _STANDARD

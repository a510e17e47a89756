"""Hostile-text handling for the worksheet PDF (pure Python, no reportlab).

Every string that comes from the coder or the reference database passes through
`paragraph_text` (for reportlab Paragraph markup) or `visible_text` (for text drawn
straight onto the canvas) before it reaches the page:

* markup characters are escaped, so ``<b>`` prints as ``<b>`` and never turns bold;
* control characters and lone surrogates become a visible replacement character;
* invisible formatting characters (bidi marks, zero-width joiners, BOM) are dropped;
* characters the embedded font has no glyph for become a visible replacement
  character instead of an empty box or nothing at all.

`text_chunks` cuts very long text into pieces small enough that a single
Paragraph never outgrows a page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

REPLACEMENT_CANDIDATES = ("\ufffd", "\u25a1", "?")
"""Preferred visible stand-ins for a character that cannot be printed, best first."""

CHUNK_LIMIT = 1500
"""Characters per Paragraph of free text: a chunk this long fills well under a page."""

CELL_LIMIT = 2000
"""Characters shown in one table cell; tables slow down badly on longer cells."""

FIELD_LIMIT = 300
"""Characters shown in one header field, which cannot continue on the next page."""

_MARKUP_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
}
_MARKUP_PATTERN = re.compile("[&<>\"']")
_LINE_SEPARATORS = {"\u2028", "\u2029", "\x85", "\x0b", "\x0c"}
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


@dataclass(frozen=True)
class GlyphSet:
    """The code points a font can draw and the character to print for the rest."""

    code_points: frozenset[int]
    replacement: str = "?"

    @classmethod
    def for_font(cls, code_points: frozenset[int]) -> GlyphSet:
        usable = [c for c in REPLACEMENT_CANDIDATES if ord(c) in code_points]
        return cls(code_points, usable[0] if usable else "?")

    def covers(self, char: str) -> bool:
        return ord(char) in self.code_points


_WIN_ANSI_EXTRAS = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
LATIN_1 = GlyphSet(frozenset(range(0x20, 0x7F)) | frozenset(range(0xA0, 0x100))
                   | frozenset(ord(c) for c in _WIN_ANSI_EXTRAS), "?")
"""What the standard PDF fonts (Helvetica, WinAnsi encoding) can draw."""


def normalize_line_breaks(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for separator in _LINE_SEPARATORS:
        text = text.replace(separator, "\n")
    return text


def _visible_char(char: str, glyphs: GlyphSet) -> str:
    if char == "\n":
        return char
    category = unicodedata.category(char)
    if char == "\t" or (category == "Zs" and not glyphs.covers(char)):
        return " "
    if category in ("Cc", "Cs"):
        return glyphs.replacement
    if category == "Cf":
        return ""
    return char if glyphs.covers(char) else glyphs.replacement


def visible_text(text: str, glyphs: GlyphSet) -> str:
    """Text with every character printable in the font: NFC, no controls, no gaps."""
    text = normalize_line_breaks(text)
    if text.isascii() and text.isprintable():
        return text
    text = unicodedata.normalize("NFC", text)
    return "".join(_visible_char(char, glyphs) for char in text)


def escape_markup(text: str) -> str:
    """Escape the characters reportlab's Paragraph parser treats as markup."""
    return _MARKUP_PATTERN.sub(lambda match: _MARKUP_ESCAPES[match.group(0)], text)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, saying visibly how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]} … [{len(text) - limit:,} more characters not shown]"


def paragraph_text(text: str, glyphs: GlyphSet, *, keep_line_breaks: bool = False,
                   limit: int = CELL_LIMIT) -> str:
    """The one way user and reference text enters Paragraph markup."""
    safe = escape_markup(visible_text(clip(text, limit), glyphs))
    if keep_line_breaks:
        return safe.replace("\n", "<br/>")
    return safe.replace("\n", " ")


def _cut_point(text: str, limit: int) -> int:
    """Where to cut: a line break, else a sentence end, else a space, else anywhere."""
    window = text[:limit]
    for separator in ("\n", ". ", " "):
        position = window.rfind(separator)
        if position >= limit // 2:
            return position + len(separator)
    return limit


def text_chunks(text: str, limit: int = CHUNK_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut at a line break or space if possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = _cut_point(text, limit)
        pieces.append(text[:cut])
        text = text[cut:]
    if text:
        pieces.append(text)
    return pieces


def text_blocks(text: str, limit: int = CHUNK_LIMIT) -> list[list[str]]:
    """Paragraphs of free text (split at blank lines), each as a list of chunks."""
    text = normalize_line_breaks(text).strip()
    blocks: list[list[str]] = []
    for paragraph in _BLANK_LINES.split(text):
        paragraph = paragraph.strip("\n")
        if paragraph.strip():
            blocks.append(text_chunks(paragraph, limit))
    return blocks


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when cut (for one-line page furniture)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"

"""The hostile-text helpers behind every string printed on the worksheet."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.text import (
    CELL_LIMIT,
    LATIN_1,
    GlyphSet,
    clip,
    escape_markup,
    paragraph_text,
    text_blocks,
    text_chunks,
    visible_text,
)

WIDE = GlyphSet.for_font(frozenset(range(0x20, 0x7F)) | frozenset(range(0xA0, 0x2000))
                         | {0xFFFD})


def test_markup_characters_are_escaped() -> None:
    assert escape_markup("<b>&\"'</b>") == "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;"


def test_control_characters_become_a_visible_replacement() -> None:
    assert visible_text("a\x00b\x07c\x1b", WIDE) == "a\ufffdb\ufffdc\ufffd"


def test_lone_surrogate_becomes_a_replacement() -> None:
    assert visible_text("a\ud800b", WIDE) == "a\ufffdb"


def test_invisible_format_characters_are_dropped() -> None:
    assert visible_text("a\u200fb\u202ec\ufeffd\u200d", WIDE) == "abcd"


def test_tab_and_line_separators() -> None:
    assert visible_text("a\tb\r\nc\u2028d", WIDE) == "a b\nc\nd"


def test_decomposed_accents_are_composed() -> None:
    assert visible_text("Zoe\u0308", WIDE) == "Zoë"


def test_characters_the_font_lacks_become_its_replacement() -> None:
    assert visible_text("ok 😀 名", WIDE) == "ok \ufffd \ufffd"
    assert visible_text("ok 😀 é", LATIN_1) == "ok ? é"


def test_replacement_falls_back_to_question_mark() -> None:
    assert GlyphSet.for_font(frozenset(range(0x20, 0x7F))).replacement == "?"
    assert GlyphSet.for_font(frozenset({0x25A1, 0x3F})).replacement == "\u25a1"


def test_paragraph_text_line_breaks() -> None:
    assert paragraph_text("a\nb", WIDE) == "a b"
    assert paragraph_text("a\n<b>", WIDE, keep_line_breaks=True) == "a<br/>&lt;b&gt;"


def test_clip_says_how_much_was_left_out() -> None:
    assert clip("abc", 5) == "abc"
    assert clip("a" * 2500, 2000).endswith("[500 more characters not shown]")
    assert len(paragraph_text("x" * 10_000, WIDE)) < CELL_LIMIT + 100


def test_chunks_prefer_line_breaks_sentences_and_spaces() -> None:
    text = ("One sentence here. " * 200).strip()
    chunks = text_chunks(text, 300)
    assert "".join(chunks) == text
    assert all(len(chunk) <= 300 for chunk in chunks)
    assert all(chunk.endswith(". ") for chunk in chunks[:-1])


def test_unbroken_text_is_cut_anywhere() -> None:
    chunks = text_chunks("x" * 1000, 300)
    assert [len(c) for c in chunks] == [300, 300, 300, 100]


def test_blocks_split_at_blank_lines() -> None:
    assert text_blocks("first\nline\n\n  \n\nsecond\r\n\r\nthird") == [
        ["first\nline"], ["second"], ["third"]]
    assert text_blocks("   \n\n ") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_paragraph_text_never_leaves_raw_markup(text: str) -> None:
    safe = paragraph_text(text, WIDE, keep_line_breaks=True)
    without_breaks = safe.replace("<br/>", "")
    assert "<" not in without_breaks and ">" not in without_breaks
    assert all(ord(c) in WIDE.code_points for c in without_breaks)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=3000), st.integers(min_value=10, max_value=400))
def test_chunks_rejoin_to_the_original(text: str, limit: int) -> None:
    chunks = text_chunks(text, limit)
    assert "".join(chunks) == text
    assert all(0 < len(chunk) <= limit for chunk in chunks)

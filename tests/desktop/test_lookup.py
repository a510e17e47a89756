"""The look-up boxes: prefixes as the coder types, the family's codes first, header drill-down."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.desktop.actions import choose, pick_completion, type_text


def completion_codes(qtbot: Any, line: Any, text: str) -> list[str]:
    type_text(qtbot, line, text)
    completer = line.completer()
    qtbot.waitUntil(completer.popup().isVisible, timeout=3000)
    model = completer.completionModel()
    return [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]


def test_a_prefix_ending_in_y_finds_the_familys_code_first(qtbot: Any, window: Any) -> None:
    choose(qtbot, window.pages["case"].family, "Pancreatic")
    window.go_to("diagnoses")
    codes = completion_codes(qtbot, window.pages["diagnoses"].entry, "hypogly")
    assert codes[:2] == ["E10.641", "E10.649"]


def test_a_header_code_offers_its_billable_codes_in_place(qtbot: Any, window: Any) -> None:
    window.go_to("diagnoses")
    page = window.pages["diagnoses"]
    pick_completion(qtbot, page.entry, "E10.6", "E10.64")
    qtbot.waitUntil(lambda: page.entry.text() == "E10.64", timeout=3000)
    assert window.doc.case.diagnoses == []
    assert "header" in page.refusal.text()
    popup = page.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    model = page.completer.completionModel()
    children = [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]
    assert children == ["E10.641", "E10.649"]


def test_a_code_prefix_shows_billable_codes_without_scrolling(qtbot: Any, window: Any) -> None:
    window.go_to("diagnoses")
    codes = completion_codes(qtbot, window.pages["diagnoses"].entry, "E10.6")
    billable = {c for c in codes[:6] if window.reference.icd(c).billable}
    assert len(billable) == 6, codes

"""Undo and redo of every change to the case (Edit menu, Ctrl+Z, Ctrl+Shift+Z)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from tests.desktop.actions import choose, click, type_text


def undo(qtbot: Any, window: Any) -> None:
    window.steps.setFocus()
    qtbot.keyClick(window.steps, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(qtbot: Any, window: Any) -> None:
    window.steps.setFocus()
    qtbot.keyClick(window.steps, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def test_edit_menu_has_undo_and_redo_with_standard_keys(window: Any) -> None:
    texts = [a.text() for a in window.edit_menu.actions()]
    assert texts[0].startswith("&Undo") and texts[1].startswith("&Redo")
    assert window.act_undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert QKeySequence("Ctrl+Shift+Z") in window.act_redo.shortcuts()


def test_removing_a_diagnosis_is_undone_and_redone(qtbot: Any, window: Any, scripted: Any) -> None:
    window.doc.update(diagnoses=["E10.649", "Z00.6"])
    window.go_to("diagnoses")
    page = window.pages["diagnoses"]
    page.table.selectRow(0)
    click(qtbot, page.remove)
    assert window.doc.case.diagnoses == ["Z00.6"]
    assert not scripted.calls, "no confirmation: the removal can be undone"
    undo(qtbot, window)
    assert window.doc.case.diagnoses == ["E10.649", "Z00.6"]
    assert page.table.rowCount() == 2
    redo(qtbot, window)
    assert window.doc.case.diagnoses == ["Z00.6"]


def test_removing_a_line_and_choices_are_undoable(qtbot: Any, window: Any) -> None:
    choose(qtbot, window.pages["case"].payer, "Cigna")
    window.doc.update(extra_lines=[{"code": "76937", "modifiers": [], "units": 1}])
    lines = window.pages["lines"]
    lines.table.selectRow(0)
    lines._remove()
    assert window.doc.case.extra_lines == []
    undo(qtbot, window)
    assert [line.code for line in window.doc.case.extra_lines] == ["76937"]
    undo(qtbot, window)
    undo(qtbot, window)
    assert window.doc.case.payer is None
    assert window.pages["case"].payer.currentData() == ""


def test_typing_is_one_undo_step_and_undo_to_saved_is_unmodified(qtbot: Any, window: Any) -> None:
    assert not window.isWindowModified()
    type_text(qtbot, window.pages["case"].account, "ACC-42")
    assert window.doc.case.patient.account == "ACC-42" and window.isWindowModified()
    assert window.doc.undo_stack.count() == 1
    undo(qtbot, window)
    assert window.doc.case.patient.account is None
    assert window.pages["case"].account.text() == ""
    assert not window.isWindowModified()

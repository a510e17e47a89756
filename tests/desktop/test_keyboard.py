"""A coder's day by keyboard: one action per Enter, the Acknowledge dialog, tables, mnemonics."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMenu,
    QWidget,
)

from desktop.window import STEP_IDS
from tests.desktop.actions import choose, press_enter, settle, type_text

MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def visible_mnemonics(root: QWidget, skip: QWidget | None = None) -> list[tuple[str, str]]:
    """(letter, text) of every visible label, button and group box reachable with Alt."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.window() is not root.window():
            continue
        if skip is not None and skip.isAncestorOf(widget):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is None:
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        letter = mnemonic(text)
        if letter:
            found.append((letter, text))
    return found


def duplicates(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    counts = Counter(letter for letter, _ in pairs)
    return {k: [t for letter, t in pairs if letter == k] for k, n in counts.items() if n > 1}


def menu_bar_pairs(window: Any) -> list[tuple[str, str]]:
    return [(m, a.text()) for a in window.menuBar().actions() if (m := mnemonic(a.text()))]


def check_menus(menu: QMenu) -> None:
    if menu.receivers("2aboutToShow()"):
        menu.aboutToShow.emit()
    pairs = [(m, a.text()) for a in menu.actions() if (m := mnemonic(a.text()))]
    assert not duplicates(pairs), (menu.title(), duplicates(pairs))
    for action in menu.actions():
        if action.menu() is not None:
            check_menus(action.menu())


def test_mnemonics_are_unique_on_every_step_and_in_every_menu(qtbot: Any, window: Any) -> None:
    window.doc.update(family="islet-transplant", payer="medicare",
                      answers={"approach": "percutaneous", "donor": "allogeneic"})
    settle(qtbot, window)
    assert window.step_visible("trial")
    for step in STEP_IDS:
        window.go_to(step)
        page = window.stack.currentWidget()
        chrome = visible_mnemonics(window, skip=window.stack)
        pairs = visible_mnemonics(page) + chrome + menu_bar_pairs(window)
        assert not duplicates(pairs), (step, duplicates(pairs))
    for action in window.menuBar().actions():
        check_menus(action.menu())


def test_mnemonics_are_unique_in_the_dialogs(qtbot: Any, window: Any) -> None:
    from desktop.reason_dialog import ReasonDialog
    from desktop.settings_dialog import SettingsDialog

    for dialog in (SettingsDialog({"medicare": "Medicare"}, window),
                   ReasonDialog(window, "Acknowledge warning", "A warning")):
        qtbot.addWidget(dialog)
        dialog.show()
        pairs = visible_mnemonics(dialog)
        assert pairs and not duplicates(pairs), (type(dialog).__name__, duplicates(pairs))
        dialog.close()


def test_enter_on_a_finding_does_one_thing(qtbot: Any, window: Any) -> None:
    choose(qtbot, window.pages["case"].family, "Pancreatic")
    settle(qtbot, window)
    window.findings.list.setFocus()
    window.findings.list.setCurrentRow(0)
    step = window.findings.list.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(window.findings.list, Qt.Key.Key_Return)
    assert window.current_step() == step


def test_enter_on_a_criterion_goes_to_its_answer_only(qtbot: Any, window: Any) -> None:
    window.doc.update(family="islet-transplant", payer="thp",
                      answers={"approach": "percutaneous", "donor": "allogeneic"})
    settle(qtbot, window)
    window.go_to("coverage")
    tree = window.pages["coverage"].tree
    tree.setFocus()
    from desktop.pages.coverage_page import step_for

    tree.setCurrentItem(tree.topLevelItem(0))
    target, _hint = step_for(tree.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.current_step() == target


def test_enter_in_the_modifiers_tree_goes_on(qtbot: Any, window: Any) -> None:
    window.go_to("modifiers")
    tree = window.pages["modifiers"].tree
    tree.setFocus()
    tree.setCurrentItem(window.pages["modifiers"].items["22"])
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert window.doc.case.modifiers == ["22"]
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.current_step() == "lines"


def test_delete_removes_a_row_and_home_end_go_to_the_ends(qtbot: Any, window: Any) -> None:
    window.doc.update(diagnoses=["E10.649", "Z00.6", "E16.A3"])
    window.go_to("diagnoses")
    table = window.pages["diagnoses"].table
    table.setFocus()
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert table.currentRow() == 2
    qtbot.keyClick(table, Qt.Key.Key_Home)
    assert table.currentRow() == 0
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert window.doc.case.diagnoses == ["Z00.6", "E16.A3"]
    window.doc.update(extra_lines=[{"code": "76937", "modifiers": [], "units": 1}])
    window.go_to("lines")
    lines = window.pages["lines"].table
    lines.setFocus()
    qtbot.keyClick(lines, Qt.Key.Key_Home)
    qtbot.keyClick(lines, Qt.Key.Key_Delete)
    assert window.doc.case.extra_lines == []


def test_tab_from_the_nct_field_reaches_the_research_diagnosis_button(qtbot: Any,
                                                                      window: Any) -> None:
    window.activateWindow()
    window.doc.update(family="islet-transplant", payer="medicare",
                      answers={"approach": "percutaneous", "donor": "allogeneic"})
    settle(qtbot, window)
    window.go_to("trial")
    trial = window.pages["trial"]
    nct = trial.questions.editors["nct_number"].focus
    type_text(qtbot, nct, "NCT01234567")
    qtbot.keyClick(nct, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is trial.add_dx


def test_acknowledge_dialog_is_finished_from_the_keyboard(qtbot: Any) -> None:
    from desktop.reason_dialog import ReasonDialog

    dialog = ReasonDialog(None, "Acknowledge warning", "A warning")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.editor.setFocus()
    qtbot.keyClicks(dialog.editor, "Auth 55120")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Tab)
    assert dialog.editor.toPlainText() == "Auth 55120", "Tab leaves the field"
    focus = dialog.focusWidget()
    assert focus is not None and focus is not dialog.editor
    qtbot.keyClick(focus, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.reason() == "Auth 55120"

    cancelled = ReasonDialog(None, "Acknowledge warning", "A warning")
    qtbot.addWidget(cancelled)
    cancelled.show()
    qtbot.keyClicks(cancelled.editor, "maybe")
    qtbot.keyClick(cancelled.editor, Qt.Key.Key_Escape)
    assert cancelled.result() == QDialog.DialogCode.Rejected


def test_ctrl_enter_accepts_from_the_reason_field(qtbot: Any) -> None:
    from desktop.reason_dialog import ReasonDialog

    dialog = ReasonDialog(None, "Acknowledge warning", "A warning")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.editor.setFocus()
    qtbot.keyClicks(dialog.editor, "line one")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.editor, "line two")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.reason() == "line one\nline two"


def test_finding_buttons_do_not_move_when_the_text_changes(qtbot: Any, window: Any) -> None:
    window.doc.update(family="islet-transplant", payer="thp",
                      answers={"approach": "percutaneous", "donor": "allogeneic"})
    settle(qtbot, window)
    window.resize(1280, 820)
    window.go_to("review")
    review = window.pages["review"]
    items = review._finding_items()
    assert len(items) >= 2
    positions = set()
    for item in items:
        review.findings.setCurrentItem(item)
        QApplication.processEvents()
        positions.add(review.acknowledge.mapTo(window, review.acknowledge.rect().topLeft()).y())
    assert len(positions) == 1


def test_enter_in_a_field_still_moves_on(qtbot: Any, window: Any) -> None:
    type_text(qtbot, window.pages["case"].account, "A-1")
    press_enter(qtbot)
    assert window.current_step() == "questions"

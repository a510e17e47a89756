"""What a coder does with the keyboard and the mouse, for the GUI tests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWidget


def settle(qtbot: Any, window: Any) -> Any:
    """Wait for the debounced check to run; return the worksheet."""
    qtbot.waitUntil(lambda: not window._check_timer.isActive(), timeout=3000)
    return window.worksheet


def click(qtbot: Any, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_step(qtbot: Any, window: Any, step: str) -> None:
    """Click the step in the step list, like a coder jumping straight to it."""
    from desktop.window import STEP_IDS

    item = window.steps.item(STEP_IDS.index(step))
    rect = window.steps.visualItemRect(item)
    qtbot.mouseClick(window.steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_step() == step


def type_text(qtbot: Any, widget: QWidget, text: str) -> None:
    """Focus the field, select what is there and type over it."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)


def choose(qtbot: Any, combo: QComboBox, text: str) -> None:
    """Pick a combo box item by typing the start of its text (keyboard search)."""
    combo.setFocus()
    qtbot.keyClicks(combo, text)
    assert combo.currentText().lower().startswith(text.lower()), combo.currentText()


def press_enter(qtbot: Any) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, Qt.Key.Key_Return)


def pick_completion(qtbot: Any, line: QWidget, text: str, code: str) -> None:
    """Type into a look-up box, wait for the list, go down to the code, Enter."""
    type_text(qtbot, line, text)
    completer = line.completer()  # type: ignore[attr-defined]
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    model = completer.completionModel()
    rows = [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]
    assert code in rows, rows
    for _ in range(rows.index(code) + 1):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)

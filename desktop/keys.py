"""Keyboard behaviour shared by the pages' lists and tables.

- a list whose rows have an action (findings, coverage criteria): Enter runs the
  action once and is consumed, so the window does not also move to the next step;
- a list whose rows have no action (modifiers, diagnoses, other codes): Enter goes
  on to the next step, like Enter in a field;
- a table: Delete removes the current row, Home/End go to the first/last row.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTableWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
ENTER_GOES_ON = "enter_goes_on"
"""Widget property: Enter on this item view moves to the next step."""


def _is_plain(event: QKeyEvent) -> bool:
    return event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class ActivateOnEnter(QObject):
    """Enter activates the current row, once, and nothing else."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in ENTER_KEYS and _is_plain(event)
                and self._view.state() != QAbstractItemView.State.EditingState):
            index = self._view.currentIndex()
            if index.isValid():
                self._view.activated.emit(index)
            return True
        return False


def enter_goes_on(view: QAbstractItemView) -> None:
    view.setProperty(ENTER_GOES_ON, True)


class TableKeys(QObject):
    """Delete removes the current row; Home/End select the first/last row."""

    def __init__(self, table: QTableWidget, remove: Callable[[], object]) -> None:
        super().__init__(table)
        self._table = table
        self._remove = remove
        table.installEventFilter(self)
        enter_goes_on(table)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if self._table.state() == QAbstractItemView.State.EditingState or not _is_plain(event):
            return False
        rows = self._table.rowCount()
        if event.key() == Qt.Key.Key_Delete and self._table.currentRow() >= 0:
            self._remove()
            return True
        if event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End) and rows:
            row = 0 if event.key() == Qt.Key.Key_Home else rows - 1
            self._table.setCurrentCell(row, max(0, self._table.currentColumn()))
            self._table.selectRow(row)
            return True
        return False

"""Small widget helpers shared by the pages (no coding logic)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import (
    QFont,
    QKeyEvent,
    QPalette,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QLineEdit, QSizePolicy, QWidget

W = TypeVar("W", bound=QWidget)
C = TypeVar("C", bound="QComboBox")


def named(widget: W, name: str, tip: str | None = None) -> W:
    """Give a control its accessible name (and optional tooltip/description)."""
    widget.setAccessibleName(name)
    if tip:
        widget.setToolTip(tip)
        widget.setAccessibleDescription(tip)
    return widget


def narrow_combo(combo: C) -> C:
    """A combo box whose width does not grow with its longest item (narrow windows)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return combo


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` as written: Qt renders a tooltip that looks like markup as
    rich text (headings, images), so such text is escaped."""
    if "<" not in text and "&" not in text:
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def plain_label(text: str = "") -> QLabel:
    """A label for text that may come from a case: never rendered as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class WrapLabel(QLabel):
    """A word-wrapped label whose height follows its actual width.

    A plain wrapped QLabel asks for the height it would need at a narrow
    guessed width, which leaves tall empty bands in wide form layouts.
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self._last_height = -1

    def _height(self) -> int:
        width = self.width() if self.width() > 80 else 600
        return max(self.heightForWidth(width), self.fontMetrics().height())

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self._height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        before = self._last_height
        super().resizeEvent(event)
        self._last_height = self._height()
        if self._last_height != before:
            self.updateGeometry()


def note_label(text: str = "", *, word_wrap: bool = True) -> QLabel:
    """Secondary text: smaller and in the palette's placeholder colour (dark-mode safe)."""
    label = WrapLabel(text) if word_wrap else plain_label(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.92))
    label.setFont(font)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    return label


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


class EntryLine(QLineEdit):
    """A line edit whose Enter is consumed by ``on_enter`` when it returns True.

    Otherwise Enter travels up to the page (which moves to the next step).
    """

    def __init__(self, on_enter: Callable[[], bool] | None = None) -> None:
        super().__init__()
        self.on_enter = on_enter

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.on_enter:
            popup = self.completer().popup() if self.completer() else None
            if (popup is None or not popup.isVisible()) and self.on_enter():
                event.accept()
                return
        super().keyPressEvent(event)


class SearchCompleter(QCompleter):
    """Completion from a search function, refreshed as the user types (debounced).

    ``search(text)`` returns (code, description) pairs; the popup shows
    "code  description" and completes to the code.
    """

    def __init__(
        self,
        line: QLineEdit,
        search: Callable[[str], list[tuple[str, str]]],
        delay_ms: int = 80,
    ) -> None:
        self._items = QStandardItemModel()
        super().__init__(self._items, line)
        self._search = search
        self._line = line
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionRole(Qt.ItemDataRole.UserRole)
        self.setMaxVisibleItems(12)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.refresh)
        line.textEdited.connect(lambda _text: self._timer.start())
        line.setCompleter(self)

    def refresh(self) -> None:
        text = self._line.text().strip()
        self._items.clear()
        if len(text) < 2:
            self._hide_popup()
            return
        for code, description in self._search(text):
            item = QStandardItem(f"{code}  —  {description}")
            item.setData(code, Qt.ItemDataRole.UserRole)
            item.setToolTip(plain_tip(description))
            self._items.appendRow(item)
        if self._items.rowCount():
            self.complete()
        else:
            self._hide_popup()

    def _hide_popup(self) -> None:
        popup = self.popup()
        if popup is not None:
            popup.hide()

    def pathFromIndex(self, index) -> str:  # type: ignore[no-untyped-def]
        return str(index.data(Qt.ItemDataRole.UserRole) or "")


__all__ = [
    "EntryLine",
    "SearchCompleter",
    "buddy_label",
    "heading",
    "named",
    "note_label",
]

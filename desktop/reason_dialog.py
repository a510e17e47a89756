"""The written reason for an acknowledgement, finished from the keyboard.

Tab leaves the reason field, Ctrl+Enter accepts from anywhere, Esc cancels;
Enter in the field starts a new line (a reason may have several).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import buddy_label, named, note_label


class ReasonDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, text: str, current: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.message = QLabel(text)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # the finding may quote the case
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.editor = named(QPlainTextEdit(current), "Reason", "Printed on the worksheet")
        self.editor.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Ac&knowledge")
        ok.setToolTip("Accept the reason (Ctrl+Enter)")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.editor.installEventFilter(self)  # the text field would take Ctrl+Enter itself
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(buddy_label("&Reason:", self.editor))
        layout.addWidget(self.editor, 1)
        layout.addWidget(note_label("Ctrl+Enter acknowledges, Esc cancels, Tab leaves the field."))
        layout.addWidget(self.buttons)
        self.resize(520, 300)
        self.editor.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.editor and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def reason(self) -> str:
        return self.editor.toPlainText().strip()

    def accept(self) -> None:
        if not self.reason():
            self.editor.setFocus()
            return
        super().accept()

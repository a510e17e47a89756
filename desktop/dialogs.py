"""Every modal question the application asks goes through here.

One place keeps the wording consistent, and tests replace these functions
(monkeypatch) to answer like a user would.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

CASE_FILTER = "Case files (*.json);;All files (*)"
OPEN_FILTER = "Case files (*.json);;Worksheets carrying their case (*.pdf);;All files (*)"
PDF_FILTER = "PDF files (*.pdf)"


class Choice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
         buttons: QMessageBox.StandardButton,
         default: QMessageBox.StandardButton | None = None) -> QMessageBox:
    """A message box that shows its text as written (case text is never markup)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default is not None:
        box.setDefaultButton(default)
    return box


def error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    from PySide6.QtWidgets import QMessageBox

    box = _box(parent, QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok)
    if details:
        box.setDetailedText(details)
    box.exec()


def information(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    _box(parent, QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok).exec()


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    answer = _box(parent, QMessageBox.Icon.Question, title, text, yes | no, yes).exec()
    return answer == yes


def ask_save_changes(parent: QWidget | None, name: str) -> Choice:
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton
    answer = _box(
        parent, QMessageBox.Icon.Warning, "Unsaved changes",
        f"The case {name} has changes that are not saved.\nSave them first?",
        buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save,
    ).exec()
    if answer == buttons.Save:
        return Choice.SAVE
    if answer == buttons.Discard:
        return Choice.DISCARD
    return Choice.CANCEL


def open_case_path(parent: QWidget | None, folder: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getOpenFileName(parent, "Open case", folder, OPEN_FILTER)
    return Path(name) if name else None


def save_case_path(parent: QWidget | None, suggested: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getSaveFileName(parent, "Save case as", suggested, CASE_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".json")


def save_pdf_path(parent: QWidget | None, suggested: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getSaveFileName(parent, "Save worksheet PDF", suggested, PDF_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def ask_reason(parent: QWidget | None, title: str, text: str, current: str = "") -> str | None:
    """A written reason (multi-line); None when cancelled."""
    from desktop.reason_dialog import ReasonDialog

    dialog = ReasonDialog(parent, title, text, current)
    return dialog.reason() if dialog.exec() else None

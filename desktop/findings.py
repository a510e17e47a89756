"""The live findings panel, beside every step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget

from desktop.keys import ActivateOnEnter
from desktop.widgets import buddy_label, named

if TYPE_CHECKING:
    from models.worksheet import Worksheet

ICONS = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}
STATUS = {"ready": "Ready", "review": "Needs review", "blocked": "Blocked (DRAFT)"}


class FindingsPanel(QWidget):
    """Status and findings of the latest check; activating one asks to go to its step."""

    go_to = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel("Checking…")
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        font = self.status.font()
        font.setBold(True)
        self.status.setFont(font)
        self.list = named(QListWidget(), "Findings",
                          "Click a finding (or press Enter) to go to the step that fixes it")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.itemClicked.connect(self._activated)
        ActivateOnEnter(self.list)
        self.list.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(buddy_label("Li&ve findings:", self.list))
        layout.addWidget(self.list, 1)
        self.setMinimumWidth(240)

    def show_worksheet(self, worksheet: Worksheet) -> None:
        counts = {s: len(worksheet.findings_by_severity(s)) for s in ICONS}  # type: ignore[arg-type]
        self.status.setText(
            f"{STATUS[worksheet.status]} — {counts['error']} error(s), "
            f"{counts['warning']} warning(s), {counts['info']} note(s)"
        )
        self.list.clear()
        style = self.style()
        for f in worksheet.findings:
            text = f.message if not f.acknowledged else f"(acknowledged) {f.message}"
            item = QListWidgetItem(style.standardIcon(ICONS[f.severity]), text)
            item.setToolTip(f"{f.severity}: {f.rule} — {f.title}" + (f"\nHow to fix: {f.fix}" if f.fix else ""))
            item.setData(Qt.ItemDataRole.UserRole, f.step)
            item.setData(Qt.ItemDataRole.UserRole + 1, f.codes[0] if f.codes else f.rule)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{f.severity}: {text}")
            self.list.addItem(item)
        if not worksheet.findings:
            self.list.addItem(QListWidgetItem("No findings."))

    def _activated(self, item: QListWidgetItem) -> None:
        step = item.data(Qt.ItemDataRole.UserRole)
        if step:
            self.go_to.emit(str(step), str(item.data(Qt.ItemDataRole.UserRole + 1) or ""))

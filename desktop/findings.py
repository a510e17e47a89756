"""The live findings panel, beside every step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget

from desktop.keys import ActivateOnEnter
from desktop.widgets import buddy_label, named, plain_label, plain_tip

if TYPE_CHECKING:
    from models.worksheet import Finding, Worksheet

ICONS = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}
TO_DO_ICON = QStyle.StandardPixmap.SP_ArrowRight
STATUS = {"ready": "Ready", "review": "Needs review", "blocked": "Blocked (DRAFT)"}
TO_DO_RULES = frozenset({"missing-input"})
START = "Start with the case facts"
START_DETAIL = (
    "Start with the case facts: the procedure family, date of service, payer, claim type and "
    "setting (step 1). Findings appear here as you go."
)


def is_to_do(f: Finding) -> bool:
    """An entry not made yet: something to do, not a mistake of the coder's."""
    return f.rule in TO_DO_RULES and not f.acknowledged


def status_text(worksheet: Worksheet) -> str:
    """The status in words; a case whose only errors are missing entries is incomplete."""
    errors = worksheet.findings_by_severity("error")
    to_do = [f for f in errors if is_to_do(f)]
    if errors and len(to_do) == len(errors):
        return f"Incomplete — {len(to_do)} entr{'y' if len(to_do) == 1 else 'ies'} to make"
    return STATUS[worksheet.status]


class FindingsPanel(QWidget):
    """Status and findings of the latest check; activating one asks to go to its step."""

    go_to = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = plain_label("Checking…")
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
        self.setMinimumWidth(200)

    def show_worksheet(self, worksheet: Worksheet) -> None:
        to_do = [f for f in worksheet.findings if is_to_do(f)]
        counts = {s: len(worksheet.findings_by_severity(s)) for s in ICONS}  # type: ignore[arg-type]
        counts["error"] -= len(to_do)
        parts = [f"{len(to_do)} to do"] if to_do else []
        parts += [f"{counts['error']} error(s)", f"{counts['warning']} warning(s)",
                  f"{counts['info']} note(s)"]
        self.status.setText(f"{status_text(worksheet)} — {', '.join(parts)}")
        self.list.clear()
        style = self.style()
        for f in worksheet.findings:
            text = f.message if not f.acknowledged else f"(acknowledged) {f.message}"
            if is_to_do(f):
                text = f"To do: {text}"
            icon = TO_DO_ICON if is_to_do(f) else ICONS[f.severity]
            item = QListWidgetItem(style.standardIcon(icon), text)
            item.setToolTip(plain_tip(f"{f.severity}: {f.rule} — {f.title}" + (f"\nHow to fix: {f.fix}" if f.fix else "")))
            item.setData(Qt.ItemDataRole.UserRole, f.step)
            item.setData(Qt.ItemDataRole.UserRole + 1, f.codes[0] if f.codes else f.rule)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{f.severity}: {text}")
            self.list.addItem(item)
        if not worksheet.findings:
            self.list.addItem(QListWidgetItem("No findings."))

    def show_start(self) -> None:
        self.status.setText(START)
        self.list.clear()
        item = QListWidgetItem(self.style().standardIcon(TO_DO_ICON), START_DETAIL)
        item.setData(Qt.ItemDataRole.UserRole, "case")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, START_DETAIL)
        self.list.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        step = item.data(Qt.ItemDataRole.UserRole)
        if step:
            self.go_to.emit(str(step), str(item.data(Qt.ItemDataRole.UserRole + 1) or ""))

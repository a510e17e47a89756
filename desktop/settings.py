"""Per-user preferences (QSettings, INI format) and the Settings dialog."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import named

ORGANIZATION = "cell-therapy-worksheet"
APPLICATION = "worksheet"
MAX_RECENT = 8
CLAIM_TYPES = ("professional", "institutional")


def store() -> QSettings:
    """The settings file (INI, per user); tests point QSettings.setPath elsewhere."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


@dataclass
class Preferences:
    coder: str = ""
    facility: str = ""
    default_payer: str = ""
    default_claim_type: str = ""

    @classmethod
    def load(cls) -> Preferences:
        s = store()
        return cls(
            coder=str(s.value("coder", "") or ""),
            facility=str(s.value("facility", "") or ""),
            default_payer=str(s.value("default_payer", "") or ""),
            default_claim_type=str(s.value("default_claim_type", "") or ""),
        )

    def save(self) -> None:
        s = store()
        s.setValue("coder", self.coder)
        s.setValue("facility", self.facility)
        s.setValue("default_payer", self.default_payer)
        s.setValue("default_claim_type", self.default_claim_type)
        s.sync()


def recent_files() -> list[Path]:
    value = store().value("recent", [])
    if isinstance(value, str):
        value = [value] if value else []
    return [Path(str(v)) for v in (value or [])]


def add_recent_file(path: Path) -> None:
    paths = [p for p in recent_files() if p != path]
    paths.insert(0, path)
    s = store()
    s.setValue("recent", [str(p) for p in paths[:MAX_RECENT]])
    s.sync()


def clear_recent_files() -> None:
    s = store()
    s.remove("recent")
    s.sync()


class SettingsDialog(QDialog):
    """Coder name, facility, default payer and default claim type."""

    def __init__(self, payers: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        prefs = Preferences.load()
        self.coder = named(QLineEdit(prefs.coder), "Coder name")
        self.facility = named(QLineEdit(prefs.facility), "Facility")
        self.payer = named(QComboBox(), "Default payer")
        self.payer.addItem("(none)", "")
        for code, name in payers.items():
            self.payer.addItem(name, code)
        self.payer.setCurrentIndex(max(0, self.payer.findData(prefs.default_payer)))
        self.claim_type = named(QComboBox(), "Default claim type")
        self.claim_type.addItem("(none)", "")
        for claim_type in CLAIM_TYPES:
            self.claim_type.addItem(claim_type.capitalize(), claim_type)
        self.claim_type.setCurrentIndex(max(0, self.claim_type.findData(prefs.default_claim_type)))
        form = QFormLayout()
        for text, widget in (
            ("&Coder name:", self.coder),
            ("&Facility:", self.facility),
            ("Default &payer:", self.payer),
            ("Default claim &type:", self.claim_type),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def preferences(self) -> Preferences:
        return Preferences(
            coder=self.coder.text().strip(),
            facility=self.facility.text().strip(),
            default_payer=str(self.payer.currentData() or ""),
            default_claim_type=str(self.claim_type.currentData() or ""),
        )

    def accept(self) -> None:
        self.preferences().save()
        super().accept()

"""The Settings dialog: coder name, facility, default payer and default claim type."""

from __future__ import annotations

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

from desktop.settings import CLAIM_TYPES, Preferences
from desktop.widgets import named


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
        self.appearance = named(QComboBox(), "Appearance",
                                "Light, dark, or as the operating system is set")
        for text, mode in (("As the system", "system"), ("Light", "light"), ("Dark", "dark")):
            self.appearance.addItem(text, mode)
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(prefs.appearance)))
        self.store = named(QLineEdit(prefs.store), "Case store",
                           "Empty: your own file. A team: postgresql://server/database")
        self.store.setPlaceholderText("your own file (or postgresql://… for a team)")
        form = QFormLayout()
        for text, widget in (
            ("Coder &name:", self.coder),
            ("&Facility:", self.facility),
            ("Default &payer:", self.payer),
            ("Default claim &type:", self.claim_type),
            ("&Appearance:", self.appearance),
            ("Case &store:", self.store),
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
            appearance=str(self.appearance.currentData() or "system"),
            store=self.store.text().strip(),
        )

    def accept(self) -> None:
        from desktop import theme

        prefs = self.preferences()
        prefs.save()
        theme.apply(prefs.appearance)
        super().accept()

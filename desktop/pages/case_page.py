"""Step 1: the case — family, date, payer, claim type, setting, patient, provider taxonomy."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QSpinBox,
    QStyle,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from desktop.pages.base import StepPage
from desktop.widgets import (
    EntryLine,
    SearchCompleter,
    buddy_label,
    named,
    narrow_combo,
    note_label,
)

if TYPE_CHECKING:
    from desktop.document import CaseDocument
    from models.case import Case
    from models.reference import Reference

NOT_CHOSEN = "(not chosen)"
TAXONOMY_FORMAT = re.compile(r"[0-9]{3}[0-9A-Z]{6}X")
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
SETTING_NAMES = {
    "inpatient": "Inpatient",
    "outpatient-hospital": "Hospital outpatient",
    "asc": "Ambulatory surgery center (ASC)",
    "office": "Office",
}
BY_THE_FORM = "(by the claim form)"
FROM_THE_SETTING = "(from the setting)"
DRUG_RULES = ("ndc-missing", "ndc-format", "drug-billed-by-facility")


def _combo(name: str, items: list[tuple[str, str]], tip: str) -> QComboBox:
    combo = narrow_combo(named(QComboBox(), name, tip))
    for text, data in items:
        combo.addItem(text, data)
    return combo


def _select(combo: QComboBox, value: str | None) -> None:
    index = combo.findData(value or "")
    if index != combo.currentIndex():
        combo.blockSignals(True)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)


class CasePage(StepPage):
    step_id = "case"
    title = "Case"
    intro = "Who was treated, where, and who pays. These decide the code set and the coverage rules."

    def __init__(self, doc: CaseDocument, reference: Reference) -> None:
        super().__init__(doc, reference)
        from models.case import CLAIM_TYPES, SETTINGS

        self.family = _combo(
            "Procedure family",
            [(f.name, f.family) for f in reference.families.values()],
            "The procedure family decides which questions follow",
        )
        self.family_note = note_label()
        self.date = named(QLineEdit(), "Date of service", "Date the service was performed: YYYY-MM-DD")
        self.date.setPlaceholderText("YYYY-MM-DD")
        self.date.setMaxLength(10)
        self.calendar_button = self._calendar_button()
        self.payer = _combo(
            "Payer",
            [(NOT_CHOSEN, "")] + [(p.name, p.payer) for p in reference.payers.values()],
            "The payer decides the code set (CPT or Medicare G codes) and the coverage criteria",
        )
        self.payer_note = note_label()
        self.claim_type = _combo(
            "Claim type",
            [(NOT_CHOSEN, "")] + [(c.capitalize(), c) for c in CLAIM_TYPES],
            "Professional (CMS-1500 / 837P) or institutional (UB-04 / 837I)",
        )
        self.setting = _combo(
            "Setting",
            [(NOT_CHOSEN, "")] + [(SETTING_NAMES.get(s, s), s) for s in SETTINGS],
            "Place of service",
        )
        self.age = named(QSpinBox(), "Patient age", "Age in years on the date of service")
        self.age.setRange(-1, 130)
        self.age.setSpecialValueText("not entered")
        self.age.setSuffix(" years")
        self.account = named(
            QLineEdit(), "Patient account number", "Account or claim number (printed on the worksheet)"
        )
        self.account.setMaxLength(64)
        self.taxonomy = named(
            EntryLine(), "Rendering provider taxonomy", "Type a taxonomy code or words of its name"
        )
        self.taxonomy.setPlaceholderText("code or name, e.g. 2086S0120X or transplant surgery")
        self.taxonomy_note = note_label()
        SearchCompleter(self.taxonomy, self._search_taxonomy)
        self._claim_widgets(reference)
        self._build_form()
        self._connect()

    def _build_form(self) -> None:
        form = QFormLayout()
        rows = [
            ("Fa&mily:", self.family, self.family_note),
            ("&Date of service:", self._date_row(), None),
            ("Pa&yer:", self.payer, self.payer_note),
            ("Claim &type:", self.claim_type, None),
            ("&Setting:", self.setting, None),
            ("&Billed by:", self.billed_by, None),
            ("Place &of service:", self.place_of_service, None),
            ("Type of bi&ll:", self.type_of_bill, None),
            ("Patient &age:", self.age, None),
            ("Accou&nt number:", self.account, None),
            ("&Rendering taxonomy:", self.taxonomy, self.taxonomy_note),
            ("Prod&uct NDC:", self._drug_row(), None),
        ]
        buddies = {"&Date of service:": self.date, "Prod&uct NDC:": self.ndc}
        for text, widget, note in rows:
            form.addRow(buddy_label(text, buddies.get(text, widget)), widget)
            if note is not None:
                form.addRow("", note)
        self.form = form
        self.layout_.addLayout(form)
        self.finish_layout()
        chain = [self.family, self.date, self.calendar_button, self.payer, self.claim_type,
                 self.setting, self.billed_by, self.place_of_service, self.type_of_bill,
                 self.age, self.account, self.taxonomy, self.ndc, self.ndc_quantity,
                 self.ndc_unit]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _claim_widgets(self, reference: Reference) -> None:
        """Who bills, where (POS on the professional form, type of bill on the institutional
        one) and the product's NDC: each derived or asked for by the checks when left empty."""
        from models.case import BILLED_BY, NDC_UNITS
        from models.refdata import PlaceOfServiceRow

        self.billed_by = _combo(
            "Billed by", [(BY_THE_FORM, "")] + [(b.capitalize(), b) for b in BILLED_BY],
            "Whose claim this is: the practitioner's or the facility's (default: by the claim "
            "form, professional = practitioner)")
        places = sorted(reference.rows(PlaceOfServiceRow), key=lambda r: r.place_of_service)
        self.place_of_service = _combo(
            "Place of service", [(FROM_THE_SETTING, "")]
            + [(f"{r.place_of_service} {r.name}", r.place_of_service) for r in places],
            "CMS-1500 item 24B / 837P: where the service was given (derived from the setting "
            "when not chosen)")
        self.type_of_bill = named(QLineEdit(), "Type of bill",
                                  "UB-04 form locator 4 / 837I: e.g. 0131 (derived from the "
                                  "setting when empty)")
        self.type_of_bill.setPlaceholderText("from the setting, e.g. 0131")
        self.type_of_bill.setMaxLength(4)
        self.type_of_bill.setValidator(QRegularExpressionValidator(r"[0-9]{0,4}", self))
        self.ndc = named(QLineEdit(), "Product NDC",
                         "The product's National Drug Code as on its label or in 11 digits")
        self.ndc.setPlaceholderText("e.g. 73500-0001-01")
        self.ndc.setMaxLength(20)
        self.ndc.setValidator(QRegularExpressionValidator(r"[0-9][0-9 -]{0,19}", self))
        self.ndc_quantity = named(QDoubleSpinBox(), "NDC quantity",
                                  "Quantity of the product in the NDC unit")
        self.ndc_quantity.setRange(0, 99_999_999)
        self.ndc_quantity.setDecimals(3)
        self.ndc_quantity.setSpecialValueText("no quantity")
        self.ndc_unit = _combo("NDC unit", [("(unit)", "")] + [(u, u) for u in NDC_UNITS],
                               "NDC unit of measure: UN unit, ML millilitre, GR gram, "
                               "ME milligram, F2 international unit")

    def _drug_row(self) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.ndc, 2)
        row.addWidget(self.ndc_quantity, 1)
        row.addWidget(self.ndc_unit)
        return holder

    def _connect(self) -> None:
        self.family.currentIndexChanged.connect(self._family_changed)
        self.date.textEdited.connect(self._date_typed)
        self.payer.currentIndexChanged.connect(
            lambda: self.report(self.doc.update(payer=self.payer.currentData() or None))
        )
        self.claim_type.currentIndexChanged.connect(
            lambda: self.report(self.doc.update(claim_type=self.claim_type.currentData() or None))
        )
        self.setting.currentIndexChanged.connect(
            lambda: self.report(self.doc.update(setting=self.setting.currentData() or None))
        )
        self.billed_by.currentIndexChanged.connect(
            lambda: self.report(self.doc.update(billed_by=self.billed_by.currentData() or None))
        )
        self.place_of_service.currentIndexChanged.connect(
            lambda: self.report(self.doc.update(
                place_of_service=self.place_of_service.currentData() or None))
        )
        self.type_of_bill.textEdited.connect(self._type_of_bill_typed)
        self.ndc.textEdited.connect(lambda _text: self._drug_changed())
        self.ndc_quantity.valueChanged.connect(lambda _value: self._drug_changed())
        self.ndc_unit.currentIndexChanged.connect(lambda _index: self._drug_changed())
        self.age.valueChanged.connect(
            lambda value: self.report(self.doc.set_patient(age=None if value < 0 else value))
        )
        self.account.textEdited.connect(
            lambda text: self.report(self.doc.set_patient(account=text.strip() or None))
        )
        self.taxonomy.textChanged.connect(self._taxonomy_changed)

    # -- edits -------------------------------------------------------------------

    def _family_changed(self) -> None:
        family = str(self.family.currentData())
        asked = {q.question for q in self.reference.questions(family)}
        answers = {k: v for k, v in self.doc.case.answers.items() if k in asked}
        self.report(self.doc.update(family=family, answers=answers))

    def _type_of_bill_typed(self, text: str) -> None:
        text = text.strip()
        if len(text) in (1, 2):
            self.report("a type of bill has three or four digits, e.g. 0131")
            return
        self.report(self.doc.update(type_of_bill=text or None))

    def _drug_changed(self) -> None:
        quantity = self.ndc_quantity.value()
        drug = {"ndc": self.ndc.text().strip() or None,
                "quantity": quantity if quantity > 0 else None,
                "unit": self.ndc_unit.currentData() or None}
        self.report(self.doc.update(drug=drug if any(drug.values()) else None))

    def _calendar_button(self) -> QToolButton:
        button = named(QToolButton(), "Choose the date of service from a calendar",
                       "Choose the date from a calendar")
        button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self.calendar = named(QCalendarWidget(), "Calendar")
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        def picked(day: QDate) -> None:
            self._set_date(day)
            menu.close()

        self.calendar.clicked.connect(picked)
        button.setMenu(menu)
        return button

    def _date_row(self) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.date, 1)
        row.addWidget(self.calendar_button)
        return holder

    def _set_date(self, day: QDate) -> None:
        self.date.setText(day.toString("yyyy-MM-dd"))
        self._date_typed(self.date.text())

    def _date_typed(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.report(self.doc.update(date_of_service=None))
            return
        day = parse_date(text)
        if day is None:
            self.report("type the date as YYYY-MM-DD (or MM/DD/YYYY)" if len(text) >= 8 else None)
            return
        self.report(self.doc.update(date_of_service=day.isoformat()))

    def _taxonomy_changed(self, text: str) -> None:
        code = text.strip().upper()
        valid = TAXONOMY_FORMAT.fullmatch(code) is not None
        self.report(self.doc.update(rendering_taxonomy=code if valid else None))
        self._show_taxonomy(code)
        self.taxonomy_note.setVisible(bool(self.taxonomy_note.text()))

    def _search_taxonomy(self, text: str) -> list[tuple[str, str]]:
        return [(h.code, h.description) for h in self.reference.search(text, 15, kinds=["taxonomy"])]

    # -- display -----------------------------------------------------------------

    def _show_taxonomy(self, code: str) -> None:
        row = self.reference.taxonomy(code) if TAXONOMY_FORMAT.fullmatch(code) else None
        if row is not None:
            self.taxonomy_note.setText(f"{row.display_name} — {row.section}")
        elif code:
            self.taxonomy_note.setText(
                "Not a known NUCC taxonomy code: type the 10-character code or pick one from the list"
            )
        else:
            self.taxonomy_note.setText("")

    def sync(self, case: Case) -> None:
        self._sync_fields(case)
        for note in (self.family_note, self.payer_note, self.taxonomy_note):
            note.setVisible(bool(note.text()))

    def _sync_fields(self, case: Case) -> None:
        _select(self.family, case.family)
        family = self.reference.families.get(case.family)
        self.family_note.setText(family.description if family else "Unknown family in this case file")
        _select(self.payer, case.payer)
        self.payer_note.setText(self._payer_help(case))
        _select(self.claim_type, case.claim_type)
        _select(self.setting, case.setting)
        self._sync_claim(case)
        typed = parse_date(self.date.text().strip())
        if typed != case.date_of_service and not (self.date.hasFocus() and self.date.text()):
            self.date.setText(case.date_of_service.isoformat() if case.date_of_service else "")
        age = -1 if case.patient.age is None else case.patient.age
        if self.age.value() != age:
            self._set_quietly(self.age, lambda: self.age.setValue(age))
        if (self.account.text().strip() or None) != case.patient.account:
            self.account.setText(case.patient.account or "")
        current = self.taxonomy.text().strip().upper()
        if case.rendering_taxonomy and current != case.rendering_taxonomy:
            self._set_quietly(self.taxonomy, lambda: self.taxonomy.setText(case.rendering_taxonomy or ""))
        elif not case.rendering_taxonomy and TAXONOMY_FORMAT.fullmatch(current):
            self._set_quietly(self.taxonomy, self.taxonomy.clear)
        self._show_taxonomy(self.taxonomy.text().strip().upper())

    def _sync_claim(self, case: Case) -> None:
        _select(self.billed_by, case.billed_by)
        _select(self.place_of_service, case.place_of_service)
        self.form.setRowVisible(self.place_of_service, case.claim_type != "institutional")
        self.form.setRowVisible(self.type_of_bill, case.claim_type != "professional")
        if not self.type_of_bill.hasFocus() and self.type_of_bill.text() != (case.type_of_bill or ""):
            self.type_of_bill.setText(case.type_of_bill or "")
        drug = case.drug
        if not self.ndc.hasFocus() and self.ndc.text() != (drug.ndc if drug and drug.ndc else ""):
            self.ndc.setText(drug.ndc if drug and drug.ndc else "")
        quantity = drug.quantity if drug and drug.quantity else 0.0
        if self.ndc_quantity.value() != quantity:
            self._set_quietly(self.ndc_quantity, lambda: self.ndc_quantity.setValue(quantity))
        _select(self.ndc_unit, drug.unit if drug else None)

    def _payer_help(self, case: Case) -> str:
        """The payer's policies for this family only (a note about another family's codes,
        or another payer's rules, would mislead)."""
        from models.refdata import PayerPolicyRow

        payer = self.reference.payers.get(case.payer or "")
        if payer is None:
            return ""
        policies = sorted({r.policy for r in self.reference.rows(PayerPolicyRow)
                           if r.payer == payer.payer and r.family == case.family})
        if not policies:
            return f"{payer.name}: no policy on file for this procedure."
        return f"{payer.name}: " + "; ".join(policies) + " (criteria on the Coverage step)"

    @staticmethod
    def _set_quietly(widget: QSpinBox | QDoubleSpinBox | QLineEdit, action: object) -> None:
        widget.blockSignals(True)
        try:
            action()  # type: ignore[operator]
        finally:
            widget.blockSignals(False)

    def focus_hint(self, hint: str) -> None:
        target = {
            "patient.age": self.age,
            "payer": self.payer,
            "date_of_service": self.date,
            "rendering_taxonomy": self.taxonomy,
            "claim_type": self.claim_type,
            "setting": self.setting,
            "pos-setting": self.place_of_service,
            "tob-setting": self.type_of_bill,
            "claim-form": self.claim_type,
            **{rule: self.ndc for rule in DRUG_RULES},
        }.get(hint, self.family)
        target.setFocus()


def parse_date(text: str) -> date | None:
    """ISO (2026-03-02) or US (3/2/2026) date text; None when it is not a date."""
    match = US_DATE.fullmatch(text)
    if match:
        month, day, year = (int(g) for g in match.groups())
        text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None

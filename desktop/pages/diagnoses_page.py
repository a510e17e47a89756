"""Step 3: diagnoses — type a code or words, completion from ICD-10-CM, order sets the primary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.keys import TableKeys
from desktop.pages.base import LookupAddPage
from desktop.widgets import named, note_label

if TYPE_CHECKING:
    from desktop.document import CaseDocument
    from models.case import Case
    from models.reference import Reference

COLUMNS = ("Pointer", "Code", "Description", "Billable")


class DiagnosesPage(LookupAddPage):
    step_id = "diagnoses"
    title = "Diagnoses"
    intro = (
        "Type an ICD-10-CM code or words and pick from the list. The first diagnosis is the "
        "primary one (pointer 1); move a row up or down to change the order."
    )

    def __init__(self, doc: CaseDocument, reference: Reference) -> None:
        super().__init__(doc, reference)
        self.add_lookup_row("&Diagnosis:", "Add a diagnosis", "ICD-10-CM code or words; Enter adds it",
                            "e.g. E10.649 or type 1 diabetes hypoglycemia", "Add diagnosis")
        self.table = self._make_table()
        buttons = self._make_buttons()
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(buttons)
        self.layout_.addLayout(body, 1)
        self.layout_.addWidget(note_label(
            "Billable means a complete (leaf) code; a header code such as E10.6 cannot go on a claim."
        ))
        self.finish_layout(stretch=False)

    def _make_table(self) -> QTableWidget:
        table = named(QTableWidget(0, len(COLUMNS)), "Diagnoses in claim order")
        table.setHorizontalHeaderLabels(list(COLUMNS))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(160)
        return table

    def _make_buttons(self) -> QVBoxLayout:
        style = self.style()
        specs = [
            ("up", "Move &up", QStyle.StandardPixmap.SP_ArrowUp, "Move the diagnosis up (earlier)", -1),
            ("down", "Move do&wn", QStyle.StandardPixmap.SP_ArrowDown, "Move the diagnosis down", 1),
        ]
        column = QVBoxLayout()
        for key, text, icon, tip, step in specs:
            button = named(QPushButton(style.standardIcon(icon), text), tip, tip)
            button.clicked.connect(lambda _=False, s=step: self._move(s))
            setattr(self, key, button)
            column.addWidget(button)
        self.remove = named(
            QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon), "&Remove"),
            "Remove the selected diagnosis", "Remove the selected diagnosis",
        )
        self.remove.clicked.connect(self._remove)
        TableKeys(self.table, self._remove)
        column.addWidget(self.remove)
        column.addStretch(1)
        return column

    # -- edits -------------------------------------------------------------------

    def _search(self, text: str) -> list[tuple[str, str]]:
        """Billable codes first; a header typed in full offers its billable codes (drill-down).
        Codes not valid on the date of service are marked."""
        from models.case import normalize_diagnosis

        case = self.doc.case
        dos = case.date_of_service
        hits = self.reference.search(text, 20, kinds=["icd10cm"], on=dos, family=case.family)
        typed = normalize_diagnosis(text)
        return [(h.code, h.description + _marks(h.billable, h.valid, dos))
                for h in hits if h.billable or h.code != typed]

    def _add(self, code: str) -> bool:
        from models.case import normalize_diagnosis

        code = normalize_diagnosis(code)
        if code in self.doc.case.diagnoses:
            return self.report(f"{code} is already in the list") and False
        found = self.reference.icd(code)
        if found is not None and not found.billable:
            self._drill_down(found.code)
            return False
        if self.report(self.doc.update(diagnoses=[*self.doc.case.diagnoses, code])):
            self.table.selectRow(len(self.doc.case.diagnoses) - 1)
            return True
        return False

    def _drill_down(self, header: str) -> None:
        """A header cannot go on a claim: offer its billable codes in place."""
        self.report(f"{header} is a header: pick one of its billable codes from the list")
        QTimer.singleShot(0, lambda: self._offer_children(header))

    def _offer_children(self, header: str) -> None:
        self.entry.setText(header)
        self.entry.setFocus()
        self.completer.refresh()

    def _move(self, step: int) -> None:
        row = self.table.currentRow()
        codes = list(self.doc.case.diagnoses)
        target = row + step
        if row < 0 or not 0 <= target < len(codes):
            return
        codes[row], codes[target] = codes[target], codes[row]
        self.doc.update(diagnoses=codes)
        self.table.selectRow(target)

    def _remove(self) -> None:
        row = self.table.currentRow()
        codes = list(self.doc.case.diagnoses)
        if 0 <= row < len(codes):
            del codes[row]
            self.doc.update(diagnoses=codes)
            self.table.selectRow(min(row, len(codes) - 1))

    # -- display -----------------------------------------------------------------

    def sync(self, case: Case) -> None:
        current = self.table.currentRow()
        self.table.setRowCount(len(case.diagnoses))
        for row, code in enumerate(case.diagnoses):
            found = self.reference.icd(code)
            if found is None:
                description, billable = "Not an ICD-10-CM code", "no (unknown code)"
            else:
                description = found.description
                billable = "yes" if found.billable else "no: header, choose a more specific code"
            pointer = str(row + 1)
            for column, text in enumerate((pointer, code, description, billable)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
        if 0 <= current < len(case.diagnoses):
            self.table.selectRow(current)

    def focus_hint(self, hint: str) -> None:
        self.entry.setFocus()


def _marks(billable: bool | None, valid: bool | None, dos: object) -> str:
    """'  (header)', and '  (not valid on <date>)' for a code the release in force lacks."""
    marks = "" if billable else "  (header)"
    if valid is False:
        marks += f"  (not valid on {dos})" if dos else "  (not in the newest release)"
    return marks

"""Step 5: other codes billed the same day, with their modifiers and units."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
)

from desktop.keys import TableKeys
from desktop.pages.base import LookupAddPage
from desktop.widgets import named, note_label, plain_tip

if TYPE_CHECKING:
    from desktop.document import CaseDocument
    from models.case import Case
    from models.reference import Reference

COLUMNS = ("Code", "Description", "Modifiers", "Units", "Revenue", "NDC", "Date", "Minutes")
MODIFIERS, UNITS = 2, 3
EDITABLE = {MODIFIERS: "modifiers", UNITS: "units", 4: "revenue_code", 5: "ndc",
            6: "date_of_service", 7: "minutes"}
"""Editable columns and the claim line field each one holds."""
COLUMN_TIPS = {
    "Revenue": "UB-04 form locator 42 revenue code (institutional claims), e.g. 0360",
    "NDC": "The drug's National Drug Code (drug lines)",
    "Date": "The line's own date (YYYY-MM-DD) when it is not the case's date of service",
    "Minutes": "Anesthesia time in minutes (anesthesia lines)",
}


class LinesPage(LookupAddPage):
    step_id = "lines"
    title = "Other codes the same day"
    intro = (
        "Other procedures, drugs or services billed for the same date. This program checks them "
        "against the bundling edits. Modifiers are separated by commas; double-click a cell (or "
        "press F2) to edit it: revenue code, NDC, the line's own date, anesthesia minutes."
    )

    def __init__(self, doc: CaseDocument, reference: Reference) -> None:
        super().__init__(doc, reference)
        self.add_lookup_row("C&ode:", "Add a code", "Procedure or HCPCS code; Enter adds it",
                            "code or words, e.g. 48160 or pancreatectomy", "Add code")
        self.table = named(QTableWidget(0, len(COLUMNS)), "Other codes billed the same day")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        for column, name in enumerate(COLUMNS):
            header = self.table.horizontalHeaderItem(column)
            if header is not None and name in COLUMN_TIPS:
                header.setToolTip(COLUMN_TIPS[name])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(160)
        self.table.itemChanged.connect(self._cell_changed)
        self.remove = named(
            QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_TrashIcon), "&Remove"),
            "Remove the selected code", "Remove the selected code",
        )
        self.remove.clicked.connect(self._remove)
        TableKeys(self.table, self._remove)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignTop)
        self.layout_.addLayout(body, 1)
        self.layout_.addWidget(note_label(
            "Codes of this procedure itself are derived from the answers: do not enter them here."
        ))
        self.finish_layout(stretch=False)

    # -- edits -------------------------------------------------------------------

    def _search(self, text: str) -> list[tuple[str, str]]:
        return [(h.code, h.description) for h in self.reference.search(text, 20, kinds=["code"])]

    def _add(self, code: str) -> bool:
        lines: list[dict[str, Any]] = [ln.model_dump() for ln in self.doc.case.extra_lines]
        lines.append({"code": code, "modifiers": [], "units": 1})
        if self.report(self.doc.update(extra_lines=lines)):
            self.table.selectRow(len(lines) - 1)
            return True
        return False

    def _remove(self) -> None:
        row = self.table.currentRow()
        lines = [ln.model_dump() for ln in self.doc.case.extra_lines]
        if 0 <= row < len(lines):
            del lines[row]
            self.report(self.doc.update(extra_lines=lines))
            self.table.selectRow(min(row, len(lines) - 1))

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        row, column = item.row(), item.column()
        lines = [ln.model_dump() for ln in self.doc.case.extra_lines]
        if not 0 <= row < len(lines) or column not in EDITABLE:
            return
        lines[row][EDITABLE[column]] = _cell_value(EDITABLE[column], item)
        refusal = self.doc.update(extra_lines=lines)
        if not self.report(refusal):
            self.sync(self.doc.case)

    # -- display -----------------------------------------------------------------

    def sync(self, case: Case) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(case.extra_lines))
        for row, line in enumerate(case.extra_lines):
            found = self.reference.codes.get(line.code)
            description = found.descriptor if found else "Not in the reference: check the code"
            cells: list[Any] = [
                line.code, description, ", ".join(line.modifiers), line.units,
                line.revenue_code or "", line.ndc or "",
                line.date_of_service.isoformat() if line.date_of_service else "",
                str(line.minutes) if line.minutes else "",
            ]
            for column, value in enumerate(cells):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.EditRole, value)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if column in EDITABLE:
                    flags |= Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
                if column == 1:
                    item.setToolTip(plain_tip(description))
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)

    def focus_hint(self, hint: str) -> None:
        self.entry.setFocus()


def _cell_value(field: str, item: QTableWidgetItem) -> Any:
    """The claim line value a cell's text stands for (the case model judges it)."""
    if field == "modifiers":
        return [m for m in re.split(r"[\s,;]+", item.text().upper()) if m]
    if field == "units":
        return item.data(Qt.ItemDataRole.EditRole)
    text = item.text().strip()
    if field == "minutes" and text.isdigit():
        return int(text)
    return text or None

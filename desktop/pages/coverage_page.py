"""Step 6: coverage — the payer's criteria as questions, each with its source and status.

The answers are the family answers, the age and the diagnoses entered on the
other steps, so this page shows how each criterion stands and links to the
place where it is answered, instead of asking twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
)

from desktop.keys import ActivateOnEnter
from desktop.pages.base import StepPage
from desktop.widgets import named, note_label, plain_tip

if TYPE_CHECKING:
    from desktop.document import CaseDocument
    from models.case import Case
    from models.reference import Reference
    from models.worksheet import Worksheet

OUTCOME_TEXT = {"met": "Met", "not-met": "Not met", "not-answered": "Not answered yet"}
COLUMNS = ("Criterion", "Status", "Answer", "Answered on", "Source")


def step_for(asks: str) -> tuple[str, str]:
    """Where a criterion's answer is entered: (step id, focus hint)."""
    if asks.startswith("answers."):
        return "questions", asks
    if asks == "diagnoses":
        return "diagnoses", ""
    return "case", asks


STEP_TITLES = {"questions": "Questions", "diagnoses": "Diagnoses", "case": "Case"}


class CoveragePage(StepPage):
    step_id = "coverage"
    title = "Coverage"
    intro = (
        "The payer's coverage criteria for this procedure, with their source. Answer them on the "
        "step named in 'Answered on' (double-click a criterion or use Go to answer)."
    )

    def __init__(self, doc: CaseDocument, reference: Reference) -> None:
        super().__init__(doc, reference)
        self.policy = note_label()
        self.policy.setAccessibleName("Payer policy")
        self.layout_.addWidget(self.policy)
        self.tree = named(QTreeWidget(), "Coverage criteria", "Enter or double-click goes to the answer")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.setMinimumHeight(220)
        self.tree.itemActivated.connect(lambda item, _c: self._jump(item))
        ActivateOnEnter(self.tree)
        self.layout_.addWidget(self.tree, 1)
        self.go = named(QPushButton("Go to &answer"), "Go to the answer of the selected criterion",
                        "Show the step where the selected criterion is answered")
        self.go.clicked.connect(lambda: self._jump(self.tree.currentItem()))
        row = QHBoxLayout()
        row.addWidget(self.go)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.empty = note_label()
        self.layout_.addWidget(self.empty)
        self.finish_layout(stretch=False)

    def _jump(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        asks = item.data(0, Qt.ItemDataRole.UserRole)
        if asks:
            self.go_to.emit(*step_for(str(asks)))

    def _add(self, text: str, outcome: str, answer: str, asks: str, source: str) -> None:
        step, _hint = step_for(asks)
        item = QTreeWidgetItem([text, OUTCOME_TEXT.get(outcome, outcome), answer,
                                STEP_TITLES.get(step, step), source])
        item.setData(0, Qt.ItemDataRole.UserRole, asks)
        for column in range(len(COLUMNS)):
            item.setToolTip(column, plain_tip(item.text(column)))
        self.tree.addTopLevelItem(item)

    def sync(self, case: Case) -> None:
        payer = self.reference.payers.get(case.payer or "")
        if payer is None:
            self.empty.setText("Choose the payer on the Case step to see its coverage criteria.")

    def show_worksheet(self, worksheet: Worksheet | None) -> None:
        super().show_worksheet(worksheet)
        self.tree.clear()
        case = self.doc.case
        if worksheet is None:
            self._show_reference_rows(case)
            return
        position = worksheet.coverage_position.replace("-", " ")
        self.policy.setText(
            f"{worksheet.payer_name or 'No payer'}: {position or 'no policy on file'}"
            + (f" — {worksheet.coverage_policy}" if worksheet.coverage_policy else "")
        )
        for c in worksheet.criteria:
            self._add(c.text, c.outcome, c.answer, c.asks, c.source)
        self.empty.setText("" if worksheet.criteria else "This payer lists no criteria that apply to this case.")
        self.go.setEnabled(bool(worksheet.criteria))

    def _show_reference_rows(self, case: Case) -> None:
        from models.refdata import CriterionRow

        rows = [r for r in self.reference.rows(CriterionRow)
                if r.payer == case.payer and r.family == case.family]
        for r in sorted(rows, key=lambda r: r.order):
            self._add(r.text, "not checked", "", r.asks, r.source)
        self.policy.setText("Not checked yet: criteria are listed but not evaluated.")

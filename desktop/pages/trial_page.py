"""Step 7: clinical-trial billing (when the payer and family need it).

Shown when a trial question of the family applies (the reference says so:
its condition names clinical_trial_billing). Explains Q0/Q1 and Z00.6 from
the reference rows.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from desktop.pages.base import StepPage
from desktop.pages.questions_page import QuestionForm
from desktop.widgets import named

if TYPE_CHECKING:
    from desktop.document import CaseDocument
    from models.case import Case
    from models.refdata import DxGroupRow
    from models.reference import Reference


class TrialPage(StepPage):
    step_id = "trial"
    title = "Clinical trial"
    intro = (
        "This payer covers the procedure only in an approved clinical trial: the claim needs the "
        "trial number, the Q0/Q1 modifiers and the clinical-research diagnosis."
    )

    def __init__(self, doc: CaseDocument, reference: Reference) -> None:
        super().__init__(doc, reference)
        self.questions = QuestionForm(doc, reference, trial=True)
        self.layout_.addWidget(self.questions)
        self.modifiers = QLabel()
        self.modifiers.setWordWrap(True)
        self.modifiers.setAccessibleName("Q0 and Q1 modifiers")
        self.modifiers.setText(self._modifier_text())
        self.layout_.addWidget(self.modifiers)
        self.dx = QLabel()
        self.dx.setWordWrap(True)
        self.dx.setAccessibleName("Clinical research diagnosis")
        self.layout_.addWidget(self.dx)
        self.add_dx = named(QPushButton("&Add the research diagnosis"),
                            "Add the clinical research diagnosis to the diagnoses")
        self.add_dx.clicked.connect(self._add_dx)
        self.questions.next_in_tab = self.add_dx
        row = QHBoxLayout()
        row.addWidget(self.add_dx)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.finish_layout()
        self.needed = False

    def _modifier_text(self) -> str:
        rows = [m for m in self.reference.modifiers.values()
                if m.kind == "clinical-trial" and m.effective_to is None]
        lines = ["<b>Modifiers</b> (tick them on the Modifiers step; this program may add them):"]
        lines += [f"<b>{m.modifier}</b> — {m.description}. <i>{m.source}</i>" for m in rows]
        return "<br>".join(lines)

    def _trial_groups(self, family: str) -> list[DxGroupRow]:
        from models.refdata import DxGroupRow

        return [g for g in self.reference.rows(DxGroupRow)
                if g.role == "trial" and g.family in ("*", family)]

    def _add_dx(self) -> None:
        codes = [g.pattern for g in self._trial_groups(self.doc.case.family) if not g.pattern.endswith("-")]
        missing = [c for c in codes if c not in self.doc.case.diagnoses]
        if missing:
            self.report(self.doc.update(diagnoses=[*self.doc.case.diagnoses, *missing]))

    def sync(self, case: Case) -> None:
        shown = self.questions.sync(case)
        self.needed = bool(shown)
        groups = self._trial_groups(case.family)
        parts = []
        for g in groups:
            present = g.pattern in case.diagnoses
            state = "in the diagnoses" if present else "not in the diagnoses yet"
            parts.append(f"<b>{escape(g.pattern)}</b> {escape(g.description)} — {state}. "
                         f"<i>{escape(g.source)}</i>")
        self.dx.setText("<b>Diagnosis</b> (secondary, on trial claims):<br>" + "<br>".join(parts))
        self.add_dx.setEnabled(any(g.pattern not in case.diagnoses for g in groups))

    def focus_hint(self, hint: str) -> None:
        if not self.questions.focus_question(hint.removeprefix("answers.")):
            for editor in self.questions.editors.values():
                editor.focus.setFocus()
                return

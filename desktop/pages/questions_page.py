"""Step 2: the family's questions, generated from the reference data.

The widgets come from the question rows (kind, choices, help); which of them
apply is the coder's decision (``applicable_questions``): the page only shows
or hides them.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop import coding
from desktop.pages.base import StepPage
from desktop.widgets import named, narrow_combo, note_label

if TYPE_CHECKING:
    from desktop.document import CaseDocument
    from models.case import AnswerValue, Case
    from models.refdata import QuestionRow
    from models.reference import Reference

NOT_ANSWERED = "(not answered)"
RESERVED_MNEMONICS = set("cefghpv")  # menus Cases, Edit, File, Go, Help; Steps; Live findings
TRIAL_KEY = "clinical_trial_billing"


def is_trial_question(question: QuestionRow) -> bool:
    """Questions about clinical-trial billing live on the trial step."""
    from models.conditions import parse

    return TRIAL_KEY in parse(question.when).keys


def with_mnemonic(text: str, used: set[str]) -> str:
    """Put '&' before the first letter of a word not used yet on this page."""
    candidates = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or not text[i - 1].isalpha())]
    candidates += [i for i, ch in enumerate(text) if ch.isalpha()]
    for i in candidates:
        letter = text[i].lower()
        if letter not in used and letter not in RESERVED_MNEMONICS:
            used.add(letter)
            return text[:i] + "&" + text[i:]
    return text


class AnswerEditor:
    """One question's control; reads and writes an answer value."""

    def __init__(self, question: QuestionRow, on_change: Callable[[AnswerValue], None]) -> None:
        self.question = question
        self.on_change = on_change
        self.widget: QWidget
        self.focus: QWidget
        builder = getattr(self, f"_build_{question.kind}")
        builder()

    def _build_choice(self) -> None:
        combo = narrow_combo(named(QComboBox(), self.question.prompt, self.question.help))
        combo.addItem(NOT_ANSWERED, None)
        for choice in self.question.choice_list:
            combo.addItem(self.question.choice_label(choice), choice)
        combo.currentIndexChanged.connect(lambda: self.on_change(combo.currentData()))
        self.widget = self.focus = combo

    def _build_boolean(self) -> None:
        box = QWidget()
        box.setAccessibleName(self.question.prompt)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(box)
        # No mnemonics here: they would repeat on every yes/no question. The prompt's
        # mnemonic focuses the question; the arrow keys choose.
        for value, text in ((True, "Yes"), (False, "No"), (None, "Not answered")):
            button = named(QRadioButton(text), f"{self.question.prompt}: {text}", self.question.help)
            button.setProperty("answer", value)
            self.group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        self.group.buttonToggled.connect(self._toggled)
        self.widget = box
        self.focus = self.group.buttons()[0]

    def _toggled(self, button: QRadioButton, checked: bool) -> None:
        if checked:
            self.on_change(button.property("answer"))

    def _build_integer(self) -> None:
        spin = named(QSpinBox(), self.question.prompt, self.question.help)
        spin.setRange(-1, 999)
        spin.setSpecialValueText(NOT_ANSWERED)
        spin.valueChanged.connect(lambda v: self.on_change(None if v < 0 else v))
        self.widget = self.focus = spin

    def _build_text(self) -> None:
        line = named(QLineEdit(), self.question.prompt, self.question.help)
        line.textEdited.connect(lambda text: self.on_change(text.strip() or None))
        self.widget = self.focus = line

    def show(self, value: AnswerValue) -> None:
        """Show an answer without reporting it back as an edit."""
        w = self.focus
        if isinstance(w, QComboBox):
            index = max(0, w.findData(value)) if value is not None else 0
            if w.currentIndex() != index:
                w.blockSignals(True)
                w.setCurrentIndex(index)
                w.blockSignals(False)
        elif isinstance(w, QRadioButton):
            self._show_boolean(value)
        elif isinstance(w, QSpinBox):
            target = value if isinstance(value, int) and not isinstance(value, bool) else -1
            if w.value() != target:
                w.blockSignals(True)
                w.setValue(target)
                w.blockSignals(False)
        elif isinstance(w, QLineEdit) and (w.text().strip() or None) != value:
            w.setText("" if value is None else str(value))

    def _show_boolean(self, value: AnswerValue) -> None:
        self.group.blockSignals(True)
        for button in self.group.buttons():
            wanted = button.property("answer") == value
            if button.isChecked() != wanted:
                button.setChecked(wanted)
        self.group.blockSignals(False)


class QuestionForm(QWidget):
    """The questions of one family (optionally only trial or only non-trial ones)."""

    def __init__(self, doc: CaseDocument, reference: Reference, *, trial: bool) -> None:
        super().__init__()
        self.doc = doc
        self.reference = reference
        self.trial = trial
        self.taken = set("a") if trial else set()
        """Letters the page around the form uses (the trial page's Add button)."""
        self.next_in_tab: QWidget | None = None
        """The control after the last question in the tab order."""
        self.family = ""
        self.editors: dict[str, AnswerEditor] = {}
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)

    def rebuild(self, family: str) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors.clear()
        self.family = family
        used: set[str] = set(self.taken)
        for question in self.reference.questions(family):
            if is_trial_question(question) != self.trial:
                continue
            self._add_row(question, used)
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        """Questions in order, then the page's next control (built before the questions)."""
        chain = [editor.focus for editor in self.editors.values()]
        if self.next_in_tab is not None:
            chain.append(self.next_in_tab)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _add_row(self, question: QuestionRow, used: set[str]) -> None:
        qid = question.question

        def answer(value: AnswerValue) -> None:
            self._answer(qid, value)

        editor = AnswerEditor(question, answer)
        self.editors[question.question] = editor
        prompt = question.prompt + (" *" if question.required else "") + ":"
        label = QLabel(with_mnemonic(prompt, used))
        label.setBuddy(editor.focus)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 6)
        column.setSpacing(2)
        column.addWidget(editor.widget)
        if question.help:
            column.addWidget(note_label(question.help))
        self.form.addRow(label, holder)

    def _answer(self, question: str, value: AnswerValue) -> None:
        page = self.parent()
        refusal = self.doc.set_answer(question, value)
        if isinstance(page, StepPage):
            page.report(refusal)

    def sync(self, case: Case) -> set[str]:
        """Show the answers and only the rows that apply; return the ids shown."""
        if case.family != self.family:
            self.rebuild(case.family)
        applicable = self._applicable(case)
        shown: set[str] = set()
        for row, (qid, editor) in enumerate(self.editors.items()):
            editor.show(case.answers.get(qid))
            visible = qid in applicable
            self.form.setRowVisible(row, visible)
            if visible:
                shown.add(qid)
        return shown

    def _applicable(self, case: Case) -> set[str]:
        return {q.question for q in coding.applicable_questions(case, self.reference)}

    def focus_question(self, qid: str) -> bool:
        editor = self.editors.get(qid)
        if editor is None or not editor.focus.isVisibleTo(self):
            return False
        editor.focus.setFocus()
        return True


class QuestionsPage(StepPage):
    step_id = "questions"
    title = "Questions"
    intro = (
        "What was done, for this family. Questions appear only when they apply; "
        "* marks the ones the coder needs."
    )

    def __init__(self, doc: CaseDocument, reference: Reference) -> None:
        super().__init__(doc, reference)
        self.questions = QuestionForm(doc, reference, trial=False)
        self.questions.setParent(self)
        self.layout_.addWidget(self.questions)
        self.empty = note_label("No questions apply yet: choose the family and the payer first.")
        self.layout_.addWidget(self.empty)
        self.finish_layout()

    def sync(self, case: Case) -> None:
        shown = self.questions.sync(case)
        self.empty.setVisible(not shown)

    def focus_hint(self, hint: str) -> None:
        qid = hint.removeprefix("answers.")
        if not self.questions.focus_question(qid):
            for editor in self.questions.editors.values():
                if editor.focus.isVisibleTo(self):
                    editor.focus.setFocus()
                    return

"""What every step page shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.widgets import heading, note_label

if TYPE_CHECKING:
    from desktop.document import CaseDocument
    from models.case import Case
    from models.reference import Reference
    from models.worksheet import Finding, Worksheet


class StepPage(QWidget):
    """One step of the flow: edits part of the case, shows part of the worksheet."""

    step_id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    intro: ClassVar[str] = ""

    go_to = Signal(str, str)
    """Ask the window to show another step (step id, optional focus hint)."""

    def __init__(self, doc: CaseDocument, reference: Reference) -> None:
        super().__init__()
        self.doc = doc
        self.reference = reference
        self.setAccessibleName(self.title)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(heading(self.title))
        if self.intro:
            self.layout_.addWidget(note_label(self.intro))
        self.refusal = note_label()
        self.refusal.setAccessibleName(f"{self.title}: entry not accepted")
        self.refusal.hide()
        self.problems = note_label()
        self.problems.setAccessibleName(f"{self.title}: findings")
        self.problems.hide()

    def finish_layout(self, *, stretch: bool = True) -> None:
        self.layout_.addWidget(self.refusal)
        self.layout_.addWidget(self.problems)
        if stretch:
            self.layout_.addStretch(1)

    # -- called by the window --------------------------------------------------

    def sync(self, case: Case) -> None:
        """Show the case's current values (without echoing them back as edits)."""

    def show_worksheet(self, worksheet: Worksheet | None) -> None:
        """Show the coder's latest result for this step."""
        findings = [] if worksheet is None else [f for f in worksheet.findings if f.step == self.step_id]
        self.show_findings(findings)

    def show_findings(self, findings: list[Finding]) -> None:
        """The findings panel lists them; the page only counts what is left to fix here."""
        open_ = [f for f in findings if f.severity != "info" and not f.acknowledged]
        self.problems.setText(
            f"{len(open_)} finding(s) on this step: see the findings panel." if open_ else ""
        )
        self.problems.setVisible(bool(open_))

    def focus_hint(self, hint: str) -> None:
        """Put the focus on the control that a link or finding points at."""

    def report(self, refusal: str | None) -> bool:
        """Show why an entry was refused (validation) or clear it; True when accepted."""
        self.refusal.setText(f"Not accepted: {refusal}" if refusal else "")
        self.refusal.setVisible(bool(refusal))
        return refusal is None


class LookupAddPage(StepPage):
    """A step with a look-up entry that adds what is picked or typed (diagnoses, other codes)."""

    entry: QLineEdit

    def add_lookup_row(self, label: str, entry_name: str, entry_tip: str, placeholder: str,
                       add_name: str) -> None:
        """The entry with search-as-you-type completion and its Add button, on one row."""
        from desktop.widgets import EntryLine, SearchCompleter, buddy_label, named

        self.entry = named(EntryLine(self._enter), entry_name, entry_tip)
        self.entry.setPlaceholderText(placeholder)
        self.completer = SearchCompleter(self.entry, self._search)
        self.completer.activated[str].connect(self._picked)  # type: ignore[index]
        self.add = named(QPushButton("&Add"), add_name, "Add the code typed above")
        self.add.clicked.connect(self._enter)
        row = QHBoxLayout()
        row.addWidget(buddy_label(label, self.entry))
        row.addWidget(self.entry, 1)
        row.addWidget(self.add)
        self.layout_.addLayout(row)

    def _search(self, text: str) -> list[tuple[str, str]]:
        raise NotImplementedError

    def _picked(self, code: str) -> None:
        if self._add(code):
            QTimer.singleShot(0, self.entry.clear)

    def _enter(self) -> bool:
        """Add the typed code; True when Enter was used for that (not for the next step)."""
        text = self.entry.text().strip()
        if not text:
            return False
        if self._add(text.split()[0]):
            self.entry.clear()
        return True

    def _add(self, code: str) -> bool:
        raise NotImplementedError


"""Step 8: review — claim lines with their "why", findings to acknowledge, notes, the PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import coding, dialogs
from desktop.keys import ActivateOnEnter, enter_goes_on
from desktop.pages.base import StepPage
from desktop.settings import Preferences
from desktop.widgets import buddy_label, named, note_label, plain_label, plain_tip

if TYPE_CHECKING:
    from desktop.document import CaseDocument
    from desktop.preview import PdfPreview
    from models.case import Acknowledgement, Case
    from models.reference import Reference
    from models.worksheet import Finding, Line, Worksheet

STATUS_TEXT = {
    "ready": "Ready: no errors, every warning acknowledged.",
    "review": "Needs review: acknowledge each warning with a reason, or fix it.",
    "blocked": "Blocked: errors remain. The worksheet prints marked DRAFT.",
}
SEVERITY_TITLES = (("error", "Errors"), ("warning", "Warnings"), ("info", "Information"))
SEVERITY_ICONS = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}


class ReviewPage(StepPage):
    step_id = "review"
    title = "Review"

    def __init__(self, doc: CaseDocument, reference: Reference) -> None:
        super().__init__(doc, reference)
        self.worksheet: Worksheet | None = None
        self.preview: PdfPreview | None = None
        self._pdf: tuple[tuple[str, ...], bytes] | None = None
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Worksheet status")
        font = self.status.font()
        font.setBold(True)
        self.status.setFont(font)
        self.layout_.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._left_column())
        splitter.addWidget(self._right_column())
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([500, 420])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        from desktop.geometry import restore_splitter

        restore_splitter("review-splitter", splitter)
        self.layout_.addWidget(splitter, 1)
        self.finish_layout(stretch=False)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(250)
        self._preview_timer.timeout.connect(self.refresh_preview)

    # -- layout ------------------------------------------------------------------

    def _left_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        self.lines = named(QTreeWidget(), "Claim lines", "Each line with the answers and rows behind it")
        self.lines.setHeaderLabels(["Line", "Code", "Modifiers", "Units", "Dx", "Descriptor"])
        header = self.lines.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for section, width in enumerate((56, 70, 80, 48, 56)):
            header.resizeSection(section, width)
        header.setStretchLastSection(True)
        self.lines.setWordWrap(False)
        layout.addWidget(buddy_label("Claim &lines (expand a line to see why):", self.lines))
        layout.addWidget(self.lines, 2)
        self.findings = named(QTreeWidget(), "Findings by severity")
        self.findings.setHeaderLabels(["Finding", "Rule"])
        self.findings.header().setStretchLastSection(False)
        self.findings.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.findings.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.findings.setUniformRowHeights(False)
        self.findings.setWordWrap(True)
        self.findings.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.findings.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.findings.itemActivated.connect(lambda item, _c: self._go_to_finding(item))
        ActivateOnEnter(self.findings)
        enter_goes_on(self.lines)
        layout.addWidget(buddy_label("F&indings:", self.findings))
        layout.addWidget(self.findings, 3)
        layout.addLayout(self._finding_buttons())  # above the text, so they never move
        self.finding_detail = note_label("Select a finding to read it in full.")
        self.finding_detail.setAccessibleName("The selected finding in full")
        layout.addWidget(self._fixed_height(self.finding_detail, lines=5))
        self.notes = named(QPlainTextEdit(), "Coder notes", "Printed on the worksheet")
        self.notes.setPlaceholderText("Notes for the reviewer (printed on the worksheet)")
        self.notes.setTabChangesFocus(True)
        self.notes.textChanged.connect(self._notes_changed)
        layout.addWidget(buddy_label("Coder &notes:", self.notes))
        layout.addWidget(self.notes, 1)
        return column

    @staticmethod
    def _fixed_height(label: QLabel, lines: int) -> QScrollArea:
        """The label in a box of fixed height: a longer text scrolls instead of moving
        everything below it."""
        area = QScrollArea()
        area.setWidget(label)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.setFixedHeight(label.fontMetrics().lineSpacing() * lines + 6)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return area

    def _finding_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.acknowledge = named(QPushButton("Ac&knowledge…"), "Acknowledge the selected warning",
                                 "Acknowledge the selected warning with a written reason")
        self.acknowledge.clicked.connect(self._acknowledge)
        self.withdraw = named(QPushButton("&Withdraw"), "Withdraw the acknowledgement",
                              "Withdraw the acknowledgement of the selected warning")
        self.withdraw.clicked.connect(self._withdraw)
        self.go = named(QPushButton("Go to s&tep"), "Go to the step that fixes the selected finding")
        self.go.clicked.connect(lambda: self._go_to_finding(self.findings.currentItem()))
        for button in (self.acknowledge, self.withdraw, self.go):
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _right_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QGridLayout()  # two rows of two: the column stays narrow
        style = self.style()
        specs = [
            ("save_pdf_button", "&Save PDF…", QStyle.StandardPixmap.SP_DialogSaveButton, "Save the worksheet as a PDF file", self.save_pdf),
            ("print_button", "P&rint…", QStyle.StandardPixmap.SP_FileDialogDetailedView, "Print the worksheet", self.print_pdf),
            ("open_viewer_button", "&Open in viewer", QStyle.StandardPixmap.SP_DesktopIcon, "Open the worksheet PDF in the system viewer", self.open_in_viewer),
            ("refresh_button", "&Update preview", QStyle.StandardPixmap.SP_BrowserReload, "Render the preview again", self.refresh_preview),
        ]
        for index, (key, text, icon, tip, slot) in enumerate(specs):
            button = named(QPushButton(style.standardIcon(icon), text), tip, tip)
            button.clicked.connect(slot)
            setattr(self, key, button)
            bar.addWidget(button, index // 2, index % 2)
        bar.setColumnStretch(2, 1)
        layout.addLayout(bar)
        self.preview_note = note_label("The preview appears here.")
        layout.addWidget(self.preview_note)
        self.preview_holder = QVBoxLayout()
        layout.addLayout(self.preview_holder, 1)
        return column

    # -- worksheet display ---------------------------------------------------------

    def sync(self, case: Case) -> None:
        if self.notes.toPlainText() != case.notes:
            self.notes.blockSignals(True)
            self.notes.setPlainText(case.notes)
            self.notes.blockSignals(False)

    def show_worksheet(self, worksheet: Worksheet | None) -> None:
        self.worksheet = worksheet
        if worksheet is None:
            self.status.setText("Nothing to review yet: start with the case facts (step 1).")
            self.lines.clear()
            self.findings.clear()
            return
        self.status.setText(self._status(worksheet))
        self._show_lines(worksheet.lines)
        self._show_findings(worksheet.findings)
        if self.isVisible():
            self._preview_timer.start()

    @staticmethod
    def _status(worksheet: Worksheet) -> str:
        from desktop.findings import is_to_do

        errors = worksheet.findings_by_severity("error")
        if errors and all(is_to_do(f) for f in errors):
            return (f"Incomplete: {len(errors)} entr{'y' if len(errors) == 1 else 'ies'} still to "
                    "make (see the findings). The worksheet prints marked DRAFT until then.")
        return STATUS_TEXT[worksheet.status]

    def _show_lines(self, lines: tuple[Line, ...]) -> None:
        self.lines.clear()
        for line in lines:
            pointers = ", ".join(str(p) for p in line.diagnosis_pointers)
            item = QTreeWidgetItem([str(line.number), line.code, " ".join(line.modifiers),
                                    str(line.units), pointers, line.descriptor])
            item.setToolTip(5, plain_tip(line.descriptor))
            self.lines.addTopLevelItem(item)
            for step in line.path:
                child = QTreeWidgetItem(item, [f"{step.kind}: {step.text}"])
                child.setToolTip(0, plain_tip(f"{step.text}\nSource: {step.source}" if step.source else step.text))
                child.setFirstColumnSpanned(True)
            item.setExpanded(True)
        if not lines:
            self.lines.addTopLevelItem(QTreeWidgetItem(["", "", "", "", "", "No claim lines yet"]))

    def _show_findings(self, findings: tuple[Finding, ...]) -> None:
        current = self.findings.currentItem()
        keep = current.data(0, Qt.ItemDataRole.UserRole + 1) if current else None
        self.findings.clear()
        self._by_key: dict[str, Finding] = {}
        for severity, title in SEVERITY_TITLES:
            group_findings = [f for f in findings if f.severity == severity]
            group = QTreeWidgetItem([f"{title} ({len(group_findings)})"])
            group.setIcon(0, self.style().standardIcon(SEVERITY_ICONS[severity]))
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.findings.addTopLevelItem(group)
            for f in group_findings:
                group.addChild(self._finding_item(f))
            group.setExpanded(severity != "info" or len(group_findings) <= 6)
        if keep:
            for item in self._finding_items():
                if item.data(0, Qt.ItemDataRole.UserRole + 1) == keep:
                    self.findings.setCurrentItem(item)
        self._update_buttons()

    def _finding_item(self, f: Finding) -> QTreeWidgetItem:
        text = f.message
        if f.acknowledged:
            text = f"[acknowledged: {f.acknowledgement}] {text}"
        item = QTreeWidgetItem([text, f.rule])
        details = [f.title, f.message]
        if f.codes:
            details.append("Codes: " + ", ".join(f.codes))
        if f.fix:
            details.append("How to fix: " + f.fix)
        if f.citation:
            details.append("Source: " + f.citation)
        item.setToolTip(0, plain_tip("\n".join(details)))
        key = f.subject
        item.setData(0, Qt.ItemDataRole.UserRole, f.step)
        item.setData(0, Qt.ItemDataRole.UserRole + 1, key)
        self._by_key[key] = f
        return item

    @staticmethod
    def _detail(f: Finding) -> str:
        parts = [f"{f.severity.capitalize()} {f.rule}: {f.message}"]
        if f.fix:
            parts.append(f"How to fix: {f.fix}")
        if f.citation:
            parts.append(f"Source: {f.citation}")
        if f.acknowledged:
            parts.append(f"Acknowledged: {f.acknowledgement}")
        return "\n".join(parts)

    def _finding_items(self) -> list[QTreeWidgetItem]:
        root = self.findings.invisibleRootItem()
        found: list[QTreeWidgetItem] = []
        for g in range(root.childCount()):
            group = root.child(g)
            if group is None:
                continue
            found += [c for i in range(group.childCount()) if (c := group.child(i)) is not None]
        return found

    def selected_finding(self) -> Finding | None:
        item = self.findings.currentItem()
        key = item.data(0, Qt.ItemDataRole.UserRole + 1) if item else None
        return self._by_key.get(key) if key else None

    def select_finding(self, rule: str, codes: tuple[str, ...] = (), subject: str = "") -> bool:
        """Select a finding by its subject, or the first of this rule with exactly these codes."""
        for item in self._finding_items():
            f = self._by_key.get(item.data(0, Qt.ItemDataRole.UserRole + 1))
            if f is not None and (f.subject == subject if subject else
                                  (f.rule, f.codes) == (rule, tuple(codes))):
                self.findings.setCurrentItem(item)
                return True
        return False

    def _update_buttons(self) -> None:
        f = self.selected_finding()
        self.finding_detail.setText(self._detail(f) if f else "Select a finding to read it in full.")
        self.acknowledge.setEnabled(f is not None and f.severity == "warning")
        self.withdraw.setEnabled(f is not None and f.acknowledged)
        self.go.setEnabled(f is not None and bool(f.step))

    # -- edits ---------------------------------------------------------------------

    def _notes_changed(self) -> None:
        self.report(self.doc.update(notes=self.notes.toPlainText()))

    def _acknowledge(self) -> None:
        f = self.selected_finding()
        if f is None or f.severity != "warning":
            return
        reason = dialogs.ask_reason(
            self, "Acknowledge warning",
            f"{f.message}\n\nWhy can the claim go out as it is? The reason prints on the worksheet.",
            f.acknowledgement,
        )
        if not reason:
            return
        acks = [a.model_dump(exclude_none=True) for a in self._acknowledgements_except(f)]
        acks.append({"rule": f.rule, "reason": reason, "codes": list(f.codes) or None,
                     "subject": f.subject})
        self.report(self.doc.update(acknowledged=acks))

    def _withdraw(self) -> None:
        f = self.selected_finding()
        if f is None:
            return
        kept = self._acknowledgements_except(f)
        self.report(self.doc.update(acknowledged=[a.model_dump(exclude_none=True) for a in kept]))

    def _acknowledgements_except(self, f: Finding) -> list[Acknowledgement]:
        """The case's acknowledgements without the one that answers this finding."""
        case = self.doc.case
        if self.worksheet is None:
            return list(case.acknowledged)
        answered = coding.answered_subjects(case, self.worksheet)
        return [a for a, subject in zip(case.acknowledged, answered, strict=True)
                if subject != f.subject]

    def _go_to_finding(self, item: QTreeWidgetItem | None) -> None:
        step = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if step and step != self.step_id:
            f = self.selected_finding()
            self.go_to.emit(str(step), f.codes[0] if f and f.codes else "")

    # -- the PDF -------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._preview_timer.start()

    def pdf_bytes(self) -> bytes | None:
        """The worksheet PDF for the current case (cached until the case changes)."""
        if self.worksheet is None:
            return None
        prefs = Preferences.load()
        key = (self.worksheet.digest, prefs.facility, prefs.coder, date.today().isoformat())
        if self._pdf is None or self._pdf[0] != key:
            data = coding.render_pdf(
                self.worksheet, facility=prefs.facility, coder=prefs.coder, prepared=date.today()
            )
            self._pdf = (key, data)
        return self._pdf[1]

    def _pdf_or_explain(self) -> bytes | None:
        data = self.pdf_bytes()
        if data is None:
            self.preview_note.setText("No worksheet yet: open or start a case.")
        return data

    def refresh_preview(self) -> None:
        data = self._pdf_or_explain()
        if data is None:
            return
        if self.preview is None:
            from desktop.preview import PdfPreview

            self.preview = PdfPreview(self)
            self.preview_holder.addWidget(self.preview)
        if self.preview.show_pdf(data):
            draft = " (DRAFT: errors remain)" if self.worksheet and self.worksheet.status == "blocked" else ""
            self.preview_note.setText(f"Preview: {self.preview.page_count()} page(s){draft}")
        else:
            self.preview_note.setText("The PDF could not be shown.")

    def suggested_pdf_name(self) -> str:
        stem = self.doc.path.stem if self.doc.path else "worksheet"
        draft = "-DRAFT" if self.worksheet and self.worksheet.status == "blocked" else ""
        folder = self.doc.path.parent if self.doc.path else Path.home()
        return str(folder / f"{stem}{draft}.pdf")

    def save_pdf(self) -> Path | None:
        from models.atomic import OutputError, atomic_write_bytes

        data = self._pdf_or_explain()
        if data is None:
            return None
        if self.worksheet and self.worksheet.status == "blocked":
            dialogs.information(self, "Worksheet has errors",
                                "Errors remain, so the worksheet is saved marked DRAFT. "
                                "Fix the errors for a final worksheet.")
        path = dialogs.save_pdf_path(self, self.suggested_pdf_name())
        if path is None:
            return None
        try:
            atomic_write_bytes(path, data)
        except OutputError as exc:
            dialogs.error(self, "PDF not saved", f"{exc}\n\nChoose another folder; the case is unchanged.")
            return None
        return path

    def print_pdf(self) -> bool:
        data = self._pdf_or_explain()
        if data is None:
            return False
        from desktop.preview import print_pdf

        return print_pdf(data, self)

    def open_in_viewer(self) -> Path | None:
        from desktop import viewer_copies

        data = self._pdf_or_explain()
        if data is None:
            return None
        try:
            path = viewer_copies.write(Path(self.suggested_pdf_name()).name, data)
        except OSError as exc:
            dialogs.error(self, "Cannot open the PDF", str(exc))
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            dialogs.error(self, "Cannot open the PDF", f"No PDF viewer opened {path}.")
        return path

    def focus_hint(self, hint: str) -> None:
        self.findings.setFocus()

"""Step 4: modifiers — every modifier with its meaning, when to use it, and its conflicts.

Nothing is hidden: a modifier that cannot apply is still listed, with the
reference rows that say why, and the coder's findings about it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from desktop.keys import enter_goes_on
from desktop.pages.base import StepPage
from desktop.widgets import named, note_label

if TYPE_CHECKING:
    from desktop.document import CaseDocument
    from models.case import Case
    from models.refdata import ModifierRow
    from models.reference import Reference
    from models.worksheet import Worksheet

KIND_TITLES = {
    "clinical-trial": "Clinical trial",
    "liability": "Liability and waivers (ABN)",
    "informational": "Informational",
    "distinct-service": "Distinct procedural service",
    "payment": "Payment",
    "laterality": "Side of the body",
    "professional-only": "Professional claims only",
    "facility-only": "Facility claims only",
    "anesthesia-only": "Anesthesia claims only",
    "lab": "Laboratory",
    "drug-waste": "Drug waste",
}
COLUMNS = ("Modifier", "Meaning", "Used on", "What to know")


class ModifiersPage(StepPage):
    step_id = "modifiers"
    title = "Modifiers"
    intro = (
        "Tick the modifiers the documentation supports for the procedure lines. Modifiers this "
        "program adds by rule appear on the review. Conflicts and limits come from the reference."
    )

    def __init__(self, doc: CaseDocument, reference: Reference) -> None:
        super().__init__(doc, reference)
        from models.refdata import ModifierConflictRow, ModifierExclusionRow

        self.conflicts = reference.rows(ModifierConflictRow)
        self.exclusions = reference.rows(ModifierExclusionRow)
        self.tree = named(QTreeWidget(), "Modifiers", "Space ticks or unticks the current modifier")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((190, 300, 230)):
            header.resizeSection(column, width)
        self.tree.setMinimumHeight(320)
        self.items: dict[str, QTreeWidgetItem] = {}
        self._fill()
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda item, _old: self._show_detail(item))
        enter_goes_on(self.tree)
        self.layout_.addWidget(self.tree, 1)
        self.detail = note_label()
        self.detail.setAccessibleName("About the selected modifier")
        self.layout_.addWidget(self.detail)
        self.finish_layout(stretch=False)
        self._findings: dict[str, list[str]] = {}
        self._automatic: dict[str, list[str]] = {}

    def _fill(self) -> None:
        groups: dict[str, QTreeWidgetItem] = {}
        for row in self.reference.modifiers.values():
            group = groups.get(row.kind)
            if group is None:
                group = QTreeWidgetItem([KIND_TITLES.get(row.kind, row.kind)])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                groups[row.kind] = group
            item = QTreeWidgetItem([row.modifier, row.description, self._used_on(row), self._limits(row)])
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(0, Qt.CheckState.Unchecked)
            item.setData(0, Qt.ItemDataRole.UserRole, row.modifier)
            item.setToolTip(1, row.description)
            item.setToolTip(3, f"Source: {row.source}")
            group.addChild(item)
            self.items[row.modifier] = item
        self.tree.addTopLevelItems(list(groups.values()))
        self.tree.expandAll()

    @staticmethod
    def _used_on(row: ModifierRow) -> str:
        parts = [" / ".join(row.claim_type_list) + " claims", " / ".join(row.line_kind_list) + " lines"]
        if row.setting_list:
            parts.append("in " + " / ".join(row.setting_list))
        return "; ".join(parts)

    def _limits(self, row: ModifierRow) -> str:
        notes = [row.note] if row.note else []
        if row.needs_documentation:
            notes.append("Needs supporting documentation.")
        if row.effective_to:
            notes.append(f"Ended {row.effective_to.isoformat()}.")
        elif row.effective_from:
            notes.append(f"From {row.effective_from.isoformat()}.")
        for c in self.conflicts:
            if row.modifier in (c.modifier_a, c.modifier_b):
                other = c.modifier_b if row.modifier == c.modifier_a else c.modifier_a
                notes.append(f"Not with {other}: {c.reason}")
        for e in self.exclusions:
            if e.modifier == row.modifier:
                notes.append(f"Not on {e.code}: {e.reason}")
        if row.verify:
            notes.append("Definition to verify against the current code book.")
        return " ".join(notes)

    # -- edits -------------------------------------------------------------------

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        modifier = item.data(0, Qt.ItemDataRole.UserRole)
        if column != 0 or not modifier:
            return
        chosen = list(self.doc.case.modifiers)
        ticked = item.checkState(0) == Qt.CheckState.Checked
        if ticked and modifier not in chosen:
            chosen.append(modifier)
        elif not ticked and modifier in chosen:
            chosen.remove(modifier)
        self.report(self.doc.update(modifiers=chosen))
        self._show_detail(item)

    # -- display -----------------------------------------------------------------

    def sync(self, case: Case) -> None:
        self.tree.blockSignals(True)
        for modifier, item in self.items.items():
            state = Qt.CheckState.Checked if modifier in case.modifiers else Qt.CheckState.Unchecked
            if item.checkState(0) != state:
                item.setCheckState(0, state)
        self.tree.blockSignals(False)
        unknown = [m for m in case.modifiers if m not in self.items]
        if unknown:
            self.report(f"not in the reference: {', '.join(unknown)} (remove them from the case file)")

    def show_worksheet(self, worksheet: Worksheet | None) -> None:
        super().show_worksheet(worksheet)
        self._findings = {}
        self._automatic = {}
        if worksheet is None:
            return
        for finding in worksheet.findings:
            for code in finding.codes:
                if code in self.items:
                    self._findings.setdefault(code, []).append(f"{finding.severity}: {finding.message}")
        for line in worksheet.lines:
            for modifier in line.modifiers:
                if modifier not in worksheet.case.modifiers:
                    self._automatic.setdefault(modifier, []).append(line.code)
        for modifier, item in self.items.items():
            marks = []
            if modifier in self._automatic:
                marks.append("added by this program on " + ", ".join(self._automatic[modifier]))
            if modifier in self._findings:
                marks.append(f"{len(self._findings[modifier])} finding(s)")
            item.setText(0, modifier + (f"  ({'; '.join(marks)})" if marks else ""))
        self._show_detail(self.tree.currentItem())

    def _show_detail(self, item: QTreeWidgetItem | None) -> None:
        modifier = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        row = self.reference.modifiers.get(modifier or "")
        if row is None:
            self.detail.setText("Select a modifier to see what it means and where it may be used.")
            return
        lines = [f"{row.modifier}: {row.description}.", f"Used on {self._used_on(row)}."]
        limits = self._limits(row)
        if limits:
            lines.append(limits)
        lines.append(f"Source: {row.source}")
        lines += self._automatic.get(row.modifier, []) and [
            "This program adds it on " + ", ".join(self._automatic[row.modifier]) + "."
        ]
        lines += self._findings.get(row.modifier, [])
        self.detail.setText("\n".join(lines))

    def focus_hint(self, hint: str) -> None:
        item = self.items.get(hint)
        if item is not None:
            self.tree.setCurrentItem(item)
        self.tree.setFocus()

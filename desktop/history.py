"""A stored case's History: its versions, worksheets and re-checks, who, when and status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import named, plain_label
from models.store.errors import local_time

if TYPE_CHECKING:
    from models.store import CaseHistory, CaseRow

HEADERS = ("What", "When", "Who", "Status", "Reference", "Digest")


def history_rows(history: CaseHistory) -> list[tuple[str, str, str, str, str, str]]:
    """One row per event, oldest first."""
    rows = [(f"Version {v.version} saved", v.saved_at, v.saved_by, v.status,
             v.reference_version, v.digest[:12]) for v in history.versions]
    rows += [(f"Worksheet of version {w.version} (PDF {w.pdf_sha256[:12]})", w.rendered_at,
              w.rendered_by, w.status, "", w.digest[:12]) for w in history.worksheets]
    rows += [(f"Version {c.version} re-checked", c.checked_at, c.checked_by, c.status,
              c.reference_version, c.digest[:12]) for c in history.checks]
    rows.sort(key=lambda r: r[1])
    return [(what, local_time(when, seconds=True), who, status.upper(), ref, digest)
            for what, when, who, status, ref, digest in rows]


class HistoryDialog(QDialog):
    def __init__(self, row: CaseRow, history: CaseHistory, change: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History of case {row.id}")
        self.resize(760, 360)
        title = plain_label(f"Case {row.id} · account {row.account or 'not entered'} · "
                       f"{row.family} · {row.payer or 'no payer'} · now version {row.version}, "
                       f"{row.status.upper()}" + (f"\nLast re-check: {change}" if change else ""))
        title.setWordWrap(True)
        self.tree = named(QTreeWidget(), "Case history")
        self.tree.setHeaderLabels(list(HEADERS))
        self.tree.setRootIsDecorated(False)
        for values in history_rows(history):
            self.tree.addTopLevelItem(QTreeWidgetItem(list(values)))
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

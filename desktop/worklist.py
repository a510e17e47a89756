"""The Worklist: the stored cases as a table, filtered by status, payer and free text.

`WorklistModel` is a QAbstractTableModel over a store query: it holds one page of rows
and fetches more as the view scrolls (never a widget per case), so a filter keystroke
costs one indexed query of one page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import buddy_label, named
from models.store.errors import local_time

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon, QKeyEvent

    from models.store import CaseFilter, CaseRow, CaseStore

PAGE = 200
COLUMNS = ("Account", "Date of service", "Family", "Payer", "Status", "Last coder",
           "Last change")
LAST_CHANGE = COLUMNS.index("Last change")
STATUS_WORDS = {"ready": "Ready", "review": "Review", "blocked": "Blocked"}
Index = QModelIndex | QPersistentModelIndex


def status_icon(status: str) -> QIcon:
    from PySide6.QtWidgets import QApplication, QStyle

    pixmap = {
        "blocked": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "review": QStyle.StandardPixmap.SP_MessageBoxWarning,
        "ready": QStyle.StandardPixmap.SP_DialogApplyButton,
    }.get(status, QStyle.StandardPixmap.SP_MessageBoxQuestion)
    return QApplication.style().standardIcon(pixmap)


class WorklistModel(QAbstractTableModel):
    """Rows of a store query, one page at a time, most recently changed first."""

    def __init__(self, store: CaseStore | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        from models.store import CaseFilter

        self._store = store
        self._filter = CaseFilter()
        self._rows: list[CaseRow] = []
        self._more = False
        self._icons: dict[str, QIcon] = {}

    # -- the query --------------------------------------------------------------------

    def set_store(self, store: CaseStore | None) -> None:
        self._store = store
        self.refresh()

    def set_filter(self, where: CaseFilter) -> None:
        self._filter = where
        self.refresh()

    @property
    def filter(self) -> CaseFilter:
        return self._filter

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows = [] if self._store is None else self._store.list_cases(self._filter,
                                                                            limit=PAGE)
        self._more = len(self._rows) == PAGE  # no COUNT(*): a keystroke reads one page
        self.endResetModel()

    def case_row(self, row: int) -> CaseRow:
        return self._rows[row]

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self._store is None or parent.isValid():
            return
        more = self._store.list_cases(self._filter, limit=PAGE, offset=len(self._rows))
        self._more = len(more) == PAGE
        if not more:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows += more
        self.endInsertRows()

    # -- the model --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == 4:
            if row.status not in self._icons:
                self._icons[row.status] = status_icon(row.status)
            return self._icons[row.status]
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    @staticmethod
    def _text(row: CaseRow, column: int) -> str:
        if column == LAST_CHANGE:
            return local_time(row.updated_at)
        values = (row.account or "—", row.date_of_service or "—", row.family,
                  row.payer or "—", STATUS_WORDS.get(row.status, row.status), row.updated_by)
        return values[column]


class WorklistTable(QTableView):
    """Enter (or a double click) opens the case under the cursor."""

    open_case = Signal(int)

    def __init__(self, model: WorklistModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.doubleClicked.connect(self._open_index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._open_index(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(int(index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)))


class Worklist(QDockWidget):
    """The dock: filters above the table; emits `open_case(id)`."""

    open_case = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Worklist", parent)
        self.setObjectName("worklist")
        self.model = WorklistModel(parent=self)
        self.table = named(WorklistTable(self.model), "Stored cases",
                           "Enter opens the selected case")
        self.table.open_case.connect(self.open_case)
        self.status = named(QComboBox(), "Status filter")
        self.status.addItem("Any status", "")
        for status, word in STATUS_WORDS.items():
            self.status.addItem(word, status)
        self.payer = named(QComboBox(), "Payer filter")
        self.text = named(QLineEdit(), "Find cases", "Account, code, family… (every word)")
        self.text.setPlaceholderText("Account, code, family…")
        self.text.setClearButtonEnabled(True)
        self.changed = QCheckBox("C&hanged by the last re-check")
        self.changed.setAccessibleName("Only cases the last re-check changed")
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.payer.currentIndexChanged.connect(self.apply_filter)
        self.text.textChanged.connect(self.apply_filter)
        self.changed.toggled.connect(self.apply_filter)
        self.notice = QLabel()
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.hide()
        self.setWidget(self._layout())
        self._fill_payers([])

    def _layout(self) -> QWidget:
        filters = QHBoxLayout()
        filters.addWidget(buddy_label("Stat&us:", self.status))
        filters.addWidget(self.status)
        filters.addWidget(buddy_label("Pa&yer:", self.payer))
        filters.addWidget(self.payer)
        filters.addWidget(buddy_label("F&ind:", self.text))
        filters.addWidget(self.text, 1)
        filters.addWidget(self.changed)
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.notice)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        return body

    def _fill_payers(self, payers: list[str]) -> None:
        current = self.payer.currentData()
        self.payer.blockSignals(True)
        self.payer.clear()
        self.payer.addItem("Any payer", "")
        for payer in payers:
            self.payer.addItem(payer, payer)
        self.payer.setCurrentIndex(max(0, self.payer.findData(current)))
        self.payer.blockSignals(False)

    def set_store(self, store: CaseStore | None) -> None:
        self._fill_payers(store.payers() if store is not None else [])
        self.model.set_store(store)

    def current_filter(self) -> CaseFilter:
        from models.store import CaseFilter

        return CaseFilter(status=str(self.status.currentData() or ""),
                          payer=str(self.payer.currentData() or ""),
                          text=self.text.text(), changed_only=self.changed.isChecked())

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())

    def show_changed(self, count: int, reference_version: str) -> None:
        """After a re-check: say how many cases changed and show only them."""
        cases = "case" if count == 1 else "cases"
        self.notice.setText(f"{count} stored {cases} changed when re-checked against reference "
                            f"{reference_version}: showing them (untick the box for all)")
        self.notice.show()
        self.changed.setChecked(True)
        self.show()
        self.raise_()

"""The case library in the application: opening worksheets, the store, the worklist.

window.py stays a shell: it calls into here for what concerns stored cases.
"""

from __future__ import annotations

import enum
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu

from desktop import dialogs

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressBar, QWidget

    from desktop.background import BackgroundRecheck, RecheckOutcome
    from desktop.window import MainWindow
    from desktop.worklist import Worklist
    from models.case import Case
    from models.store import CaseStore, NewVersion


def load_case_or_worksheet(path: Path) -> tuple[Case, Path | None]:
    """A case file, or the case a worksheet PDF carries (then there is no case file yet)."""
    from models.case import load_case
    from reports.attachment import is_pdf, load_worksheet_case

    if is_pdf(path):
        case, _printed = load_worksheet_case(path)
        return case, None
    return load_case(path), path


class StaleChoice(enum.Enum):
    RELOAD = "reload"
    SAVE_AS_NEW = "new"
    CANCEL = "cancel"


def ask_stale_choice(parent: QWidget | None, text: str) -> StaleChoice:
    """Someone else saved first: reload theirs, keep yours as a new case, or go back."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, "Case changed by someone else", text,
                      QMessageBox.StandardButton.NoButton, parent)
    reload_button = box.addButton("&Reload theirs", QMessageBox.ButtonRole.DestructiveRole)
    new_button = box.addButton("Save mine as a &new case", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(new_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is reload_button:
        return StaleChoice.RELOAD
    return StaleChoice.SAVE_AS_NEW if clicked is new_button else StaleChoice.CANCEL


def chosen_store_url() -> str | None:
    """WORKSHEET_STORE, else the Settings' store, else None (the per-user file)."""
    from desktop.settings import Preferences
    from models.store import STORE_ENV

    return os.environ.get(STORE_ENV) or Preferences.load().store or None


class CaseLibrary(QObject):
    """The window's link to the case store: which stored case is open, saving, the worklist."""

    rechecked = Signal(int)
    """A re-check finished; the number of cases it changed."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.store: CaseStore | None = None
        self.problem = ""
        self._url: str | None = None
        self.case_id: int | None = None
        self.version = 0
        self.worklist: Worklist | None = None
        self.menu: QMenu | None = None
        self.background: BackgroundRecheck | None = None
        self._busy: QProgressBar | None = None
        self._quiet = True

    # -- the store ----------------------------------------------------------------------

    def open(self) -> CaseStore | None:
        """The store, opened on first use; None (and `problem` says why) when unusable."""
        from models.store import StoreError, open_store

        if self.store is None:
            self._url = chosen_store_url()
            try:
                self.store = open_store(self._url)
            except StoreError as exc:
                self.problem = str(exc)
                return None
            self.problem = ""
        return self.store

    def who(self) -> str:
        from desktop.settings import Preferences
        from models.store import current_user

        return current_user(Preferences.load().coder)

    def forget(self) -> None:
        """A different case was loaded (New, Open, restore): it is not a stored one."""
        self.case_id, self.version = None, 0

    # -- saving -------------------------------------------------------------------------

    def _new_version(self) -> NewVersion:
        from models.coder import check
        from models.store import new_version, summarize

        window = self.window
        assert window.doc is not None and window.reference is not None
        case = window.doc.case
        return new_version(case, summarize(check(case, window.reference)))

    def save(self, *, as_new: bool = False) -> bool:
        """Save the open case as the next version of its stored case (or a new one)."""
        from models.store import StaleCase, StoreError

        store = self.open()
        if store is None:
            dialogs.error(self.window, "Case not saved to the library", self.problem,
                          "Save As… keeps it in a file meanwhile.")
            return False
        try:
            if self.case_id is None or as_new:
                row = store.create(self._new_version(), self.who())
            else:
                row = store.save(self.case_id, self._new_version(), self.who(),
                                 based_on=self.version)
        except StaleCase as stale:
            return self._stale(stale)
        except StoreError as exc:
            dialogs.error(self.window, "Case not saved to the library", str(exc),
                          "The case is still open with all its changes.")
            return False
        self.case_id, self.version = row.id, row.version
        self.window.statusBar().showMessage(
            f"Saved case {row.id} version {row.version} to the library", 5000)
        self.refresh()
        return True

    def _stale(self, stale: Exception) -> bool:
        choice = ask_stale_choice(self.window, f"{stale}.")
        if choice is StaleChoice.RELOAD and self.case_id is not None:
            return self.open_case(self.case_id, ask=False)
        if choice is StaleChoice.SAVE_AS_NEW:
            return self.save(as_new=True)
        return False

    # -- opening ------------------------------------------------------------------------

    def open_case(self, case_id: int, *, ask: bool = True) -> bool:
        from models.case import CaseError, parse_case
        from models.store import StoreError

        window = self.window
        store = self.open()
        if store is None or window.doc is None or (ask and not window.maybe_save()):
            return False
        try:
            stored = store.get(case_id)
            case = parse_case(stored.case_text, f"case {case_id}")
        except (StoreError, CaseError) as exc:
            dialogs.error(window, "Cannot open the case", str(exc),
                          "The case that was open is unchanged.")
            return False
        window.discard_autosave()
        window.doc.replace(case, None)
        self.case_id, self.version = case_id, stored.row.version
        window.go_to("case")
        window.statusBar().showMessage(
            f"Opened case {case_id} version {stored.row.version} "
            f"(last saved by {stored.row.updated_by})", 5000)
        return True

    # -- worksheets, history, re-check -----------------------------------------------------

    def record_pdf(self, path: Path) -> None:
        """A worksheet of the stored case was saved: keep its time, status and SHA-256."""
        from models.store import StoreError

        worksheet = self.window.worksheet
        if self.case_id is None or self.store is None or worksheet is None:
            return
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            self.store.record_worksheet(self.case_id, self.version, worksheet.status,
                                        worksheet.digest, digest, self.who())
        except (OSError, StoreError) as exc:
            self.window.statusBar().showMessage(f"Worksheet not recorded: {exc}", 10000)

    def show_history(self) -> None:
        from desktop.history import HistoryDialog
        from models.store import StoreError

        store = self.open()
        if store is None or self.case_id is None:
            dialogs.information(self.window, "History",
                                self.problem or "This case is not in the library yet: "
                                "save it (Ctrl+S) to start its history.")
            return
        try:
            stored = store.get(self.case_id)
            history = store.history(self.case_id)
        except StoreError as exc:
            dialogs.error(self.window, "History unavailable", str(exc))
            return
        HistoryDialog(stored.row, history, stored.change, self.window).exec()

    def recheck(self, *, quiet: bool = False) -> bool:
        """Re-check every stored case against the current reference, in the background;
        `rechecked` tells how many changed. False when it cannot start."""
        from PySide6.QtWidgets import QProgressBar

        from desktop.background import BackgroundRecheck

        reference = self.window.reference
        if self.open() is None or reference is None:
            if not quiet:
                dialogs.error(self.window, "Re-check not possible", self.problem)
            return False
        if self.background is None:
            self.background = BackgroundRecheck(self)
            self.background.finished.connect(self._recheck_finished)
        if not self.background.start(reference.path, self._url):
            self.window.statusBar().showMessage("A re-check is running already", 5000)
            return False
        self._quiet = quiet
        self._busy = QProgressBar()
        self._busy.setRange(0, 0)  # busy, no percentage: the child reports only at its end
        self._busy.setMaximumWidth(120)
        self._busy.setAccessibleName("Re-check running")
        self.window.statusBar().addPermanentWidget(self._busy)
        self.window.statusBar().showMessage(
            "Re-checking the stored cases in the background (you can go on working)…")
        return True

    def _recheck_finished(self, outcome: RecheckOutcome) -> None:
        if self._busy is not None:
            self.window.statusBar().removeWidget(self._busy)
            self._busy.deleteLater()
            self._busy = None
        if outcome.problem and not outcome.checked:
            self.window.statusBar().showMessage(f"Re-check not finished: {outcome.problem}",
                                                15000)
            if not self._quiet:
                dialogs.error(self.window, "Re-check not finished", outcome.problem)
            return
        message = (f"Re-checked {outcome.checked} stored cases against reference "
                   f"{outcome.reference_version}: {outcome.changed} changed")
        if outcome.problem:
            message += f"; {outcome.problem}"
        self.window.statusBar().showMessage(message, 15000)
        if outcome.changed:
            self.show_worklist().show_changed(outcome.changed, outcome.reference_version)
        else:
            self.refresh()
        if not self._quiet:
            dialogs.information(self.window, "Re-check", message + ".")
        self.rechecked.emit(outcome.changed)

    # -- the worklist ---------------------------------------------------------------------

    def show_worklist(self) -> Worklist:
        from PySide6.QtCore import Qt

        from desktop.worklist import Worklist

        if self.worklist is None:
            self.worklist = Worklist(self.window)
            self.worklist.open_case.connect(self.open_case)
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.worklist)
            self.worklist.set_store(self.open())
        self.worklist.show()
        return self.worklist

    def refresh(self) -> None:
        if self.worklist is not None:
            self.worklist.set_store(self.store)

    def start(self) -> None:
        """At start: the worklist when the store has cases; a re-check after a new reference."""
        from models.store import CaseFilter, StoreError, default_store_path

        if chosen_store_url() is None and not default_store_path().exists():
            return  # nothing stored yet: the store is made on the first save
        store = self.open()
        reference = self.window.reference
        if store is None or reference is None:
            return
        try:
            if store.count(CaseFilter()) == 0:
                return
            stale = store.count(CaseFilter(checked_not_with=reference.meta.reference_version))
        except StoreError as exc:
            self.window.statusBar().showMessage(str(exc), 10000)
            return
        self.show_worklist()
        if stale:
            self.recheck(quiet=True)

    def settings_changed(self) -> None:
        """The store may be another one now: reopen it on next use."""
        if chosen_store_url() != self._url:
            self.close()
            self.forget()
            self.refresh()

    def close(self) -> None:
        if self.background is not None:
            self.background.stop()
        if self.store is not None:
            self.store.close()
            self.store = None


def save_everywhere(window: MainWindow, library: CaseLibrary) -> bool:
    """Ctrl+S: the case library, and the case's file when it has one.

    A new case gets its file as before (Save As…); a case opened from the library is saved
    there only. Without a usable library, saving is to a file as before.
    """

    doc = window.doc
    assert doc is not None
    if library.open() is None:
        return window.save_as() if doc.path is None else window.write_case(doc.path)
    if doc.path is None and library.case_id is None:
        return window.save_as() and library.save()
    if not library.save():
        return False
    if doc.path is not None:
        return window.write_case(doc.path)
    doc.mark_clean()
    window.discard_autosave()
    return True


def add_menu(window: MainWindow, library: CaseLibrary) -> None:
    """The Cases menu, before Help: worklist, history, save as new, re-check."""
    from PySide6.QtGui import QAction, QKeySequence

    menu_bar = window.menuBar()
    menu = QMenu("&Cases", menu_bar)
    entries = (
        ("&Worklist", "Ctrl+Shift+L", library.show_worklist, "Stored cases, filtered"),
        ("&History…", "Ctrl+Shift+H", library.show_history,
         "Versions and worksheets of this case: who, when, status"),
        ("Save as &new case", None, lambda: library.save(as_new=True),
         "Store this case as a new case in the library"),
        ("&Re-check stored cases", None, library.recheck,
         "Check every stored case against the current reference and show what changed"),
    )
    for text, shortcut, slot, tip in entries:
        action = QAction(text, menu)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _=False, run=slot: run())
        menu.addAction(action)
    actions = menu_bar.actions()
    if actions:
        menu_bar.insertMenu(actions[-1], menu)
    else:
        menu_bar.addMenu(menu)
    library.menu = menu

"""The main window: step list, the step pages, the live findings panel, the File menu.

Start-up is staged so that the window paints early: the module loads only Qt;
a window made with ``deferred=True`` paints a bare frame with a loading line,
then :meth:`MainWindow.build_shell` adds the step list, menus and panel and
:meth:`MainWindow.attach` loads the reference, pydantic and the pages.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from desktop import dialogs
from desktop.page_set import PageSet

if TYPE_CHECKING:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeyEvent, QKeySequence
    from PySide6.QtWidgets import QStyle

    from desktop.autosave import Recovered, Slot
    from desktop.document import CaseDocument
    from desktop.library import CaseLibrary
    from desktop.pages.base import StepPage
    from desktop.pages.review_page import ReviewPage
    from models.case import Case
    from models.reference import Reference
    from models.worksheet import Worksheet

APP_TITLE = "Coding worksheet"
STEPS: tuple[tuple[str, str], ...] = (
    ("case", "Case"),
    ("questions", "Questions"),
    ("diagnoses", "Diagnoses"),
    ("modifiers", "Modifiers"),
    ("lines", "Other codes"),
    ("coverage", "Coverage"),
    ("trial", "Clinical trial"),
    ("review", "Review"),
)
STEP_IDS = tuple(step for step, _ in STEPS)
CHECK_DELAY_MS = 150


def severity_icon(style: QStyle, severity: str) -> QIcon:
    from PySide6.QtWidgets import QStyle

    pixmap = {
        "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    }[severity]
    return style.standardIcon(pixmap)


def autosave_interval_ms() -> int:
    try:
        seconds = float(os.environ.get("WORKSHEET_AUTOSAVE_SECONDS", "30"))
    except ValueError:
        seconds = 30.0
    return max(100, int(seconds * 1000))


class MainWindow(QMainWindow):
    """The application window. Holds the document; pages edit it; the coder checks it."""

    checked = Signal()
    """A check finished (tests wait for it)."""

    def __init__(self, reference: Reference | None = None, *, deferred: bool = False) -> None:
        super().__init__()
        self.reference: Reference | None = None
        self.doc: CaseDocument | None = None
        self.library: CaseLibrary | None = None
        self.pages = PageSet(STEP_IDS, self._build_page)
        self.worksheet: Worksheet | None = None
        self.autosave_slot: Slot | None = None
        self.shell_built = False
        self.step_actions: list[QAction] = []
        self._fresh_case: Case | None = None
        self._synced_family = ""
        self.setWindowTitle(APP_TITLE)
        from desktop.geometry import MINIMUM, place_first

        self.setMinimumSize(MINIMUM.boundedTo(self._available_size()))
        place_first(self)
        self.loading = QLabel("Loading the reference database…")
        self.loading.setContentsMargins(24, 24, 24, 24)
        self.setCentralWidget(self.loading)
        if not deferred:
            self.build_shell()
        if reference is not None:
            self.attach(reference)

    def _available_size(self) -> QSize:
        from PySide6.QtCore import QSize

        screen = self.screen()
        return screen.availableGeometry().size() if screen is not None else QSize(1280, 820)

    def build_shell(self) -> None:
        """Step list, pages area, findings panel, menus and timers (Qt only, no models)."""

        if self.shell_built:
            return
        self.shell_built = True
        self._build_shell()
        self._build_actions()
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_check)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(autosave_interval_ms())
        self._autosave_timer.timeout.connect(self.autosave_now)

    # -- shell (Qt only) -----------------------------------------------------------

    def _build_shell(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import (
            QListWidget,
            QListWidgetItem,
            QSplitter,
            QStackedWidget,
            QVBoxLayout,
            QWidget,
        )

        from desktop.findings import FindingsPanel
        from desktop.widgets import buddy_label, named

        self.steps = named(QListWidget(), "Steps", "Every step can be opened at any time")
        blank = self._blank_icon()  # the space a status icon will take, from the start
        for number, (step, title) in enumerate(STEPS, start=1):
            item = QListWidgetItem(blank, f"{number}  {title}")
            item.setData(Qt.ItemDataRole.UserRole, step)
            self.steps.addItem(item)
        self.steps.setCurrentRow(0)
        self.steps.setMinimumWidth(150)
        self.steps.setMaximumWidth(240)
        self.steps.currentRowChanged.connect(self._show_row)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(buddy_label("Ste&ps:", self.steps))
        column.addWidget(self.steps, 1)
        self.stack = QStackedWidget()
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading)
        self.findings = FindingsPanel()
        self.findings.go_to.connect(self.go_to)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.addWidget(self.findings)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([180, 760, 280])
        self.splitter = splitter
        from desktop.geometry import restore_splitter

        restore_splitter("main-splitter", splitter)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.statusBar().showMessage("Starting…")

    def _action(self, text: str, slot: Callable[..., object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: QStyle.StandardPixmap | None = None, tip: str = "") -> QAction:
        from PySide6.QtGui import QAction, QKeySequence

        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text.replace("&", "").rstrip("…"))
        action.setStatusTip(action.toolTip())
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        from PySide6.QtGui import QKeySequence
        from PySide6.QtWidgets import QMenu, QStyle

        P = QStyle.StandardPixmap
        K = QKeySequence.StandardKey
        self.act_new = self._action("&New", self.new_case, K.New, P.SP_FileIcon, "New case")
        self.act_open = self._action("&Open…", self.open_dialog, K.Open, P.SP_DialogOpenButton, "Open a case file")
        self.act_save = self._action("&Save", self.save, K.Save, P.SP_DialogSaveButton, "Save the case")
        self.act_save_as = self._action("Save &As…", self.save_as, K.SaveAs, None, "Save the case under a new name")
        self.act_pdf = self._action("Save P&DF…", self.save_pdf, "Ctrl+Shift+E", None, "Save the worksheet PDF")
        self.act_print = self._action("&Print…", self.print_pdf, K.Print, None, "Print the worksheet")
        self.act_settings = self._action("Se&ttings…", self.show_settings, None, None, "Coder, facility and defaults")
        self.act_quit = self._action("&Quit", self.close, K.Quit)
        self.act_next = self._action("&Next step", self.next_step, "Ctrl+PgDown", P.SP_ArrowForward)
        self.act_previous = self._action("&Previous step", self.previous_step, "Ctrl+PgUp", P.SP_ArrowBack)
        menu = self.menuBar().addMenu("&File")
        assert menu is not None
        for action in (self.act_new, self.act_open):
            menu.addAction(action)
        # Owned by the window (not created by addMenu), so it lives exactly as long as the window.
        self.recent_menu = QMenu("Open &Recent", self)
        menu.addMenu(self.recent_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        for entry in (self.act_save, self.act_save_as, None, self.act_pdf, self.act_print, None,
                      self.act_settings, None, self.act_quit):
            menu.addAction(entry) if entry else menu.addSeparator()
        self.edit_menu = self.menuBar().addMenu("&Edit")
        go = self.menuBar().addMenu("&Go")
        go.addAction(self.act_next)
        go.addAction(self.act_previous)
        go.addSeparator()
        self.step_actions = [
            self._action(f"&{number} {title}", lambda _=False, s=step: self.go_to(s),
                         f"Ctrl+{number}")
            for number, (step, title) in enumerate(STEPS, start=1)
        ]
        go.addActions(self.step_actions)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About", self.show_about))
        bar = self.addToolBar("Main")
        bar.setObjectName("main-toolbar")
        for entry in (self.act_new, self.act_open, self.act_save, None, self.act_previous,
                      self.act_next):
            bar.addAction(entry) if entry else bar.addSeparator()
        self._set_enabled(False)

    def _set_enabled(self, ready: bool) -> None:
        for action in (self.act_new, self.act_open, self.act_save, self.act_save_as, self.act_pdf,
                       self.act_print, self.act_settings, self.act_next, self.act_previous):
            action.setEnabled(ready)
        self.recent_menu.setEnabled(ready)

    # -- attach the reference and build the pages ------------------------------------------

    def attach(self, reference: Reference) -> None:
        """Build the document and the first step's page (imports models on first call).

        The other pages are built when first needed, or when the window is idle
        (:meth:`build_remaining_pages`).
        """
        from PySide6.QtWidgets import QVBoxLayout, QWidget

        from desktop import autosave
        from desktop.document import CaseDocument

        self.build_shell()
        self.reference = reference
        self.autosave_slot = autosave.Slot()
        slot_id = self.autosave_slot.id
        self.destroyed.connect(lambda *_args: autosave.release_slot(slot_id))
        self._fresh_case = self.new_case_value()
        self.doc = CaseDocument(self._fresh_case, self)
        self.stack.removeWidget(self.loading)
        self.loading.deleteLater()
        for _ in STEP_IDS:  # one slot per step; its page goes in when built
            slot = QWidget()
            QVBoxLayout(slot).setContentsMargins(0, 0, 0, 0)
            self.stack.addWidget(slot)
        self._fill_edit_menu()
        self.doc.changed.connect(self._case_changed)
        self._attach_library()
        self.doc.state_changed.connect(self._update_title)
        self._set_enabled(True)
        self.pages[self.current_step()]
        self._show_row(max(0, self.steps.currentRow()))
        self._case_changed()
        self._update_title()
        self._autosave_timer.start()
        self.statusBar().showMessage(f"Reference {reference.meta.reference_version}")

    def _build_page(self, step: str) -> StepPage:
        from desktop.page_set import page_type

        assert self.doc is not None and self.reference is not None
        page = page_type(step)(self.doc, self.reference)
        page.go_to.connect(self.go_to)
        slot = self.stack.widget(STEP_IDS.index(step))
        layout = slot.layout() if slot is not None else None
        assert layout is not None
        area = self._scrolling(page)
        layout.addWidget(area)
        area.show()  # the slot may be visible already
        page.sync(self.doc.case)
        page.show_worksheet(None if self.untouched() else self.worksheet)
        self._set_tab_order(page)
        return page

    def build_remaining_pages(self) -> None:
        """Build the pages not built yet, one per idle moment (the window stays responsive)."""
        from PySide6.QtCore import QTimer

        missing = self.pages.missing()
        if missing and self.doc is not None:
            self.pages[missing[0]]
            QTimer.singleShot(0, self.build_remaining_pages)

    def _fill_edit_menu(self) -> None:
        from desktop.undo import edit_actions

        assert self.doc is not None
        self.act_undo, self.act_redo = edit_actions(self.doc.undo_stack, self)
        self.edit_menu.addAction(self.act_undo)
        self.edit_menu.addAction(self.act_redo)

    def _attach_library(self) -> None:
        from desktop import library

        assert self.doc is not None
        self.library = library.CaseLibrary(self)
        self.doc.replaced.connect(self.library.forget)
        library.add_menu(self, self.library)

    def _scrolling(self, page: QWidget) -> QWidget:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QScrollArea

        if page.property("no_scroll"):
            return page
        area = QScrollArea()
        area.setWidget(page)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return area

    def _set_tab_order(self, page: QWidget | None = None) -> None:
        """Step list → the page's controls (in layout order) → findings panel.

        A page is built after the shell, so its controls come last in the focus chain:
        move the findings list after the last of them. The walk stays inside the page:
        walking the whole chain would meet the parentless completer pop-ups, and a
        wrapper made for one of those deletes the pop-up when it is dropped.
        """
        pages = [page] if page is not None else self.pages.values()
        for one in pages:
            last: QWidget | None = None
            widget = one.nextInFocusChain()
            while widget is not None and one.isAncestorOf(widget):
                last = widget
                widget = widget.nextInFocusChain()
            if last is not None:
                QWidget.setTabOrder(last, self.findings.list)

    def new_case_value(self) -> Case:
        from desktop.settings import Preferences
        from models.case import CLAIM_TYPES, Case

        assert self.reference is not None
        prefs = Preferences.load()
        payer = prefs.default_payer if prefs.default_payer in self.reference.payers else None
        claim_type = prefs.default_claim_type if prefs.default_claim_type in CLAIM_TYPES else None
        family = next(iter(self.reference.families), "")
        return Case.model_validate({"family": family, "payer": payer, "claim_type": claim_type})

    # -- document changes --------------------------------------------------------------

    def _case_changed(self) -> None:
        assert self.doc is not None
        case = self.doc.case
        for page in self.pages.values():
            page.sync(case)
        if case.family != self._synced_family:  # the questions were rebuilt
            self._synced_family = case.family
            self._set_tab_order()
        self._update_trial_step()
        self._check_timer.start()

    def untouched(self) -> bool:
        """A new case the coder has not edited yet: checked, but shown as what to do first."""
        return self.doc is not None and self.doc.case is self._fresh_case

    def _update_trial_step(self) -> None:
        trial = self.pages.built("trial") if self.untouched() else self.pages["trial"]
        needed = bool(getattr(trial, "needed", False))
        row = STEP_IDS.index("trial")
        self._set_step_hidden(row, not needed)
        if not needed and self.steps.currentRow() == row:
            self.steps.setCurrentRow(row + 1)

    def _set_step_hidden(self, row: int, hidden: bool) -> None:
        """Hide or show a step; the shown steps are numbered 1, 2, 3… as the coder sees them."""
        self.steps.item(row).setHidden(hidden)
        number = 0
        for index, (_step, title) in enumerate(STEPS):
            item = self.steps.item(index)
            number += 0 if item.isHidden() else 1
            item.setText(f"{number}  {title}")
            self._number_step_action(index, number, title, shown=not item.isHidden())
        self._mark_steps(None if self.untouched() else self.worksheet)

    def _number_step_action(self, index: int, number: int, title: str, *, shown: bool) -> None:
        """The Go menu says and does what the step list shows: Ctrl+7 is the 7th shown step."""
        from PySide6.QtGui import QKeySequence

        if not self.step_actions:
            return
        action = self.step_actions[index]
        action.setVisible(shown)
        action.setText(f"&{number} {title}" if shown else title)
        action.setShortcut(QKeySequence(f"Ctrl+{number}") if shown else QKeySequence())

    def step_visible(self, step: str) -> bool:
        return not self.steps.item(STEP_IDS.index(step)).isHidden()

    def run_check(self) -> None:
        """Call the coder now and show the result everywhere."""
        from desktop import coding

        if self.doc is None or self.reference is None:
            return
        self._check_timer.stop()
        worksheet = coding.check(self.doc.case, self.reference)
        self.worksheet = worksheet
        if self.untouched():
            self._show_start()
            return
        self.findings.show_worksheet(worksheet)
        for page in self.pages.values():
            page.show_worksheet(worksheet)
        self._mark_steps(worksheet)
        self.checked.emit()

    def _show_start(self) -> None:
        """An untouched new case (checked all the same): say where to start; no errors for
        entries not made yet."""
        self.findings.show_start()
        for page in self.pages.values():
            page.show_worksheet(None)
        self._mark_steps(None)
        self.checked.emit()

    def _mark_steps(self, worksheet: Worksheet | None) -> None:
        from PySide6.QtCore import Qt

        from desktop.findings import is_to_do

        worst: dict[str, str] = {}
        for f in worksheet.findings if worksheet else ():
            if is_to_do(f):
                continue
            if f.severity in ("error", "warning") and not f.acknowledged and worst.get(f.step) != "error":
                worst[f.step] = f.severity
        for row, (step, title) in enumerate(STEPS):
            item = self.steps.item(row)
            severity = worst.get(step)
            icon = severity_icon(self.style(), severity) if severity else None
            item.setIcon(icon if icon else self._blank_icon())
            text = item.text()
            item.setToolTip(f"{title}: {severity}s to fix" if severity else title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{text}{', ' + severity + 's' if severity else ''}")

    def _blank_icon(self) -> QIcon:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QIcon, QPixmap
        from PySide6.QtWidgets import QStyle

        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        return QIcon(pixmap)

    # -- navigation -------------------------------------------------------------------

    def _show_row(self, row: int) -> None:
        if self.doc is not None and 0 <= row < self.stack.count():
            self.pages[STEP_IDS[row]]
            self.stack.setCurrentIndex(row)

    def current_step(self) -> str:
        return STEP_IDS[max(0, self.steps.currentRow())]

    def go_to(self, step: str, hint: str = "") -> None:
        if step not in STEP_IDS:
            return
        row = STEP_IDS.index(step)
        if step == "trial" and hint:
            self._set_step_hidden(row, False)
        self.steps.setCurrentRow(row)
        page = self.pages.get(step)
        if page is not None:
            page.focus_hint(hint)

    def _visible_rows(self) -> list[int]:
        return [r for r in range(self.steps.count()) if not self.steps.item(r).isHidden()]

    def next_step(self) -> None:
        rows = [r for r in self._visible_rows() if r > self.steps.currentRow()]
        if rows:
            self.go_to(STEP_IDS[rows[0]])

    def previous_step(self) -> None:
        rows = [r for r in self._visible_rows() if r < self.steps.currentRow()]
        if rows:
            self.go_to(STEP_IDS[rows[-1]])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QPlainTextEdit

        from desktop.keys import ENTER_GOES_ON

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.doc is not None:
            focus = self.focusWidget()
            if isinstance(focus, QAbstractButton) and focus.isEnabled():
                focus.click()
            elif (not isinstance(focus, QAbstractItemView | QPlainTextEdit) or focus is self.steps
                  or (focus is not None and focus.property(ENTER_GOES_ON))):
                self.next_step()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- files --------------------------------------------------------------------------

    def _display_name(self) -> str:
        return self.doc.path.name if self.doc and self.doc.path else "Untitled case"

    def _update_title(self) -> None:
        if self.doc is None:
            return
        self.setWindowTitle(f"{self._display_name()}[*] — {APP_TITLE}")
        self.setWindowModified(self.doc.dirty)
        if self.doc.path is not None:
            self.setWindowFilePath(str(self.doc.path))

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current case (saved, discarded, or clean)."""
        if self.doc is None or not self.doc.dirty:
            return True
        choice = dialogs.ask_save_changes(self, self._display_name())
        if choice is dialogs.Choice.SAVE:
            return self.save()
        return choice is dialogs.Choice.DISCARD

    def new_case(self) -> None:
        if self.doc is None or not self.maybe_save():
            return
        self.discard_autosave()
        self._fresh_case = self.new_case_value()
        self.doc.replace(self._fresh_case, None)
        self.go_to("case")

    def open_dialog(self) -> None:
        if self.doc is None or not self.maybe_save():
            return
        from desktop.file_names import last_folder

        folder = str(self.doc.path.parent) if self.doc.path else str(last_folder())
        path = dialogs.open_case_path(self, folder)
        if path is not None:
            self.open_path(path, ask=False)

    def open_path(self, path: Path, *, ask: bool = True) -> bool:
        """Load a case file; on failure explain and keep the current case."""
        from desktop.file_names import remember_folder
        from desktop.settings import add_recent_file
        from models.case import CaseError

        if self.doc is None or (ask and not self.maybe_save()):
            return False
        from desktop.library import load_case_or_worksheet

        try:
            case, path_kept = load_case_or_worksheet(path)
        except CaseError as exc:
            dialogs.error(self, "Cannot open the case", str(exc),
                          "The case that was open is unchanged.")
            return False
        self.discard_autosave()
        self.doc.replace(case, path_kept)
        add_recent_file(path)
        remember_folder(path)
        self.go_to("case")
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def _fill_recent(self) -> None:
        """Rebuild the Open Recent entries each time the menu opens.

        The old entries are deleted later, not now: one of them may be the action whose signal
        is still being delivered. An entry opens its case after the menu has closed, so no
        dialog (unsaved changes, errors) runs inside the menu's own event handling.
        """
        from PySide6.QtGui import QAction

        from desktop.settings import clear_recent_files, recent_files
        from desktop.widgets import plain_tip

        menu = self.recent_menu
        for old in menu.actions():
            menu.removeAction(old)
            old.deleteLater()
        paths = recent_files()
        for number, path in enumerate(paths, start=1):
            action = QAction(f"&{number} {path.name}", menu)
            action.setToolTip(plain_tip(str(path)))
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
            menu.addAction(action)
        if not paths:
            none = QAction("(none)", menu)
            none.setEnabled(False)
            menu.addAction(none)
        menu.addSeparator()
        clear = QAction("&Clear list", menu)
        clear.triggered.connect(clear_recent_files)
        menu.addAction(clear)

    def _open_recent(self, path: Path) -> None:
        QTimer.singleShot(0, self, lambda: self.open_path(path))

    def save(self) -> bool:
        if self.doc is None:
            return False
        if self.library is not None:  # the case library, and the file when there is one
            from desktop.library import save_everywhere

            return save_everywhere(self, self.library)
        if self.doc.path is None:
            return self.save_as()
        return self.write_case(self.doc.path)

    def save_as(self) -> bool:
        if self.doc is None:
            return False
        from desktop.file_names import last_folder, suggested_case_name

        suggested = str(self.doc.path or last_folder() / suggested_case_name(self.doc.case))
        path = dialogs.save_case_path(self, suggested)
        return self.write_case(path) if path is not None else False

    def write_case(self, path: Path) -> bool:
        from desktop.file_names import remember_folder
        from desktop.settings import add_recent_file
        from models.atomic import OutputError, atomic_write_text

        assert self.doc is not None
        try:
            atomic_write_text(path, self.doc.case.to_file_text())
        except OutputError as exc:
            dialogs.error(self, "Case not saved", str(exc),
                          "The case is still open with all its changes: save it somewhere else.")
            return False
        self.doc.mark_saved(path)
        add_recent_file(path)
        remember_folder(path)
        self.discard_autosave()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    # -- autosave and recovery ------------------------------------------------------------

    def autosave_now(self) -> Path | None:
        from models.atomic import OutputError

        if self.doc is None or not self.doc.dirty or self.autosave_slot is None:
            return None
        try:
            return self.autosave_slot.write(self.doc.case, self.doc.path)
        except (OutputError, OSError) as exc:
            self.statusBar().showMessage(f"Autosave failed: {exc}", 10000)
            return None

    def discard_autosave(self) -> None:
        if self.autosave_slot is not None:
            self.autosave_slot.discard()

    def offer_restore(self) -> bool:
        """After a crash: offer each autosaved case whose window is gone, newest first, until
        one is restored (True). A declined one is deleted; live windows' work is never shown."""
        from desktop import autosave

        found = autosave.orphans()
        for number, recovered in enumerate(found, start=1):
            more = len(found) - number
            waiting = f"\n({more} more autosaved case(s) after this one.)" if more else ""
            if dialogs.ask_yes_no(
                self, "Restore unsaved work?",
                f"The program closed without saving {recovered.name} (autosaved "
                f"{recovered.saved_at}).\nRestore those changes?{waiting}",
            ):
                self._restore(recovered)
                return True
            autosave.discard(recovered.path)
        return False

    def _restore(self, recovered: Recovered) -> None:
        from desktop import autosave

        assert self.doc is not None
        self.doc.replace(recovered.case, recovered.origin, dirty=True)
        if self.autosave_now() is not None:  # this window's slot holds it now
            autosave.discard(recovered.path)
        self.statusBar().showMessage("Restored the autosaved case: save it to keep it", 10000)

    def start(self, case_path: Path | None) -> None:
        """First things after the reference is attached: recovery, then the case to open."""
        if not self.offer_restore() and case_path is not None:
            self.open_path(case_path, ask=False)
        if self.library is not None:  # right after the first step is ready to work
            QTimer.singleShot(0, self.library.start)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        if self.autosave_slot is not None:
            self.autosave_slot.release()
        if self.library is not None:
            self.library.close()
        self._autosave_timer.stop()
        self.remember_layout()
        event.accept()

    def remember_layout(self) -> None:
        from desktop.geometry import remember

        splitters = {"main-splitter": self.splitter} if self.shell_built else {}
        review = self.pages.built("review")
        if review is not None:
            splitters["review-splitter"] = review.splitter  # type: ignore[attr-defined]
        remember(self, splitters)

    # -- report actions (delegated to the review page) -------------------------------------

    def _review(self) -> ReviewPage | None:
        from desktop.pages.review_page import ReviewPage

        self.run_check()
        page = self.pages.get("review")
        return page if isinstance(page, ReviewPage) else None

    def save_pdf(self) -> None:
        page = self._review()
        path = page.save_pdf() if page is not None else None
        if path is not None and self.library is not None:
            self.library.record_pdf(path)

    def print_pdf(self) -> None:
        page = self._review()
        if page is not None:
            page.print_pdf()

    # -- dialogs ----------------------------------------------------------------------------

    def show_settings(self) -> None:
        from desktop.settings_dialog import SettingsDialog

        payers = {p.payer: p.name for p in self.reference.payers.values()} if self.reference else {}
        dialog = SettingsDialog(payers, self)
        if dialog.exec():
            if self.library is not None:
                self.library.settings_changed()
            self.run_check()

    def show_about(self) -> None:
        from desktop.about import about_text

        dialogs.information(
            self, "About",
            f"{APP_TITLE}\nCell-therapy coding and justification worksheet.\n\n"
            f"{about_text(self.reference)}",
        )

    def patient_values(self) -> list[str]:
        """Values never to write to a log (account, notes, free-text answers)."""
        if self.doc is None:
            return []
        case = self.doc.case
        values = [case.patient.account or "", *case.notes.splitlines()]
        values += [v for v in case.answers.values() if isinstance(v, str)]
        return values


class FirstPaint(QObject):
    """Calls ``callback`` once, right after the watched widget's first paint."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        self._done = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False

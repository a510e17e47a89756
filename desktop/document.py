"""The open case: the single source of entry state the pages edit.

Pages never keep their own copy of what the coder entered: they read the
current :class:`~models.case.Case` from here and write changes back through
:meth:`CaseDocument.update`, which validates them (the same way a saved file
is validated) and tells everyone that the case changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from models.case import Case, describe_validation_error


class CaseDocument(QObject):
    """Holds the case being edited, its file and whether it has unsaved changes."""

    changed = Signal()
    """The case content changed (an edit, or a whole new case)."""
    replaced = Signal()
    """A different case was loaded (New, Open, restore): pages reload every field."""
    state_changed = Signal()
    """The file path or the modified flag changed."""

    def __init__(self, case: Case, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._path: Path | None = None
        self._dirty = False
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    # -- state ---------------------------------------------------------------

    @property
    def case(self) -> Case:
        return self._case

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def dirty(self) -> bool:
        return self._dirty

    def mark_saved(self, path: Path) -> None:
        self._path = path
        self._dirty = False
        self.undo_stack.setClean()
        self.state_changed.emit()

    def mark_clean(self) -> None:
        """Saved somewhere other than its file (the case library): no unsaved changes."""
        self._dirty = False
        self.undo_stack.setClean()
        self.state_changed.emit()

    def replace(self, case: Case, path: Path | None, *, dirty: bool = False) -> None:
        self._case = case
        self._path = path
        self._dirty = dirty
        self.undo_stack.clear()
        if dirty:
            self.undo_stack.resetClean()  # restored work: no state of it is saved
        self.replaced.emit()
        self.changed.emit()
        self.state_changed.emit()

    # -- edits ---------------------------------------------------------------

    def update(self, **changes: Any) -> str | None:
        """Apply field changes; return None, or the reason they were refused."""
        data = self._case.model_dump(mode="json")
        data.update(changes)
        try:
            case = Case.model_validate(data)
        except ValidationError as exc:
            return describe_validation_error(exc)
        if case == self._case:
            return None
        from desktop.undo import CaseEdit

        self.undo_stack.push(CaseEdit(self._case, case, self._show))
        return None

    def _show(self, case: Case) -> None:
        """Put a case in place (an edit, its undo or its redo) and tell everyone."""
        self._case = case
        was_dirty, self._dirty = self._dirty, True
        self.changed.emit()
        if not was_dirty:
            self.state_changed.emit()

    def _clean_changed(self, clean: bool) -> None:
        """Undoing back to the saved case makes it unmodified again."""
        if self._dirty == clean:
            self._dirty = not clean
            self.state_changed.emit()

    def set_patient(self, **changes: Any) -> str | None:
        patient = self._case.patient.model_dump(mode="json")
        patient.update(changes)
        return self.update(patient=patient)

    def set_answer(self, question: str, value: bool | int | str | None) -> str | None:
        answers = dict(self._case.answers)
        if value is None or value == "":
            answers.pop(question, None)
        else:
            answers[question] = value
        return self.update(answers=answers)

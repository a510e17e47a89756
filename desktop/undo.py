"""Undo and redo of case edits: one small QUndoCommand per change of the case.

The case stays the one truth: a command holds the case before and after the
edit and asks the document to show one or the other. Typing into the same
text field merges into one step, so Ctrl+Z undoes a word, not a letter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack

if TYPE_CHECKING:
    from models.case import Case

MERGE_ID = 4711
FIELD_NAMES = {
    "family": "family",
    "date_of_service": "date of service",
    "payer": "payer",
    "claim_type": "claim type",
    "setting": "setting",
    "patient": "patient",
    "answers": "answer",
    "diagnoses": "diagnoses",
    "modifiers": "modifiers",
    "extra_lines": "other codes",
    "rendering_taxonomy": "taxonomy",
    "acknowledged": "acknowledgement",
    "notes": "notes",
}


def changed_paths(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed, one level into nested objects: {"patient.account": new value, ...}."""
    paths: dict[str, Any] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            for sub in sorted(set(old) | set(new)):
                if old.get(sub) != new.get(sub):
                    paths[f"{key}.{sub}"] = new.get(sub)
        else:
            paths[key] = new
    return paths


def describe(paths: dict[str, Any]) -> str:
    names = sorted({FIELD_NAMES.get(p.split(".")[0], p) for p in paths})
    return "change of " + ", ".join(names) if names else "change"


class CaseEdit(QUndoCommand):
    """One change of the case: ``show(case)`` puts either side in place."""

    def __init__(self, before: Case, after: Case, show: Callable[[Case], None]) -> None:
        self.paths = changed_paths(before.model_dump(mode="json"), after.model_dump(mode="json"))
        super().__init__(describe(self.paths))
        self.before = before
        self.after = after
        self._show = show

    def typing(self) -> bool:
        return bool(self.paths) and all(isinstance(v, str) for v in self.paths.values())

    def id(self) -> int:
        return MERGE_ID if self.typing() else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, CaseEdit) or other.paths.keys() != self.paths.keys():
            return False
        self.after = other.after
        self.paths = other.paths
        return True

    def redo(self) -> None:
        self._show(self.after)

    def undo(self) -> None:
        self._show(self.before)


def edit_actions(stack: QUndoStack, parent: Any) -> tuple[QAction, QAction]:
    """Undo (Ctrl+Z) and Redo (Ctrl+Shift+Z, also Ctrl+Y) actions that follow the stack."""
    undo = stack.createUndoAction(parent, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = stack.createRedoAction(parent, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    for action in (undo, redo):
        action.setToolTip(action.text().replace("&", ""))
    return undo, redo

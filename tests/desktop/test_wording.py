"""What the coder reads: the start of a new case, to-dos versus errors, plain wording."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.window import STEP_IDS
from tests.desktop.actions import choose, settle


def step_icons_marked(window: Any) -> list[str]:
    return [step for row, step in enumerate(STEP_IDS)
            if window.steps.item(row).toolTip().endswith("to fix")]


def test_an_untouched_new_case_says_where_to_start(qtbot: Any, window: Any) -> None:
    settle(qtbot, window)
    assert window.findings.status.text() == "Start with the case facts"
    assert window.findings.list.count() == 1
    assert "case facts" in window.findings.list.item(0).text()
    assert window.findings.list.item(0).data(Qt.ItemDataRole.UserRole) == "case"
    assert "Blocked" not in window.findings.status.text()
    assert step_icons_marked(window) == []


def test_missing_entries_are_to_dos_not_errors(qtbot: Any, window: Any) -> None:
    choose(qtbot, window.pages["case"].payer, "Cigna")
    worksheet = settle(qtbot, window)
    assert worksheet.status == "blocked"  # the coder's verdict is unchanged
    status = window.findings.status.text()
    assert status.startswith("Incomplete") and "to do" in status and "Blocked" not in status
    texts = [window.findings.list.item(r).text() for r in range(window.findings.list.count())]
    assert any(t.startswith("To do: ") for t in texts)
    assert step_icons_marked(window) == [], "no red marks for entries not made yet"


def test_a_wrong_entry_is_still_an_error(qtbot: Any, window: Any) -> None:
    window.doc.update(diagnoses=["E10.64"])  # a header: the coder's own entry
    settle(qtbot, window)
    assert "diagnoses" in step_icons_marked(window)

"""What the coder reads: the start of a new case, to-dos versus errors, plain wording."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

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


def test_payer_help_is_for_this_family_and_payer(qtbot: Any, window: Any) -> None:
    case = window.pages["case"]
    window.doc.update(family="adipose-cells-hands", payer="cigna")
    assert "S2102" not in case.payer_note.text() and "Cigna" in case.payer_note.text()
    window.doc.update(family="islet-transplant", payer="medicare",
                      answers={"donor": "allogeneic"})
    window.go_to("questions")
    helps = " ".join(label.text() for label in window.pages["questions"].findChildren(QLabel))
    assert "THP" not in helps


def test_choices_say_what_they_mean(qtbot: Any, window: Any) -> None:
    window.doc.update(family="islet-transplant", answers={"donor": "allogeneic"})
    product = window.pages["questions"].questions.editors["product"].focus
    texts = [product.itemText(i) for i in range(product.count())]
    assert any(t.startswith("None: ") and "not a licensed product" in t for t in texts)
    window.doc.update(family="adipose-cells-hands", answers={})
    services = window.pages["questions"].questions.editors["services"].focus
    assert "Harvest and injection" in [services.itemText(i) for i in range(services.count())]


def test_an_unanswered_criterion_reads_not_answered_yet(qtbot: Any, window: Any) -> None:
    window.doc.update(family="islet-transplant", payer="thp",
                      answers={"approach": "percutaneous", "donor": "allogeneic"})
    worksheet = settle(qtbot, window)
    messages = [f.message for f in worksheet.findings if f.rule == "coverage-criterion"]
    assert messages and any("not answered yet" in m for m in messages)
    assert not any("(answer: none)" in m or "(answer: not answered)" in m for m in messages)


def test_modifier_help_says_this_program_adds(qtbot: Any, window: Any) -> None:
    from desktop.pages.modifiers_page import ModifiersPage

    assert "This program adds" in ModifiersPage.intro.replace("this program", "This program")
    assert "coder adds" not in ModifiersPage.intro

"""The coder's flow from an empty window to a saved PDF, by keyboard and mouse."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from tests.desktop.actions import (
    choose,
    click,
    click_step,
    pick_completion,
    press_enter,
    settle,
    type_text,
)

pytest.importorskip("models.coder")
pypdf = pytest.importorskip("pypdf")


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def fill_case_page(qtbot: Any, window: Any, *, family: str, payer: str, claim: str,
                   setting: str) -> None:
    page = window.pages["case"]
    choose(qtbot, page.family, family)
    type_text(qtbot, page.date, "2026-03-02")
    choose(qtbot, page.payer, payer)
    choose(qtbot, page.claim_type, claim)
    choose(qtbot, page.setting, setting)
    type_text(qtbot, page.age, "45")
    type_text(qtbot, page.account, "ACC-0042")
    type_text(qtbot, page.taxonomy, "208600000X")
    case = window.doc.case
    assert str(case.date_of_service) == "2026-03-02"
    assert case.patient.age == 45 and case.patient.account == "ACC-0042"
    assert case.rendering_taxonomy == "208600000X"
    assert "Surgery" in page.taxonomy_note.text()


def answer_choice(qtbot: Any, window: Any, question: str, text: str) -> None:
    editor = window.pages["questions"].questions.editors[question]
    choose(qtbot, editor.focus, text)


def click_radio(qtbot: Any, window: Any, page: str, question: str, label: str) -> None:
    editor = window.pages[page].questions.editors[question]
    button = next(b for b in editor.group.buttons() if b.text().replace("&", "") == label)
    click(qtbot, button)


def save_pdf_from_review(qtbot: Any, window: Any, scripted: Any, path: Path) -> None:
    click_step(qtbot, window, "review")
    settle(qtbot, window)
    review = window.pages["review"]
    qtbot.waitUntil(lambda: "page" in review.preview_note.text(), timeout=10000)
    assert review.preview is not None and review.preview.page_count() >= 1
    scripted.save_pdf_path = path
    click(qtbot, review.save_pdf_button)
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")


def test_islet_medicare_flow_to_pdf(qtbot: Any, window: Any, scripted: Any, tmp_path: Path) -> None:
    assert window.windowTitle().startswith("Untitled case")
    fill_case_page(qtbot, window, family="Pancreatic", payer="Medicare", claim="Prof",
                   setting="Inp")
    press_enter(qtbot)  # Enter in a field moves to the next step
    assert window.current_step() == "questions"
    answer_choice(qtbot, window, "approach", "Perc")
    answer_choice(qtbot, window, "donor", "Allo")
    questions = window.pages["questions"].questions
    assert questions.editors["infusion_number"].focus.isVisibleTo(window)
    assert not questions.editors["pancreatectomy"].focus.isVisibleTo(window)
    type_text(qtbot, questions.editors["infusion_number"].focus, "1")
    for question, label in (("severe_hypoglycemia", "Yes"), ("immunosuppression", "Yes"),
                            ("prior_renal_transplant", "No")):
        click_radio(qtbot, window, "questions", question, label)
    answer_choice(qtbot, window, "technology", "Stand")
    assert window.doc.case.answers["severe_hypoglycemia"] is True
    assert window.doc.case.answers["prior_renal_transplant"] is False

    click_step(qtbot, window, "diagnoses")
    diagnoses = window.pages["diagnoses"]
    type_text(qtbot, diagnoses.entry, "Z00.6")
    press_enter(qtbot)
    pick_completion(qtbot, diagnoses.entry, "E10.649", "E10.649")
    qtbot.waitUntil(lambda: window.doc.case.diagnoses == ["Z00.6", "E10.649"])
    diagnoses.table.selectRow(1)
    click(qtbot, diagnoses.up)  # the diabetes is the primary diagnosis
    assert window.doc.case.diagnoses == ["E10.649", "Z00.6"]
    assert diagnoses.table.item(0, 3).text() == "yes"

    assert window.step_visible("trial")
    click_step(qtbot, window, "trial")
    trial = window.pages["trial"]
    type_text(qtbot, trial.questions.editors["nct_number"].focus, "NCT01234567")
    assert window.doc.case.answers["nct_number"] == "NCT01234567"
    assert not trial.add_dx.isEnabled()  # Z00.6 is already there

    worksheet = settle(qtbot, window)
    assert worksheet.status == "ready", [f.message for f in worksheet.findings if f.severity != "info"]
    assert [line.code for line in worksheet.lines] == ["G0341"]
    pdf = tmp_path / "islet.pdf"
    save_pdf_from_review(qtbot, window, scripted, pdf)
    assert "G0341" in pdf_text(pdf) and "DRAFT" not in pdf_text(pdf)
    review = window.pages["review"]
    assert review.lines.topLevelItem(0).childCount() >= 1  # the "why" of the line

    scripted.save_case_path = tmp_path / "islet-case.json"
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert scripted.save_case_path.is_file()
    assert not window.isWindowModified() and window.windowTitle().startswith("islet-case.json")
    assert not scripted.errors


def test_adipose_flow_acknowledge_to_ready_pdf(qtbot: Any, window: Any, scripted: Any,
                                               tmp_path: Path) -> None:
    fill_case_page(qtbot, window, family="Adipose", payer="Cigna", claim="Prof", setting="Off")
    press_enter(qtbot)
    services = window.pages["questions"].questions.editors["services"].focus
    services.setFocus()
    while services.currentData() != "both":  # "Harvest and injection", by arrow keys
        qtbot.keyClick(services, Qt.Key.Key_Down)
    assert not window.step_visible("trial")
    click_step(qtbot, window, "diagnoses")
    pick_completion(qtbot, window.pages["diagnoses"].entry, "M34.0", "M34.0")
    qtbot.waitUntil(lambda: window.doc.case.diagnoses == ["M34.0"])
    worksheet = settle(qtbot, window)
    assert [line.code for line in worksheet.lines] == ["0489T", "0490T"]
    assert worksheet.status == "review"

    click_step(qtbot, window, "review")
    review = window.pages["review"]
    scripted.reason = "Verified with the payer by phone on 3/1, reference 123"
    for _ in range(10):
        worksheet = settle(qtbot, window)
        if worksheet.status != "review":
            break
        warning = next(f for f in worksheet.findings if f.severity == "warning" and not f.acknowledged)
        assert review.select_finding(warning.rule, warning.codes)
        assert review.acknowledge.isEnabled()
        click(qtbot, review.acknowledge)
    assert worksheet.status == "ready"
    assert all(a.reason == scripted.reason for a in window.doc.case.acknowledged)
    assert "Ready" in window.findings.status.text()
    type_text(qtbot, review.notes, "Harvest and injection the same day.")
    assert window.doc.case.notes == "Harvest and injection the same day."
    pdf = tmp_path / "adipose.pdf"
    save_pdf_from_review(qtbot, window, scripted, pdf)
    text = pdf_text(pdf)
    assert "0489T" in text and "Verified with the payer" in text


def test_blocked_case_pdf_is_draft(qtbot: Any, window: Any, scripted: Any, tmp_path: Path) -> None:
    from tests.desktop.conftest import EXAMPLES

    assert window.open_path(EXAMPLES / "islet-medicare-no-trial-blocked.json")
    assert settle(qtbot, window).status == "blocked"
    pdf = tmp_path / "blocked.pdf"
    save_pdf_from_review(qtbot, window, scripted, pdf)
    assert "DRAFT" in pdf_text(pdf)
    assert scripted.asked("information"), "the coder is told the PDF is a DRAFT"
    assert "DRAFT" in scripted.asked("save_pdf_path")[0]


@pytest.mark.parametrize(
    ("payer", "family", "shown"),
    [("Medicare", "Pancreatic", True), ("Cigna", "Pancreatic", False), ("Medicare", "Adipose", False)],
)
def test_trial_step_only_for_medicare_islet(qtbot: Any, window: Any, payer: str, family: str,
                                            shown: bool) -> None:
    page = window.pages["case"]
    choose(qtbot, page.family, family)
    choose(qtbot, page.payer, payer)
    assert window.step_visible("trial") is shown


def test_finding_click_goes_to_its_step(qtbot: Any, window: Any) -> None:
    choose(qtbot, window.pages["case"].payer, "Cigna")
    settle(qtbot, window)
    panel = window.findings.list
    assert window.current_step() == "case"
    row, step = next((r, panel.item(r).data(Qt.ItemDataRole.UserRole)) for r in range(panel.count())
                     if panel.item(r).data(Qt.ItemDataRole.UserRole) not in ("case", "", None))
    rect = panel.visualItemRect(panel.item(row))
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_step() == step


def test_standard_shortcuts(window: Any) -> None:
    assert window.act_new.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.act_open.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.act_save.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.act_save_as.shortcut() == QKeySequence(QKeySequence.StandardKey.SaveAs)
    assert window.act_print.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)

"""The case library in the application: worklist, saving to the store, stale saves,
history, worksheets recorded, re-check at start, worksheet PDFs opened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop import library as library_module
from desktop.library import StaleChoice
from desktop.worklist import PAGE, WorklistModel
from models.case import Case, load_case
from models.coder import check
from models.reference import Reference
from models.store import CaseFilter, CaseStore, new_version, open_store, summarize
from tests.desktop.actions import type_text
from tests.desktop.conftest import EXAMPLES

BLOCKED = EXAMPLES / "islet-thp-laparoscopic-imaging-blocked.json"


def store_cases(store: CaseStore, reference: Reference, paths: list[Path],
                who: str = "alice") -> list[int]:
    versions = []
    for path in paths:
        case = load_case(path)
        versions.append(new_version(case, summarize(check(case, reference))))
    return store.create_many(versions, who)


@pytest.fixture
def store(reference: Reference) -> Any:
    with open_store() as opened:
        yield opened


def test_worklist_model_passes_the_model_tester(qapp: Any, qtmodeltester: Any, store: CaseStore,
                                                reference: Reference) -> None:
    store_cases(store, reference, sorted(EXAMPLES.glob("*.json")))
    model = WorklistModel(store)
    model.refresh()
    qtmodeltester.check(model)
    assert model.rowCount() == len(list(EXAMPLES.glob("*.json")))
    statuses = {model.index(r, 4).data() for r in range(model.rowCount())}
    assert statuses <= {"Ready", "Review", "Blocked"} and "Blocked" in statuses
    assert model.index(0, 4).data(Qt.ItemDataRole.DecorationRole) is not None
    model.set_filter(CaseFilter(payer="thp"))
    assert {model.case_row(r).payer for r in range(model.rowCount())} == {"thp"}


def test_worklist_model_fetches_page_by_page(store: CaseStore, reference: Reference) -> None:
    case = load_case(BLOCKED)
    item = new_version(case, summarize(check(case, reference)))
    store.create_many([item] * (PAGE * 2 + 5), "alice")
    model = WorklistModel(store)
    model.refresh()
    assert model.rowCount() == PAGE and model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == PAGE * 2 + 5


def test_new_case_ctrl_s_writes_its_file_and_stores_it(qtbot: Any, window: Any, scripted: Any,
                                                      tmp_path: Path, store: CaseStore) -> None:
    type_text(qtbot, window.pages["case"].account, "NEW-1")
    scripted.save_case_path = tmp_path / "new.json"
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (tmp_path / "new.json").is_file() and not window.isWindowModified()
    [row] = store.list_cases(CaseFilter(text="new-1"))
    assert row.version == 1 and window.library.case_id == row.id


def test_open_from_the_worklist_edit_and_save_a_new_version(
        qtbot: Any, window: Any, store: CaseStore, reference: Reference) -> None:
    [case_id] = store_cases(store, reference, [BLOCKED])
    dock = window.library.show_worklist()
    assert dock.model.rowCount() == 1
    dock.table.setFocus()
    dock.table.setCurrentIndex(dock.model.index(0, 0))
    qtbot.keyClick(dock.table, Qt.Key.Key_Return)
    assert window.doc.case.patient.account == "ACCT-1001" and window.doc.path is None
    type_text(qtbot, window.pages["case"].account, "ACCT-1002")
    assert window.save() and not window.isWindowModified()
    latest = store.get(case_id)
    assert latest.row.version == 2 and latest.row.account == "ACCT-1002"
    assert [v.version for v in store.history(case_id).versions] == [1, 2]
    assert dock.model.case_row(0).version == 2


def test_worklist_filters_by_status_payer_and_text(qtbot: Any, window: Any, store: CaseStore,
                                                   reference: Reference) -> None:
    store_cases(store, reference, sorted(EXAMPLES.glob("*.json")))
    dock = window.library.show_worklist()
    dock.status.setCurrentIndex(dock.status.findData("blocked"))
    assert dock.model.rowCount() > 0
    assert all(dock.model.case_row(r).status == "blocked" for r in range(dock.model.rowCount()))
    dock.status.setCurrentIndex(0)
    dock.payer.setCurrentIndex(dock.payer.findData("medicare"))
    assert {dock.model.case_row(r).payer for r in range(dock.model.rowCount())} == {"medicare"}
    dock.payer.setCurrentIndex(0)
    type_text(qtbot, dock.text, "acct-1001")
    assert [dock.model.case_row(r).account for r in range(dock.model.rowCount())] == ["ACCT-1001"]


@pytest.mark.parametrize("choice", [StaleChoice.RELOAD, StaleChoice.SAVE_AS_NEW])
def test_a_stale_save_offers_reload_or_save_as_new(qtbot: Any, window: Any, store: CaseStore,
                                                    reference: Reference,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    choice: StaleChoice) -> None:
    [case_id] = store_cases(store, reference, [BLOCKED])
    asked: list[str] = []
    monkeypatch.setattr(library_module, "ask_stale_choice",
                        lambda _parent, text: asked.append(text) or choice)
    assert window.library.open_case(case_id)
    theirs = load_case(BLOCKED).model_copy(update={"notes": "theirs"})
    store.save(case_id, new_version(theirs, summarize(check(theirs, reference))), "bob",
               based_on=1)
    type_text(qtbot, window.pages["case"].account, "MINE")
    result = window.save()
    assert asked and "bob" in asked[0]
    if choice is StaleChoice.RELOAD:
        assert window.doc.case.notes == "theirs" and window.library.version == 2
        assert store.count(CaseFilter()) == 1
    else:
        assert result and window.library.case_id != case_id
        assert store.get(window.library.case_id).row.account == "MINE"
        assert store.get(case_id).row.updated_by == "bob"


def test_history_lists_versions_and_worksheets(qtbot: Any, window: Any, scripted: Any,
                                               store: CaseStore, reference: Reference,
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    from desktop.history import HistoryDialog, history_rows

    [case_id] = store_cases(store, reference, [BLOCKED])
    window.library.open_case(case_id)
    scripted.save_pdf_path = tmp_path / "w.pdf"
    window.save_pdf()
    [worksheet] = store.history(case_id).worksheets
    import hashlib

    assert worksheet.pdf_sha256 == hashlib.sha256((tmp_path / "w.pdf").read_bytes()).hexdigest()
    assert worksheet.status == "blocked"
    rows = history_rows(store.history(case_id))
    assert [r[0].split()[0] for r in rows] == ["Version", "Worksheet"]
    shown: list[HistoryDialog] = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self) or 0)
    window.library.show_history()
    assert shown and shown[0].tree.topLevelItemCount() == 2


def test_start_shows_the_worklist_and_rechecks_after_a_reference_update(
        qtbot: Any, window: Any, store: CaseStore, reference: Reference) -> None:
    [case_id, other] = store_cases(store, reference, [BLOCKED, EXAMPLES / "islet-cigna-tpiat.json"])
    stored = store.get(case_id).summary
    assert stored is not None
    old = stored.model_copy(update={"status": "ready", "findings": (),
                                    "reference_version": "2025.old"})
    store.record_checks([(case_id, 1, old, "")], "earlier")
    with qtbot.waitSignal(window.library.rechecked, timeout=60_000) as heard:
        window.library.start()  # the re-check runs in a child process: the window goes on
        assert window.library.background.running()
    assert heard.args == [1]
    dock = window.library.worklist
    assert dock is not None and dock.isVisible()
    assert dock.changed.isChecked() and dock.notice.text().startswith("1 stored case changed")
    assert [dock.model.case_row(r).id for r in range(dock.model.rowCount())] == [case_id]
    assert "1 changed" in window.statusBar().currentMessage()
    assert store.get(case_id).change.startswith("READY → BLOCKED")
    assert store.get(other).change == ""


def test_start_with_an_empty_store_shows_no_worklist(window: Any) -> None:
    from models.store import default_store_path

    window.library.start()
    assert window.library.worklist is None and not default_store_path().exists()
    open_store().close()
    window.library.start()
    assert window.library.worklist is None


def test_file_open_accepts_a_worksheet_pdf(window: Any, scripted: Any, tmp_path: Path,
                                           reference: Reference) -> None:
    from reports.pdf import render_pdf

    case: Case = load_case(BLOCKED)
    pdf = tmp_path / "w.pdf"
    pdf.write_bytes(render_pdf(check(case, reference)))
    assert window.open_path(pdf, ask=False)
    assert window.doc.case == case and window.doc.path is None
    pdf.write_bytes(b"%PDF-1.4 nothing")
    assert not window.open_path(pdf, ask=False) and scripted.errors
    window.run_check()  # no check left pending when the session's reference closes

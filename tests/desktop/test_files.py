"""Files: open, save, unsaved-changes prompt, recent cases, autosave and crash recovery, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt

from desktop import autosave
from desktop.dialogs import Choice
from desktop.settings import recent_files
from tests.desktop.actions import settle, type_text
from tests.desktop.conftest import EXAMPLES


def test_open_save_and_title(qtbot: Any, window: Any, scripted: Any, tmp_path: Path) -> None:
    source = EXAMPLES / "islet-cigna-tpiat.json"
    scripted.open_case_path = source
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.path == source and window.windowTitle().startswith(source.name)
    assert not window.isWindowModified()
    type_text(qtbot, window.pages["case"].account, "ACC-9")
    assert window.isWindowModified()
    target = tmp_path / "copy.json"
    scripted.save_case_path = target
    window.act_save_as.trigger()
    assert json.loads(target.read_text())["patient"]["account"] == "ACC-9"
    assert not window.isWindowModified() and window.doc.path == target
    assert recent_files()[:2] == [target, source]


def test_unsaved_changes_prompt_on_new_and_close(qtbot: Any, window: Any, scripted: Any,
                                                 tmp_path: Path) -> None:
    type_text(qtbot, window.pages["case"].account, "ACC-1")
    scripted.save_changes = Choice.CANCEL
    window.act_new.trigger()
    assert window.doc.case.patient.account == "ACC-1", "cancel keeps the case"
    assert not window.close() and window.isVisible()
    scripted.save_changes = Choice.SAVE
    scripted.save_case_path = tmp_path / "kept.json"
    window.act_new.trigger()
    assert (tmp_path / "kept.json").is_file()
    assert window.doc.case.patient.account is None and not window.isWindowModified()
    assert len(scripted.asked("ask_save_changes")) == 3


def test_unreadable_case_file_is_explained_and_nothing_lost(qtbot: Any, window: Any,
                                                            scripted: Any, tmp_path: Path) -> None:
    type_text(qtbot, window.pages["case"].account, "ACC-7")
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    assert not window.open_path(bad, ask=False)
    assert scripted.errors and "not valid JSON" in scripted.errors[0]
    assert window.doc.case.patient.account == "ACC-7" and window.isWindowModified()


def test_unwritable_pdf_path_is_explained(qtbot: Any, window: Any, scripted: Any,
                                          tmp_path: Path) -> None:
    pytest.importorskip("models.coder")
    window.open_path(EXAMPLES / "islet-medicare-trial.json")
    settle(qtbot, window)
    window.go_to("review")
    scripted.save_pdf_path = tmp_path / "no-such-folder" / "out.pdf"
    assert window.pages["review"].save_pdf() is None
    assert scripted.errors and "no-such-folder" in scripted.errors[0]


def test_unwritable_case_path_keeps_the_changes(qtbot: Any, window: Any, scripted: Any,
                                                tmp_path: Path) -> None:
    type_text(qtbot, window.pages["case"].account, "ACC-3")
    assert not window.write_case(tmp_path / "missing" / "case.json")
    assert scripted.errors and window.isWindowModified()


def test_autosave_crash_and_restore(qtbot: Any, reference: Any, scripted: Any) -> None:
    from desktop.window import MainWindow

    first = MainWindow(reference)
    first.show()
    first.open_path(EXAMPLES / "adipose-bcbs-both-hands.json")
    type_text(qtbot, first.pages["case"].account, "ACC-CRASH")
    path = first.autosave_now()
    assert path is not None and path.parent == autosave.autosave_dir() and path.is_file()
    assert "ACC-CRASH" in path.read_text(encoding="utf-8")
    shiboken6.delete(first)  # the window dies: no close event, no clean-up

    second = MainWindow(reference)
    qtbot.addWidget(second)
    second.show()
    second.start(None)
    assert scripted.asked("ask_yes_no"), "the next start offers the autosaved case"
    assert second.doc.case.patient.account == "ACC-CRASH"
    assert second.doc.path == EXAMPLES / "adipose-bcbs-both-hands.json"
    assert second.isWindowModified()
    assert not path.exists(), "the restored case now lives in the second window's slot"
    second.doc.replace(second.doc.case, None)  # clean: closing removes the autosave
    assert second.close()
    assert not autosave.exists()


def test_declined_restore_discards_autosave(qtbot: Any, reference: Any, scripted: Any) -> None:
    from desktop.window import MainWindow

    first = MainWindow(reference)
    first.show()
    type_text(qtbot, first.pages["case"].account, "ACC-5")
    assert first.autosave_now() is not None
    shiboken6.delete(first)
    second = MainWindow(reference)
    qtbot.addWidget(second)
    scripted.yes = False
    assert not second.offer_restore()
    assert scripted.asked("ask_yes_no") and not autosave.exists()


def test_autosave_timer_writes_dirty_case(qtbot: Any, reference: Any, scripted: Any,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.window import MainWindow

    monkeypatch.setenv("WORKSHEET_AUTOSAVE_SECONDS", "0.2")
    main = MainWindow(reference)
    qtbot.addWidget(main)
    main.show()
    assert not autosave.exists(), "a clean case is not autosaved"
    type_text(qtbot, main.pages["case"].account, "ACC-T")
    qtbot.waitUntil(autosave.exists, timeout=3000)
    main.write_case(autosave.autosave_dir().parent / "saved.json")
    assert not autosave.exists(), "a clean save removes the autosave"

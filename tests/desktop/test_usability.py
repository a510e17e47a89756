"""Keyboard, accessibility, settings, error reporting and a light start-up."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop.window import STEP_IDS
from tests.desktop.actions import choose, press_enter, type_text

ROOT = Path(__file__).resolve().parents[2]
CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit)


def controls(root: QWidget) -> list[QWidget]:
    """The focusable controls a user operates (not the parts inside a spin or combo box)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget.parent(), QAbstractSpinBox | QComboBox):
            continue
        if widget.window() is not root.window():  # combo and completer pop-ups
            continue
        found.append(widget)
    return found


def test_every_control_has_an_accessible_name(qtbot: Any, window: Any) -> None:
    window.go_to("review")
    window.pages["review"].refresh_preview() if pytest.importorskip("models.coder") else None
    missing = [f"{type(w).__name__} in {w.parent().__class__.__name__}"
               for w in controls(window) if not w.accessibleName()]
    assert not missing


def test_labels_have_mnemonics_and_buddies(window: Any) -> None:
    for step in STEP_IDS:
        page = window.pages[step]
        labels = [label for label in page.findChildren(QLabel) if label.buddy() is not None]
        assert all("&" in label.text() for label in labels), [lb.text() for lb in labels]
    case = window.pages["case"]
    buddies = {label.buddy() for label in case.findChildren(QLabel) if label.buddy() is not None}
    for field in (case.family, case.date, case.payer, case.claim_type, case.setting, case.age,
                  case.account, case.taxonomy):
        assert field in buddies


def test_icon_buttons_have_tooltips(window: Any) -> None:
    buttons = [b for b in window.findChildren(QAbstractButton) if not b.icon().isNull()]
    assert buttons
    assert all(b.toolTip() for b in buttons if b.isVisibleTo(window))


def test_tab_order_on_the_case_step(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    case = window.pages["case"]
    expected = [case.family, case.date, case.calendar_button, case.payer, case.claim_type,
                case.setting, case.billed_by, case.place_of_service, case.type_of_bill,
                case.age, case.account, case.taxonomy, case.ndc, case.ndc_quantity,
                case.ndc_unit, window.findings.list]
    window.steps.setFocus()
    seen = []
    for _ in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected


def test_enter_moves_to_the_next_visible_step(qtbot: Any, window: Any) -> None:
    choose(qtbot, window.pages["case"].payer, "Cigna")
    assert not window.step_visible("trial")
    window.go_to("coverage")
    window.pages["coverage"].go.setFocus()
    window.steps.setFocus()
    press_enter(qtbot)
    assert window.current_step() == "review", "the hidden trial step is skipped"


def test_settings_dialog_sets_defaults_for_new_cases(qtbot: Any, window: Any) -> None:
    from desktop.settings import Preferences
    from desktop.settings_dialog import SettingsDialog

    dialog = SettingsDialog({p.payer: p.name for p in window.reference.payers.values()}, window)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.coder, "R. Coder")
    type_text(qtbot, dialog.facility, "General Hospital")
    choose(qtbot, dialog.payer, "Medicare")
    choose(qtbot, dialog.claim_type, "Inst")
    assert all(w.accessibleName() for w in (dialog.coder, dialog.facility, dialog.payer, dialog.claim_type))
    dialog.accept()
    prefs = Preferences.load()
    assert (prefs.coder, prefs.facility, prefs.default_payer, prefs.default_claim_type) == (
        "R. Coder", "General Hospital", "medicare", "institutional")
    window.act_new.trigger()
    assert window.doc.case.payer == "medicare" and window.doc.case.claim_type == "institutional"


def test_settings_are_isolated_per_test() -> None:
    from desktop.settings import Preferences, recent_files

    assert Preferences.load() == Preferences() and recent_files() == []


def test_unexpected_error_dialog_and_log_without_patient_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop import errors

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown: list[tuple[str, str]] = []
    hook = errors.install(lambda s, d: shown.append((s, d)), lambda: ["ACC-SECRET", "Patient note"])
    try:
        raise ValueError("bad value for ACC-SECRET; input_value='Patient note here'")
    except ValueError as exc:
        hook(type(exc), exc, exc.__traceback__)
    for handler in errors.logger.handlers:
        handler.close()
    errors.logger.handlers.clear()
    log = errors.log_path().read_text(encoding="utf-8")
    assert shown and "ValueError" in shown[0][0] and "test_usability.py" in shown[0][1]
    assert "ValueError" in log and "ACC-SECRET" not in log and "Patient note" not in log
    assert "ACC-SECRET" not in shown[0][1]
    logging.getLogger("worksheet.desktop").handlers.clear()


def test_missing_reference_is_explained_and_exits_2(qtbot: Any, scripted: Any,
                                                    tmp_path: Path) -> None:
    from desktop.launch import launch_gui

    broken = tmp_path / "reference.sqlite"
    broken.write_bytes(b"this is not a database")
    code = launch_gui(None, broken)
    assert code == 2
    assert scripted.errors and "Reference database unavailable" in scripted.errors[0]
    assert str(broken) in scripted.errors[0]
    for widget in QApplication.topLevelWidgets():
        widget.close()


def test_start_up_does_not_load_heavy_modules() -> None:
    script = (
        "import sys; import desktop.launch, desktop.window; "
        "heavy = [m for m in ('reportlab', 'pydantic', 'PySide6.QtPdf', 'PySide6.QtPrintSupport', "
        "'models.reference', 'reports.pdf') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "[]"

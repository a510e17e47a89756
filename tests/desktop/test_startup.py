"""Start-up: what the first window loads and does before the coder can work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from desktop.window import STEP_IDS
from tests.desktop.actions import choose, settle

ROOT = Path(__file__).resolve().parents[2]
# Needed later or never for a new case: loaded on first use, not at start.
NOT_AT_START = ("models.additions", "reportlab", "reports.pdf", "psycopg", "sqlite_utils",
                "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtPrintSupport",
                "desktop.worklist", "desktop.settings_dialog", "desktop.pages.review_page",
                "desktop.pages.diagnoses_page", "importlib.metadata")


def _started(mode: str, tmp_path: Path, script: str) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORKSHEET_BENCH_EXIT_ON_PAINT=mode,
               WORKSHEET_DATA_DIR=str(tmp_path))
    program = f"import sys\nfrom desktop.launch import launch_gui\nlaunch_gui(None, None)\n{script}"
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=120, check=True)
    return done.stdout.split("\n")


def test_ready_means_checked_and_loads_only_the_first_step(tmp_path: Path) -> None:
    lines = _started("ready", tmp_path, (
        f"print([m for m in {NOT_AT_START!r} if m in sys.modules])\n"
        "print('models.coder' in sys.modules, 'desktop.pages.case_page' in sys.modules)\n"
        "import gc; print(gc.isenabled(), gc.get_freeze_count() > 10_000)"
    ))
    assert lines[0].startswith("ready ")
    assert lines[1] == "[]"
    assert lines[2] == "True True", "the case page is built and the coder checked the case"
    assert lines[3] == "True True", (
        "the garbage collector, paused during start-up, runs again, past start-up's objects")


def test_pyside_reads_module_sources_without_keeping_them(tmp_path: Path) -> None:
    script = (
        "import desktop.launch, linecache, models.case, shibokensupport.feature as f\n"
        "import desktop.window, desktop.cli\n"
        "print(sorted(k for k in linecache.cache if 'pydantic' in k or 'models' in k))\n"
        "print(f._mod_uses_pyside(desktop.window), f._mod_uses_pyside(models.case),"
        " f._mod_uses_pyside(desktop.cli))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, text=True,
                          capture_output=True, timeout=60, check=True)
    kept, answers = done.stdout.split("\n")[:2]
    assert kept == "[]"
    assert answers == "True False False"


def test_an_untouched_new_case_is_checked_by_the_coder(qtbot: Any, window: Any) -> None:
    settle(qtbot, window)
    assert window.worksheet is not None and window.worksheet.status == "blocked"
    assert window.findings.status.text() == "Start with the case facts"


def _shown_numbers(window: Any) -> dict[str, str]:
    return {step: window.steps.item(row).text().split()[0]
            for row, step in enumerate(STEP_IDS) if window.step_visible(step)}


def test_steps_are_numbered_as_shown(qtbot: Any, window: Any) -> None:
    page = window.pages["case"]
    choose(qtbot, page.family, "Adipose")
    assert not window.step_visible("trial")
    numbers = _shown_numbers(window)
    assert list(numbers.values()) == [str(n) for n in range(1, 8)]
    assert numbers["review"] == "7"
    assert _go_menu(window) == [(f"&{n} {title}", f"Ctrl+{n}") for n, title in enumerate(
        ("Case", "Questions", "Diagnoses", "Modifiers", "Other codes", "Coverage", "Review"),
        start=1)], "the Go menu says and does what the step list shows"
    window.doc.update(family="islet-transplant", payer="medicare")
    assert window.step_visible("trial")
    numbers = _shown_numbers(window)
    assert numbers["trial"] == "7" and numbers["review"] == "8"
    assert _go_menu(window)[6:] == [("&7 Clinical trial", "Ctrl+7"), ("&8 Review", "Ctrl+8")]


def _go_menu(window: Any) -> list[tuple[str, str]]:
    return [(a.text(), a.shortcut().toString()) for a in window.step_actions if a.isVisible()]


def test_pydantic_plugin_loader_stand_in_steps_aside_when_asked_for_more() -> None:
    script = (
        "import sys, desktop.launch\n"
        "loader = sys.modules['pydantic.plugin._loader']\n"
        "print(list(loader.get_plugins()), 'importlib.metadata' in sys.modules)\n"
        "print(loader.PYDANTIC_ENTRY_POINT_GROUP, sys.modules['pydantic.plugin._loader'] is loader)"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, text=True,
                          capture_output=True, timeout=60, check=True,
                          env={k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"})
    assert done.stdout.split("\n")[:2] == ["[] False", "pydantic False"]

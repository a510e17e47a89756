"""Fixtures for the GUI tests: the reference, a main window, scripted dialogs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from desktop import dialogs
from models.reference import Reference, open_reference

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


@pytest.fixture(scope="session")
def reference() -> Iterator[Reference]:
    ref = open_reference()
    yield ref
    ref.close()


@dataclass
class ScriptedDialogs:
    """Answers the application's questions the way the test says; records every call."""

    calls: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    save_case_path: Path | None = None
    open_case_path: Path | None = None
    save_pdf_path: Path | None = None
    reason: str | None = None
    yes: bool = True
    save_changes: dialogs.Choice = dialogs.Choice.DISCARD

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def record(name: str, text: str) -> None:
            self.calls.append((name, text))

        def error(_parent: Any, title: str, text: str, details: str = "") -> None:
            record("error", f"{title}: {text}")
            self.errors.append(f"{title}: {text}")

        monkeypatch.setattr(dialogs, "error", error)
        monkeypatch.setattr(dialogs, "information", lambda _p, t, x: record("information", f"{t}: {x}"))
        monkeypatch.setattr(dialogs, "ask_yes_no", lambda _p, t, x: record("ask_yes_no", x) or self.yes)
        monkeypatch.setattr(
            dialogs, "ask_save_changes",
            lambda _p, name: record("ask_save_changes", name) or self.save_changes,
        )
        monkeypatch.setattr(dialogs, "open_case_path", lambda _p, _f: self.open_case_path)
        monkeypatch.setattr(dialogs, "save_case_path",
                            lambda _p, s: record("save_case_path", s) or self.save_case_path)
        monkeypatch.setattr(dialogs, "save_pdf_path",
                            lambda _p, s: record("save_pdf_path", s) or self.save_pdf_path)
        monkeypatch.setattr(dialogs, "ask_reason",
                            lambda _p, _t, text, _c="": record("ask_reason", text) or self.reason)

    def asked(self, name: str) -> list[str]:
        return [text for kind, text in self.calls if kind == name]


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> ScriptedDialogs:
    answers = ScriptedDialogs()
    answers.install(monkeypatch)
    return answers


@pytest.fixture
def window(qtbot: Any, reference: Reference, scripted: ScriptedDialogs) -> Any:
    from desktop.window import MainWindow

    main = MainWindow(reference)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main

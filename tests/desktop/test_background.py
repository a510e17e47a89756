"""The stored cases re-checked in a child process: its report read, a failed start, a stop."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop import background
from desktop.background import BackgroundRecheck, RecheckOutcome, outcome_of


def test_a_finished_report_is_read() -> None:
    report = {"reference_version": "2026.4", "checked": 12,
              "changed": [{"id": 3}, {"id": 9}], "failed": []}
    assert outcome_of(1, False, json.dumps(report), "") == RecheckOutcome("2026.4", 12, 2, 0)


def test_cases_that_could_not_be_checked_are_said() -> None:
    report = {"reference_version": "2026.4", "checked": 5, "changed": [],
              "failed": [{"id": 4, "error": "…"}]}
    outcome = outcome_of(2, False, json.dumps(report), "worksheet: case 4 cannot be checked")
    assert outcome.checked == 5 and outcome.failed == 1
    assert outcome.problem.startswith("1 stored case could not be checked")


def test_a_refusal_says_the_command_lines_message() -> None:
    outcome = outcome_of(2, False, "", "worksheet: no reference database at /x: build it\n")
    assert outcome.problem == "no reference database at /x: build it" and outcome.checked == 0


def test_a_crash_is_not_taken_for_a_report() -> None:
    assert outcome_of(0, True, '{"checked": 1}', "").problem.startswith("the re-check stopped")


def test_the_bundle_runs_its_own_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/worksheet/worksheet-app")
    assert background.own_command() == ["/opt/worksheet/worksheet"]


def test_a_program_that_cannot_start_is_reported(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setattr(background, "own_command", lambda: [str(tmp_path / "missing")])
    runner = BackgroundRecheck()
    with qtbot.waitSignal(runner.finished, timeout=10_000) as heard:
        assert runner.start(tmp_path / "reference.sqlite", None)
    assert heard.args[0].problem.startswith("the re-check could not be started")
    assert not runner.running()


def test_one_at_a_time_and_a_stop_ends_the_child(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setattr(background, "own_command", lambda: ["/bin/sleep", "60"])
    monkeypatch.setattr(background, "recheck_arguments", lambda _path: [])
    runner = BackgroundRecheck()
    heard: list[object] = []
    runner.finished.connect(heard.append)
    assert runner.start(tmp_path / "reference.sqlite", None)
    assert not runner.start(tmp_path / "reference.sqlite", None)  # one is running
    process = runner._process
    assert process is not None and process.waitForStarted(5000)
    pid = process.processId()
    runner.stop()
    assert not runner.running() and heard == []
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()

"""The stored cases re-checked in another process while the coder works.

A re-check of a large store takes seconds (it spreads over the cores): run in the window's
process it would freeze the window. The program's own `cases recheck --json` does it in a
child process; the window keeps a busy mark in the status bar and hears the result when the
child ends. The child checks against the very reference file the window uses, and its store
comes from WORKSHEET_STORE in its environment (never on the command line: a PostgreSQL URL
may carry a password).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

STOP_WAIT_MS = 3000


@dataclass(frozen=True)
class RecheckOutcome:
    """What a finished re-check reports; `problem` is set when it could not run or finish."""

    reference_version: str = ""
    checked: int = 0
    changed: int = 0
    failed: int = 0
    problem: str = ""


def own_command() -> list[str]:
    """How to run this program's command line: the bundle's `worksheet`, else this Python."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).with_name("worksheet"))]
    return [sys.executable, "-m", "desktop"]


def recheck_arguments(reference_path: Path) -> list[str]:
    return ["--reference", str(reference_path), "cases", "recheck", "--json"]


def outcome_of(exit_code: int, crashed: bool, stdout: str, stderr: str) -> RecheckOutcome:
    """Read the child's report (exit 0 nothing changed, 1 something did, 2 a problem)."""
    if crashed:
        return RecheckOutcome(problem="the re-check stopped before it finished")
    try:
        report = json.loads(stdout)
        outcome = RecheckOutcome(str(report["reference_version"]), int(report["checked"]),
                                 len(report["changed"]), len(report["failed"]))
    except (ValueError, KeyError, TypeError):
        last = stderr.strip().splitlines()[-1:] or [f"exit code {exit_code}"]
        return RecheckOutcome(problem=last[0].removeprefix("worksheet: "))
    if outcome.failed:
        cases = "case" if outcome.failed == 1 else "cases"
        return RecheckOutcome(outcome.reference_version, outcome.checked, outcome.changed,
                              outcome.failed, f"{outcome.failed} stored {cases} could not be "
                              "checked (worksheet cases recheck says which)")
    return outcome


class BackgroundRecheck(QObject):
    """One re-check at a time, in a child process; `finished` carries its RecheckOutcome."""

    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: QProcess | None = None

    def running(self) -> bool:
        return self._process is not None

    def start(self, reference_path: Path, store_url: str | None) -> bool:
        """Start the re-check; False when one is running already."""
        from models.store import STORE_ENV

        if self._process is not None:
            return False
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        if store_url:
            environment.insert(STORE_ENV, store_url)
        process.setProcessEnvironment(environment)
        process.finished.connect(self._ended)
        process.errorOccurred.connect(self._error)
        self._process = process
        program, *arguments = own_command()
        process.start(program, [*arguments, *recheck_arguments(reference_path)])
        return True

    def stop(self) -> None:
        """End a running re-check (its results were not written: it writes them at the end)."""
        process = self._process
        if process is None:
            return
        self._process = None
        process.finished.disconnect(self._ended)
        process.errorOccurred.disconnect(self._error)
        process.kill()
        process.waitForFinished(STOP_WAIT_MS)
        process.deleteLater()

    def _ended(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        process = self._process
        if process is None:
            return
        self._process = None
        stdout = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
        stderr = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        process.deleteLater()
        crashed = status == QProcess.ExitStatus.CrashExit
        self.finished.emit(outcome_of(exit_code, crashed, stdout, stderr))

    def _error(self, error: QProcess.ProcessError) -> None:
        if error != QProcess.ProcessError.FailedToStart or self._process is None:
            return  # the other errors end in `finished` too
        process, self._process = self._process, None
        process.deleteLater()
        self.finished.emit(RecheckOutcome(problem="the re-check could not be started "
                                          f"({process.errorString()})"))

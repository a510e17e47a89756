"""Benchmark: start-up of the desktop application against a bare PySide6 window.

Both are started the same way, as a new process (`python -m desktop` and a
`python -c` script with a bare QMainWindow), offscreen, alternately in the same
run. Each prints the wall-clock time of its first paint and quits
(WORKSHEET_BENCH_EXIT_ON_PAINT=1). Measured: time from just before the process
is started to that first paint, and the peak memory (maxrss) of the process.

The program's modules are compiled to bytecode first, as an install has them (pip compiles
them when it installs the wheel): a checkout run with PYTHONDONTWRITEBYTECODE would otherwise
compile every module from source at every start, which no user's start does.

Goals: start-up at most 1.25 times the bare window, peak memory at most 1.3 times.
Also: ready to work, the time until the reference is loaded, the first step's page is
built and the case is checked (WORKSHEET_BENCH_EXIT_ON_PAINT=ready), with its peak memory;
goal at most 2 times the bare window.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = 7
_DATA_DIR = tempfile.mkdtemp(prefix="worksheet-bench-")  # no autosave offer, no user files
GOAL_TIME = 1.25
GOAL_MEMORY = 1.3
GOAL_READY = 2.0
BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, done)
        return False

def peak_kib():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))

def done():
    print(f"painted {time.time():.6f} {peak_kib()} {time.process_time():.6f}", flush=True)
    app.exit(0)

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1280, 820)
watcher = FirstPaint(window)
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""


def _start(command: list[str], mode: str) -> tuple[float, float, float]:
    """Seconds from launch to the printed time, peak memory in MiB, and the CPU seconds the
    process had used by then (from its start; less disturbed by other work on the machine than
    the wall clock)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORKSHEET_BENCH_EXIT_ON_PAINT=mode)
    env["WORKSHEET_DATA_DIR"] = _DATA_DIR
    started = time.time()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    reports = [line.split() for line in output.splitlines()
               if line.startswith(("painted ", "ready "))]
    if process.returncode != 0 or not reports:
        raise RuntimeError(f"{command[-1]} did not report a paint (exit {process.returncode})")
    # The child's own VmHWM: ru_maxrss would include the (large) parent image it forked from.
    peak_kib = int(reports[-1][2]) if len(reports[-1]) > 2 and int(reports[-1][2]) else usage.ru_maxrss
    cpu = float(reports[-1][3]) if len(reports[-1]) > 3 else 0.0
    return float(reports[-1][1]) - started, peak_kib / 1024, cpu


def _median(samples: list[tuple[float, float, float]]) -> tuple[float, float]:
    return (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))


def _median_cpu(samples: list[tuple[float, float, float]]) -> float:
    return statistics.median(s[2] for s in samples)


def run() -> list[str]:
    python = sys.executable
    app, bare, ready = [], [], []
    for package in ("desktop", "models", "reports", "resources"):
        compileall.compile_dir(ROOT / package, quiet=2)
    _start([python, "-c", BARE], "1")  # warm the file cache once for both
    _start([python, "-m", "desktop"], "1")
    for _ in range(RUNS):
        bare.append(_start([python, "-c", BARE], "1"))
        app.append(_start([python, "-m", "desktop"], "1"))
        ready.append(_start([python, "-m", "desktop"], "ready"))
    (app_s, app_mb), (bare_s, bare_mb), (ready_s, ready_mb) = _median(app), _median(bare), _median(ready)
    time_ratio, memory_ratio = app_s / bare_s, app_mb / bare_mb
    verdict = "meets" if time_ratio <= GOAL_TIME and memory_ratio <= GOAL_MEMORY else "MISSES"
    return [
        f"== gui: start-up to first painted window, median of {RUNS} runs (offscreen)",
        f"bare PySide6 window   {bare_s * 1000:7.0f} ms   peak {bare_mb:6.1f} MiB",
        f"worksheet window      {app_s * 1000:7.0f} ms   peak {app_mb:6.1f} MiB",
        f"ratio                 {time_ratio:7.2f}x (goal <= {GOAL_TIME}x)   "
        f"{memory_ratio:.2f}x (goal <= {GOAL_MEMORY}x): {verdict} the goals",
        f"ready to work         {ready_s * 1000:7.0f} ms   peak {ready_mb:6.1f} MiB "
        "(reference loaded, first step built, case checked)",
        f"ready ratio           {ready_s / bare_s:7.2f}x (goal <= {GOAL_READY}x)   "
        f"{ready_mb / bare_mb:.2f}x memory: "
        f"{'meets' if ready_s / bare_s <= GOAL_READY else 'MISSES'} the goal",
        f"CPU time (not a goal) bare {_median_cpu(bare) * 1000:.0f} ms, first paint "
        f"{_median_cpu(app) * 1000:.0f} ms ({_median_cpu(app) / _median_cpu(bare):.2f}x), ready "
        f"{_median_cpu(ready) * 1000:.0f} ms ({_median_cpu(ready) / _median_cpu(bare):.2f}x)",
    ]


if __name__ == "__main__":
    print("\n".join(run()))

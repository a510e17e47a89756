"""Worker processes of a batch render that never outlive the command.

Ctrl+C reaches every process of the terminal's group: workers ignore it and the command ends
them. SIGTERM to the command ends them the same way. If the command is killed outright, the
kernel sends each worker SIGTERM (Linux: PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import FrameType, TracebackType

PR_SET_PDEATHSIG = 1
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop like Ctrl+C does, with the exit code of SIGTERM."""

    exit_code = EXIT_TERMINATED


class TerminateOnSignal:
    """While active, SIGTERM raises Terminated in the main thread (so cleanup runs)."""

    def __enter__(self) -> TerminateOnSignal:
        self._previous = signal.signal(signal.SIGTERM, self._raise)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        signal.signal(signal.SIGTERM, self._previous)

    @staticmethod
    def _raise(_signum: int, _frame: FrameType | None) -> None:
        raise Terminated


def init_worker(parent: int) -> None:
    """First thing in each worker: Ctrl+C is the parent's business; die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _die_with_parent() -> None:
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def end_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers now, without waiting for their current work."""
    # Python 3.11 has no public way (3.14 adds terminate_workers()): its process table.
    table = getattr(pool, "_processes", None) or {}
    processes = list(table.values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)


def remove_partial_files(targets: Iterable[Path]) -> None:
    """Temporary files a stopped worker left beside its targets (models.atomic names them)."""
    for target in targets:
        for partial in target.parent.glob(f".{target.name}.*.part"):
            with contextlib.suppress(OSError):
                partial.unlink()

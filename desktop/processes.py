"""Is the process that wrote a file still running? (pid plus start time, so a reused pid is not
taken for the writer)."""

from __future__ import annotations

import os
from pathlib import Path

UNKNOWN_START = "-"


def start_time(pid: int) -> str:
    """When the process started (clock ticks since boot); "-" where /proc is not there."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        return fields[19]
    except (OSError, IndexError):
        return UNKNOWN_START


def this_process() -> str:
    """"<pid> <start time>": what a lock file records."""
    return f"{os.getpid()} {start_time(os.getpid())}"


def running(pid: int, started: str) -> bool:
    """Whether process ``pid`` runs and is the one that started at ``started``."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    except OSError:
        return False
    return started == UNKNOWN_START or start_time(pid) == started

"""Copies of worksheets handed to the system's PDF viewer: patient data, so they are the user's
only (0600 in a 0700 folder), kept per process, removed when the program exits, and those of
programs that ended without clean-up are removed at the next start."""

from __future__ import annotations

import atexit
import contextlib
import shutil
from pathlib import Path

from desktop import processes
from models.atomic import atomic_write_bytes, private_folder
from models.paths import user_data_dir

_CLEAN_UP_AT_EXIT: list[bool] = []


def root() -> Path:
    return user_data_dir() / "viewer"


def own_folder() -> Path:
    return root() / processes.this_process().replace(" ", "-")


def write(name: str, data: bytes) -> Path:
    """Write a copy for the viewer; it goes away when this process exits."""
    private_folder(user_data_dir())
    private_folder(root())
    folder = private_folder(own_folder())
    path = folder / Path(name).name
    atomic_write_bytes(path, data, private=True)
    if not _CLEAN_UP_AT_EXIT:
        atexit.register(remove_own)
        _CLEAN_UP_AT_EXIT.append(True)
    return path


def remove_own() -> None:
    shutil.rmtree(own_folder(), ignore_errors=True)


def remove_stale() -> None:
    """Remove the copies of processes that are gone (and loose copies of older versions)."""
    if not root().is_dir():
        return
    for entry in root().iterdir():
        if entry.is_dir() and not _owner_running(entry.name):
            shutil.rmtree(entry, ignore_errors=True)
        elif not entry.is_dir():
            with contextlib.suppress(OSError):
                entry.unlink()


def _owner_running(name: str) -> bool:
    pid, _, started = name.partition("-")
    return pid.isdigit() and processes.running(int(pid), started or processes.UNKNOWN_START)

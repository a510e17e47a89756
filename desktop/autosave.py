"""Autosave and crash recovery: each window's dirty case, saved now and then to its own slot.

A slot is two files in ``<user data>/autosave/``: ``<id>.json`` (the case) and ``<id>.lock``
(the process id and its start time). A slot is live while its process runs and its window
exists; only slots whose owner is gone are offered for recovery, so one window never sees
another's live work. The folder is the user's only (0700), the files too (0600).
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop import processes
from models.atomic import atomic_write_text, private_folder
from models.case import Case, CaseError, parse_case
from models.paths import user_data_dir

FORMAT = "worksheet-autosave"
LEGACY_NAME = "autosave.json"  # the single slot of earlier versions, offered once if found

_LIVE: set[str] = set()
"""Slots of this process whose window still exists."""


def autosave_dir() -> Path:
    return user_data_dir() / "autosave"


@dataclass(frozen=True)
class Recovered:
    case: Case
    origin: Path | None
    saved_at: str
    path: Path

    @property
    def name(self) -> str:
        return self.origin.name if self.origin else "an untitled case"


class Slot:
    """One window's autosave. ``release()`` when the window goes away cleanly."""

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex
        self.path = autosave_dir() / f"{self.id}.json"
        _LIVE.add(self.id)

    def write(self, case: Case, origin: Path | None) -> Path:
        private_folder(user_data_dir())
        private_folder(autosave_dir())
        lock = self.path.with_suffix(".lock")
        if not lock.exists():
            atomic_write_text(lock, processes.this_process() + "\n", private=True)
        document = {
            "format": FORMAT,
            "version": 1,
            "saved_at": datetime.now().isoformat(timespec="seconds"),
            "origin": str(origin) if origin else None,
            "case": case.model_dump(mode="json"),
        }
        atomic_write_text(
            self.path, json.dumps(document, indent=2, ensure_ascii=False) + "\n", private=True
        )
        return self.path

    def discard(self) -> None:
        """The case was saved or dropped: nothing to recover from this window."""
        discard(self.path)

    def release(self) -> None:
        self.discard()
        _LIVE.discard(self.id)


def release_slot(slot_id: str) -> None:
    """The window is gone without clean-up (as in a crash): its slot becomes recoverable."""
    _LIVE.discard(slot_id)


def orphans() -> list[Recovered]:
    """Autosaved cases whose window or process is gone, newest first. Unreadable ones are
    removed."""
    found: list[Recovered] = []
    for path in _candidates():
        if _owner_alive(path.with_suffix(".lock")):
            continue
        recovered = read(path)
        if recovered is None:
            discard(path)
        else:
            found.append(recovered)
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


def _candidates() -> list[Path]:
    folder = autosave_dir()
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    legacy = user_data_dir() / LEGACY_NAME
    return [*paths, legacy] if legacy.is_file() else paths


def read(path: Path) -> Recovered | None:
    """The autosaved case in one file, or None when it cannot be read."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            return None
        case = parse_case(json.dumps(document["case"]), str(path))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, CaseError):
        return None
    origin = document.get("origin")
    return Recovered(
        case, Path(origin) if origin else None, str(document.get("saved_at", "")), path
    )


def exists() -> bool:
    """Whether any autosave (live or not) is on disk."""
    return bool(_candidates())


def discard(path: Path) -> None:
    for item in (path, path.with_suffix(".lock")):
        with contextlib.suppress(OSError):
            item.unlink()


def _owner_alive(lock: Path) -> bool:
    try:
        pid_text, started = lock.read_text(encoding="ascii").split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return lock.stem in _LIVE
    return processes.running(pid, started)

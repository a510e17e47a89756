"""Autosave and crash recovery: the dirty case, saved now and then to the user's data folder."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from models.atomic import atomic_write_text
from models.case import Case, CaseError, parse_case
from models.paths import user_data_dir

FORMAT = "worksheet-autosave"


def autosave_path() -> Path:
    return user_data_dir() / "autosave.json"


@dataclass(frozen=True)
class Recovered:
    case: Case
    origin: Path | None
    saved_at: str


def write(case: Case, origin: Path | None) -> Path:
    path = autosave_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "format": FORMAT,
        "version": 1,
        "saved_at": datetime.now().isoformat(timespec="seconds"),
        "origin": str(origin) if origin else None,
        "case": case.model_dump(mode="json"),
    }
    atomic_write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


def read() -> Recovered | None:
    """The autosaved case, or None when there is none or it cannot be read."""
    path = autosave_path()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            return None
        case = parse_case(json.dumps(document["case"]), str(path))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, CaseError):
        return None
    origin = document.get("origin")
    return Recovered(case, Path(origin) if origin else None, str(document.get("saved_at", "")))


def exists() -> bool:
    return autosave_path().is_file()


def discard() -> None:
    with contextlib.suppress(OSError):
        autosave_path().unlink()

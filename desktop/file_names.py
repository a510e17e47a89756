"""Names and folders the file dialogs suggest."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.case import Case

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def suggested_case_name(case: Case) -> str:
    """``<account>-<date of service>-<family>.json``, leaving out what is not entered yet."""
    parts = [case.patient.account or "", case.date_of_service.isoformat()
             if case.date_of_service else "", case.family or "case"]
    cleaned = [UNSAFE.sub("_", p).strip("._-") for p in parts]
    return "-".join(p for p in cleaned if p) + ".json"


def last_folder() -> Path:
    """The folder of the last case opened or saved (the home folder the first time)."""
    from desktop.settings import store

    value = str(store().value("last_folder", "") or "")
    folder = Path(value) if value else Path.home()
    return folder if folder.is_dir() else Path.home()


def remember_folder(path: Path) -> None:
    from desktop.settings import store

    settings = store()
    settings.setValue("last_folder", str(path.parent))
    settings.sync()

"""Per-user preferences (QSettings, INI format). The dialog is in settings_dialog."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANIZATION = "cell-therapy-worksheet"
APPLICATION = "worksheet"
MAX_RECENT = 8
CLAIM_TYPES = ("professional", "institutional")


def store() -> QSettings:
    """The settings file (INI, per user); tests point QSettings.setPath elsewhere."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


@dataclass
class Preferences:
    coder: str = ""
    facility: str = ""
    default_payer: str = ""
    default_claim_type: str = ""
    appearance: str = "system"
    """system (follow the operating system), light or dark."""
    store: str = ""
    """The case library: empty for the per-user file, or postgresql://… for a team."""

    @classmethod
    def load(cls) -> Preferences:
        s = store()
        return cls(
            coder=str(s.value("coder", "") or ""),
            facility=str(s.value("facility", "") or ""),
            default_payer=str(s.value("default_payer", "") or ""),
            default_claim_type=str(s.value("default_claim_type", "") or ""),
            appearance=str(s.value("appearance", "system") or "system"),
            store=str(s.value("store", "") or ""),
        )

    def save(self) -> None:
        s = store()
        s.setValue("coder", self.coder)
        s.setValue("facility", self.facility)
        s.setValue("default_payer", self.default_payer)
        s.setValue("default_claim_type", self.default_claim_type)
        s.setValue("appearance", self.appearance)
        s.setValue("store", self.store)
        s.sync()


def recent_files() -> list[Path]:
    value = store().value("recent", [])
    if isinstance(value, str):
        value = [value] if value else []
    items = value if isinstance(value, list | tuple) else []
    return [Path(str(v)) for v in items]


def add_recent_file(path: Path) -> None:
    paths = [p for p in recent_files() if p != path]
    paths.insert(0, path)
    s = store()
    s.setValue("recent", [str(p) for p in paths[:MAX_RECENT]])
    s.sync()


def clear_recent_files() -> None:
    s = store()
    s.remove("recent")
    s.sync()

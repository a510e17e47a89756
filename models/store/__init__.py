"""The case library: every saved version of every case, with who, when and its check.

One interface (:class:`CaseStore`), two backends: SQLite, the embedded per-user default,
and PostgreSQL for a team. Which one: `--store URL`, else WORKSHEET_STORE, else the
per-user SQLite file. No Qt here; the coder stays pure (the store keeps what it returned).
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.paths import user_data_dir
from models.store.base import CaseStore
from models.store.errors import NoSuchCase, StaleCase, StoreError, StoreTooNew, StoreUnavailable
from models.store.records import CaseFilter, CaseHistory, CaseRow, NewVersion, StoredCase

if TYPE_CHECKING:
    from models.case import Case
    from models.store.summary import CheckSummary, describe_changes, format_changes, summarize

__all__ = [
    "CaseFilter",
    "CaseHistory",
    "CaseRow",
    "CaseStore",
    "CheckSummary",
    "NewVersion",
    "NoSuchCase",
    "StaleCase",
    "StoreError",
    "StoreTooNew",
    "StoreUnavailable",
    "StoredCase",
    "current_user",
    "default_store_path",
    "describe_changes",
    "format_changes",
    "new_version",
    "open_store",
    "store_url",
    "summarize",
]

_SUMMARY_NAMES = ("CheckSummary", "describe_changes", "format_changes", "summarize")


def __getattr__(name: str) -> Any:
    """The check summary's names, imported when first asked for: they need pydantic, and
    listing or showing stored cases does not."""
    if name in _SUMMARY_NAMES:
        from models.store import summary

        return getattr(summary, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


STORE_ENV = "WORKSHEET_STORE"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def default_store_path() -> Path:
    return user_data_dir() / "cases.sqlite"


def store_url(given: str | None = None) -> str:
    """The store to use: the one given, else WORKSHEET_STORE, else the per-user file."""
    return given or os.environ.get(STORE_ENV) or str(default_store_path())


def open_store(url: str | None = None) -> CaseStore:
    """Open (and create or migrate) the store; StoreUnavailable says why it cannot be."""
    target = store_url(url)
    if target.startswith(POSTGRES_SCHEMES):
        from models.store.postgresql import PostgresStore

        return PostgresStore(target)
    if "://" in target and not target.startswith("sqlite:///"):
        scheme = target.split("://", 1)[0]
        raise StoreUnavailable(
            f"{scheme}:// is not a case store: use postgresql://… for a team's server, "
            "or a file path (sqlite:///path) for a file of your own"
        )
    from models.store.sqlite import SqliteStore

    path = Path(target.removeprefix("sqlite://"))
    if path.is_dir():
        raise StoreUnavailable(f"{path} is a folder: a case store is a file")
    return SqliteStore(path)


def current_user(coder: str = "") -> str:
    """Who saves: the coder's name from the settings, else WORKSHEET_CODER, else the OS user."""
    if coder.strip():
        return coder.strip()
    named = os.environ.get("WORKSHEET_CODER", "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _search_text(case: Case, summary: CheckSummary) -> str:
    words = [case.patient.account or "", case.family, case.payer or "",
             str(case.date_of_service or ""), *case.diagnoses,
             *(line.code for line in summary.lines), case.rendering_taxonomy or ""]
    return " ".join(w for w in words if w).lower()


def new_version(case: Case, summary: CheckSummary, text: str | None = None) -> NewVersion:
    """What a save writes; `text` keeps a file's own JSON text (default: the case's)."""
    return NewVersion(
        case_text=text if text is not None else case.to_file_text(),
        family=case.family,
        payer=case.payer or "",
        account=case.patient.account or "",
        date_of_service=case.date_of_service.isoformat() if case.date_of_service else "",
        search=_search_text(case, summary),
        summary=summary,
    )

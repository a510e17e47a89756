"""The table of loaded releases inside a reference database: which file gave which release
of which kind, and whether a newer release of the same kind and set supersedes it."""

from __future__ import annotations

import sqlite3
from datetime import date

from models.official.common import FileInfo, iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS official_releases (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    release TEXT NOT NULL,
    label TEXT NOT NULL,
    edit_set TEXT,
    effective_from TEXT,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'in use'
)
"""


def record(
    conn: sqlite3.Connection, info: FileInfo, file: str, sha256: str, status: str = "in use"
) -> int:
    conn.execute(SCHEMA)
    cursor = conn.execute(
        "INSERT INTO official_releases "
        "(kind, release, label, edit_set, effective_from, file, sha256, rows, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            info.kind,
            info.release,
            info.label,
            info.edit_set,
            iso(info.effective_from),
            file,
            sha256,
            info.rows,
            status,
        ),
    )
    return int(cursor.lastrowid or 0)


def in_use(conn: sqlite3.Connection, kind: str, edit_set: str | None) -> list[tuple[str, str]]:
    """(release, effective_from) of the releases of a kind and set that are in use."""
    conn.execute(SCHEMA)
    rows = conn.execute(
        "SELECT release, coalesce(effective_from, '') FROM official_releases "
        "WHERE kind = ? AND coalesce(edit_set, '') = ? AND status = 'in use'",
        (kind, edit_set or ""),
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def supersede(conn: sqlite3.Connection, kind: str, edit_set: str | None, older_than: date) -> None:
    conn.execute(SCHEMA)
    conn.execute(
        "UPDATE official_releases SET status = 'superseded' "
        "WHERE kind = ? AND coalesce(edit_set, '') = ? AND effective_from < ?",
        (kind, edit_set or "", older_than.isoformat()),
    )


def newer_in_use(conn: sqlite3.Connection, info: FileInfo) -> bool:
    """Whether a release of the same kind and set newer than this one is already in use."""
    start = iso(info.effective_from) or ""
    return any(eff > start for _, eff in in_use(conn, info.kind, info.edit_set))

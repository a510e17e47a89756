"""A site's licensed CPT descriptors (CSV code,descriptor): they replace the project's own
short descriptors of the CPT codes in the reference."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from models.official import releases
from models.official.common import FileInfo, OfficialFileError

KIND = "cpt"


def descriptors(path: Path) -> dict[str, str]:
    from models.reference import SourceDataError, read_licensed_descriptors

    try:
        found = read_licensed_descriptors(path)
    except SourceDataError as exc:
        raise OfficialFileError(path, None, str(exc).removeprefix(f"{path}: ")) from None
    if not found:
        raise OfficialFileError(path, None, "no descriptors: expected rows 'code,descriptor'")
    return found


def describe(path: Path, effective: date | None, edit_set: str | None) -> FileInfo:
    release = str(effective.year) if effective else "licensed"
    return FileInfo(KIND, release, effective, None, len(descriptors(path)))


def apply(conn: sqlite3.Connection, path: Path, info: FileInfo, sha256: str, name: str) -> None:
    found = descriptors(path)
    releases.record(conn, info, name, sha256)
    conn.executemany(
        "UPDATE codes SET descriptor = ?, descriptor_origin = 'licensed CPT file' "
        "WHERE code = ? AND system IN ('CPT-I', 'CPT-III')",
        ((text, code) for code, text in found.items()),
    )
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search'").fetchone() is None:
        return
    conn.execute(
        "UPDATE search SET description = (SELECT descriptor FROM codes WHERE codes.code = "
        "search.code) WHERE kind = 'code'"
    )
    conn.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")

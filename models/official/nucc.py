"""The NUCC health care provider taxonomy code set, CSV in its current layout (Code,
Grouping, Classification, Specialization, Definition, Notes, Display Name, Section). A load
replaces the shipped list."""

from __future__ import annotations

import csv
import re
import sqlite3
from datetime import date
from pathlib import Path

from models.official import releases
from models.official.common import FileInfo, OfficialFileError, text_encoding

KIND = "nucc"
_CODE = re.compile(r"[0-9]{3}[0-9A-Z]{6}X")
COLUMNS = ("code", "grouping", "classification", "specialization", "display name", "section")
EXPECTED = (
    "expected the NUCC taxonomy CSV: a header Code, Grouping, Classification, Specialization, "
    "Definition, Notes, Display Name, Section, then one row per code such as 207R00000X"
)

Taxonomy = tuple[int, str, str, str]
"""(line, code, display name, section)"""


def version_from_name(path: Path) -> str | None:
    """'nucc_taxonomy_250.csv' is version 25.0."""
    found = re.search(r"(\d{2})(\d)(?:\D*)$", path.stem)
    return f"{found.group(1)}.{found.group(2)}" if found else None


def describe(path: Path, effective: date | None, edit_set: str | None) -> FileInfo:
    count = len(rows(path))
    version = version_from_name(path) or (effective.isoformat() if effective else "loaded")
    return FileInfo(KIND, version, effective, None, count)


def rows(path: Path) -> list[Taxonomy]:
    encoding = text_encoding(path)
    try:
        handle = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise OfficialFileError(path, None, f"cannot read the file ({exc.strerror})") from None
    found: dict[str, Taxonomy] = {}
    with handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip().lower() for h in next(reader, [])]
            if "\0" in "".join(header) or not set(COLUMNS) <= set(header):
                raise OfficialFileError(path, 1, EXPECTED)
            at = {name: header.index(name) for name in COLUMNS}
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                row = _row(path, reader.line_num, values, at, len(header))
                if row[1] in found:
                    raise OfficialFileError(
                        path,
                        row[0],
                        f"duplicate key: {row[1]} is already at line {found[row[1]][0]}",
                    )
                found[row[1]] = row
        except csv.Error as exc:
            raise OfficialFileError(path, reader.line_num, f"malformed CSV ({exc})") from None
    if not found:
        raise OfficialFileError(path, None, f"no taxonomy rows (empty or truncated?); {EXPECTED}")
    return list(found.values())


def _row(path: Path, number: int, values: list[str], at: dict[str, int], width: int) -> Taxonomy:
    if len(values) != width:
        raise OfficialFileError(
            path, number, f"malformed row: expected {width} fields, found {len(values)}"
        )
    code = values[at["code"]].strip()
    if not _CODE.fullmatch(code):
        raise OfficialFileError(
            path, number, f"Code: expected a taxonomy code such as 207R00000X, found {code!r}"
        )
    name = values[at["display name"]].strip() or " ".join(
        v for v in (values[at["classification"]].strip(), values[at["specialization"]].strip()) if v
    )
    section = values[at["section"]].strip().lower().replace(" ", "-") or "individual"
    return (number, code, name, section)


def apply(conn: sqlite3.Connection, path: Path, info: FileInfo, sha256: str, name: str) -> None:
    """The loaded list replaces the shipped one (and an older loaded one); the reference
    build makes the look-up again from it."""
    found = rows(path)
    releases.supersede(conn, KIND, None, date.max)
    releases.record(conn, info, name, sha256)
    conn.execute("DELETE FROM taxonomy")
    conn.executemany(
        "INSERT INTO taxonomy (code, display_name, section) VALUES (?, ?, ?)",
        (row[1:] for row in found),
    )

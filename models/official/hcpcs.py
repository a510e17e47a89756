"""The CMS alpha-numeric HCPCS file (Level II codes and modifiers): fixed-width records of
320 characters, a first record per code or modifier and continuation records that carry on
its long description; a disclaimer may come first.

Positions (1-based): HCPC 1-5 (modifiers right-justified), SEQNUM 6-10, RECID 11 (3 code,
4 its continuation, 7 modifier, 8 its continuation), long description 12-91, short
description 92-119, coverage code 230, ADD_DT 269-276, ACT_EFF_DT 277-284, TERM_DT 285-292,
ACTION_CD 293.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from models.official import releases
from models.official.common import FileInfo, OfficialFileError, text_lines, yyyymmdd

KIND = "hcpcs"
RECORD_LENGTH = 276  # through ADD_DT; CMS pads records to 320 (later fields may be blank)
_FIRST = {"3": "code", "7": "modifier"}
_CONTINUED = {"4": "code", "8": "modifier"}
_CODE = re.compile(r"[A-Z][0-9]{4}")
_MODIFIER = re.compile(r"   [0-9A-Z]{2}")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EXPECTED = (
    "expected the CMS alpha-numeric HCPCS file: fixed-width records with the code in columns "
    "1-5, a sequence number in 6-10 and the record id (3, 4, 7 or 8) in column 11"
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS hcpcs_codes (
    code TEXT PRIMARY KEY, kind TEXT NOT NULL, long_description TEXT NOT NULL,
    short_description TEXT NOT NULL, coverage TEXT NOT NULL, add_date TEXT,
    action_effective TEXT, term_date TEXT, action_code TEXT NOT NULL, release TEXT NOT NULL,
    line INTEGER NOT NULL
)
"""


CODE_SET_SCHEMA = """
CREATE TABLE IF NOT EXISTS code_set_codes (
    code TEXT NOT NULL, code_system TEXT NOT NULL, code_set TEXT NOT NULL,
    effective_from TEXT, effective_to TEXT
)
"""


@dataclass
class Record:
    line: int
    code: str
    kind: str
    long_description: str
    short_description: str
    coverage: str
    add_date: str | None
    action_effective: str | None
    term_date: str | None
    action_code: str


def release_from_name(path: Path) -> tuple[str, date] | None:
    """'HCPC2026_OCT_ANWEB.txt' → ('2026 Oct', 2026-10-01); no month: January."""
    found = re.search(r"hcpc(\d{4})(?:[_-]([a-z]{3}))?", path.name.lower())
    if found is None:
        return None
    month = 1
    if found.group(2) and found.group(2).title() in _MONTHS:
        month = _MONTHS.index(found.group(2).title()) + 1
    return f"{found.group(1)} {_MONTHS[month - 1]}", date(int(found.group(1)), month, 1)


def describe(path: Path, effective: date | None, edit_set: str | None) -> FileInfo:
    count = len(records(path))
    named = release_from_name(path)
    if effective is not None:
        named = (f"{effective.year} {_MONTHS[effective.month - 1]}", effective)
    if named is None:
        raise OfficialFileError(
            path,
            None,
            "cannot tell the release: CMS names the file HCPC<year>[_<month>]_…; give "
            "--effective YYYY-MM-DD",
        )
    return FileInfo(KIND, named[0], named[1], None, count)


def records(path: Path) -> list[Record]:
    found: dict[str, Record] = {}
    last: Record | None = None
    for number, text in text_lines(path):
        record_id = text[10:11]
        is_record = len(text) >= 11 and text[5:10].isdigit() and record_id in "3478"
        if not is_record:
            if found and text.strip():
                raise OfficialFileError(path, number, f"malformed record; {EXPECTED}")
            if number == 1 and text.lstrip().startswith(("<", "PK")):
                raise OfficialFileError(path, 1, f"this is not a text HCPCS file; {EXPECTED}")
            continue
        code = _code(path, number, text, record_id)
        if record_id in _CONTINUED:
            if last is None or last.code != code:
                raise OfficialFileError(
                    path, number, f"a continuation record of {code} without its first record"
                )
            last.long_description += " " + text[11:91].strip()
            continue
        if code in found:
            raise OfficialFileError(
                path, number, f"duplicate key: {code} already starts at line {found[code].line}"
            )
        last = found[code] = _first_record(path, number, text, code, _FIRST[record_id])
    if not found:
        raise OfficialFileError(path, None, f"no HCPCS records (empty or truncated?); {EXPECTED}")
    return list(found.values())


def _code(path: Path, number: int, text: str, record_id: str) -> str:
    kind = _FIRST.get(record_id) or _CONTINUED[record_id]
    pattern = _CODE if kind == "code" else _MODIFIER
    if not pattern.fullmatch(text[:5]):
        wanted = "a letter and four digits" if kind == "code" else "a right-justified modifier"
        raise OfficialFileError(
            path,
            number,
            f"columns 1-5: expected {wanted} for record id {record_id}, found {text[:5]!r}",
        )
    return text[:5].strip()


def _first_record(path: Path, number: int, text: str, code: str, kind: str) -> Record:
    if len(text) < RECORD_LENGTH:
        raise OfficialFileError(
            path,
            number,
            f"truncated record: expected {RECORD_LENGTH} characters or more, found {len(text)}",
        )
    text = text.ljust(320)
    return Record(
        line=number,
        code=code,
        kind=kind,
        long_description=text[11:91].strip(),
        short_description=text[91:119].strip(),
        coverage=text[229].strip(),
        add_date=_date(path, number, text[268:276], "ADD_DT"),
        action_effective=_date(path, number, text[276:284], "ACT_EFF_DT"),
        term_date=_date(path, number, text[284:292], "TERM_DT"),
        action_code=text[292].strip(),
    )


def _date(path: Path, number: int, text: str, field: str) -> str | None:
    if not text.strip():
        return None
    return yyyymmdd(path, number, text, field).isoformat()


def apply(conn: sqlite3.Connection, path: Path, info: FileInfo, sha256: str, name: str) -> None:
    """The newest release loaded is the code set in use (each file lists every code)."""
    conn.execute(SCHEMA)
    if releases.newer_in_use(conn, info):
        releases.record(conn, info, name, sha256, status="superseded")
        return
    assert info.effective_from is not None
    conn.execute("DELETE FROM hcpcs_codes")
    releases.supersede(conn, KIND, None, info.effective_from)
    releases.record(conn, info, name, sha256)
    found = records(path)
    conn.executemany(
        "INSERT INTO hcpcs_codes VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            (
                r.code,
                r.kind,
                r.long_description,
                r.short_description,
                r.coverage,
                r.add_date,
                r.action_effective,
                r.term_date,
                r.action_code,
                info.release,
                r.line,
            )
            for r in found
        ),
    )
    _record_code_set(conn, info, found)


def _record_code_set(conn: sqlite3.Connection, info: FileInfo, found: list[Record]) -> None:
    """The codes with the dates they exist, in the table of loaded code sets the coder asks
    whether a code exists on a date (a complete HCPCS Level II set)."""
    from models.reference import record_code_set

    conn.execute(CODE_SET_SCHEMA)
    conn.execute("DELETE FROM code_set_codes WHERE code_system = 'HCPCS'")
    record_code_set(
        conn,
        "HCPCS",
        f"HCPCS file {info.release}",
        ((r.code, r.add_date, r.term_date) for r in found if r.kind == "code"),
    )

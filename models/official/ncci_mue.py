"""NCCI medically unlikely edits (MUE): the practitioner and outpatient hospital tables,
CSV as CMS ships them (a copyright preamble, then HCPCS/CPT code, "<setting> Services MUE
Values", MUE Adjudication Indicator, MUE Rationale)."""

from __future__ import annotations

import csv
import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from models.official import releases
from models.official.common import CMS_TEXT_ENCODING, FileInfo, OfficialFileError, quarter_of

KIND = "ncci-mue"
_CODE = re.compile(r"[0-9A-Z]{5}")
_MAI = re.compile(r"([123])\b.*")
_HEADER_SETS = {
    "practitioner": "practitioner",
    "outpatient hospital": "outpatient",
    "facility": "outpatient",
    "dme": "dme",
}
EXPECTED = (
    "expected an NCCI MUE table (CSV): a header 'HCPCS/CPT Code', '<setting> Services MUE "
    "Values', 'MUE Adjudication Indicator', 'MUE Rationale', then one row per code"
)

Limit = tuple[int, str, int, int, str, str]
"""(line, code, units, adjudication indicator 1/2/3, indicator text, rationale)"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS ncci_mue (
    edit_set TEXT NOT NULL,
    release TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    code TEXT NOT NULL,
    units INTEGER NOT NULL,
    mai INTEGER NOT NULL,
    mai_text TEXT NOT NULL,
    rationale TEXT NOT NULL,
    part INTEGER NOT NULL,
    line INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ncci_mue_code ON ncci_mue (code, edit_set, release);
"""


def effective_from_name(path: Path) -> date | None:
    """'MCR_MUE_PractitionerServices_Eff_10-01-2026.csv' or '…2026-q4…'."""
    name = path.name.lower()
    found = re.search(r"(\d{2})[-_](\d{2})[-_](\d{4})", name)
    if found:
        try:
            return date(int(found.group(3)), int(found.group(1)), int(found.group(2)))
        except ValueError:
            return None
    found = re.search(r"(\d{4})[-_ ]?q([1-4])", name)
    if found:
        return date(int(found.group(1)), 3 * int(found.group(2)) - 2, 1)
    return None


def effective_from_preamble(path: Path) -> date | None:
    """A date such as 'effective 10/01/2026' in the rows above the column header."""
    with path.open(encoding=CMS_TEXT_ENCODING, errors="replace") as handle:
        for _, line in zip(range(30), handle, strict=False):
            if "hcpcs" in line.lower() and "mue" in line.lower():
                return None
            found = re.search(r"effective\D{0,20}(\d{1,2})/(\d{1,2})/(\d{4})", line, re.IGNORECASE)
            if found:
                month, day, year = (int(g) for g in found.groups())
                try:
                    return date(year, month, day)
                except ValueError:
                    return None
    return None


def describe(path: Path, effective: date | None, edit_set: str | None) -> FileInfo:
    header_set, count = None, 0
    for item in _rows(path):
        if isinstance(item, str):
            header_set = item
        else:
            count += 1
    assert header_set is not None
    start = effective or effective_from_name(path) or effective_from_preamble(path)
    if start is None:
        raise OfficialFileError(
            path,
            None,
            "cannot tell the quarter: CMS names the tables with their effective date "
            "(…_Eff_10-01-2026.csv); give --effective YYYY-MM-DD",
        )
    if edit_set and edit_set != header_set:
        raise OfficialFileError(
            path, None, f"the header names the {header_set} table; --set says {edit_set}"
        )
    return FileInfo(KIND, quarter_of(start), start, header_set, count)


def limits(path: Path) -> Iterator[Limit]:
    for item in _rows(path):
        if not isinstance(item, str):
            yield item


def _rows(path: Path) -> Iterator[Limit | str]:
    """The table's set (from its header) first, then its rows."""
    try:
        handle = path.open(encoding=CMS_TEXT_ENCODING, newline="")
    except OSError as exc:
        raise OfficialFileError(path, None, f"cannot read the file ({exc.strerror})") from None
    reader = csv.reader(handle)
    header_set: str | None = None
    count = 0
    try:
        with handle:
            for values in reader:
                number = reader.line_num
                if header_set is None:
                    header_set = _header_set(path, number, values)
                    if header_set is not None:
                        yield header_set
                    continue
                if not any(v.strip() for v in values):
                    continue
                count += 1
                yield _limit(path, number, values)
    except UnicodeDecodeError:
        raise OfficialFileError(
            path, reader.line_num + 1, f"unexpected encoding: expected {CMS_TEXT_ENCODING} text"
        ) from None
    except csv.Error as exc:
        raise OfficialFileError(path, reader.line_num, f"malformed CSV ({exc})") from None
    if header_set is None:
        raise OfficialFileError(path, None, f"no MUE column header found; {EXPECTED}")
    if not count:
        raise OfficialFileError(path, None, "no MUE rows (an empty or truncated file?)")


def _header_set(path: Path, number: int, values: list[str]) -> str | None:
    if number == 1 and values and ("\0" in values[0] or values[0].startswith("PK")):
        raise OfficialFileError(path, 1, f"unexpected encoding or an XLSX/zip file; {EXPECTED}")
    if values and _CODE.fullmatch(values[0].strip()):
        raise OfficialFileError(path, number, f"a data row before the column header; {EXPECTED}")
    if len(values) < 3 or "hcpcs" not in values[0].lower() or "mue" not in values[1].lower():
        return None
    title = values[1].lower()
    for words, edit_set in _HEADER_SETS.items():
        if words in title:
            if edit_set == "dme":
                raise OfficialFileError(
                    path,
                    number,
                    "this is the DME supplier MUE table; this program checks "
                    "practitioner and outpatient hospital claims",
                )
            return edit_set
    raise OfficialFileError(
        path, number, f"the MUE column {values[1]!r} names no practitioner or outpatient table"
    )


def _limit(path: Path, number: int, values: list[str]) -> Limit:
    fields = [v.strip() for v in values]
    while len(fields) > 4 and not fields[-1]:
        fields.pop()
    if len(fields) != 4:
        raise OfficialFileError(
            path, number, f"malformed row: expected 4 comma-separated fields, found {len(fields)}"
        )
    code, units, indicator, rationale = fields
    if not _CODE.fullmatch(code):
        raise OfficialFileError(
            path, number, f"HCPCS/CPT code: expected a 5-character code, found {code!r}"
        )
    if not units.isdigit():
        raise OfficialFileError(
            path, number, f"MUE value: expected a whole number, found {units!r}"
        )
    mai = _MAI.fullmatch(indicator)
    if mai is None:
        raise OfficialFileError(
            path, number, f"MUE adjudication indicator: expected 1, 2 or 3 …, found {indicator!r}"
        )
    return (number, code, int(units), int(mai.group(1)), indicator, rationale)


def apply(conn: sqlite3.Connection, path: Path, info: FileInfo, sha256: str, name: str) -> None:
    """Each quarter stays: the one in force on a date of service answers for it."""
    conn.executescript(SCHEMA)
    assert info.effective_from is not None
    part = releases.record(conn, info, name, sha256)
    start = info.effective_from.strftime("%Y%m%d")
    rows = (
        (info.edit_set, info.release, start, code, units, mai, text, why, part, line)
        for line, code, units, mai, text, why in limits(path)
    )
    try:
        conn.executemany(
            "INSERT INTO ncci_mue (edit_set, release, effective_from, code, units, mai, mai_text, "
            "rationale, part, line) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    except sqlite3.IntegrityError:
        _report_duplicate(conn, path, info)


def _report_duplicate(conn: sqlite3.Connection, path: Path, info: FileInfo) -> None:
    seen: dict[str, int] = {}
    for line, code, *_ in limits(path):
        if code in seen:
            raise OfficialFileError(
                path, line, f"duplicate key: {code} already has an MUE at line {seen[code]}"
            )
        seen[code] = line
    raise OfficialFileError(
        path,
        None,
        f"duplicate key: the {info.edit_set} MUE table of {info.release} is already loaded",
    )

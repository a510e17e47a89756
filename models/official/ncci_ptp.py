"""NCCI procedure-to-procedure (PTP) edits: the practitioner (ccipra…) and hospital
outpatient (ccioph…) files, tab-separated, one or several parts per quarter.

Data row: Column 1, Column 2, '*' when in existence prior to 1996, effective date
(YYYYMMDD), deletion date (YYYYMMDD or '*'), modifier indicator (0, 1, 9), rationale.
Preamble rows (AMA copyright) and the column header come first.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from models.official import releases
from models.official.common import (
    CMS_TEXT_ENCODING,
    FileInfo,
    OfficialFileError,
    quarter_of,
    text_lines,
)

KIND = "ncci-ptp"
_CODE = re.compile(r"[0-9A-Z]{5}")
_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_VERSION = re.compile(r"v(\d{2})(\d)r\d+", re.IGNORECASE)
_SET_PREFIXES = {"ccipra": "practitioner", "ccioph": "outpatient"}
EXPECTED_HEADER = (
    "expected an NCCI PTP edit file: preamble rows, a tab-separated header with 'Column 1' and "
    "'Column 2', then rows code<TAB>code<TAB>*<TAB>YYYYMMDD<TAB>YYYYMMDD or *<TAB>0/1/9<TAB>rationale"
)

Edit = tuple[int, str, str, bool, str, str | None, int, str]
"""(line, column 1, column 2, prior to 1996, effective, deletion (YYYYMMDD), modifier indicator,
rationale)"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS ncci_ptp (
    edit_set TEXT NOT NULL,
    release TEXT NOT NULL,
    column1 TEXT NOT NULL,
    column2 TEXT NOT NULL,
    prior_1996 INTEGER NOT NULL,
    effective TEXT NOT NULL,
    deletion TEXT,
    modifier_indicator INTEGER NOT NULL,
    rationale TEXT NOT NULL,
    part INTEGER NOT NULL,
    line INTEGER NOT NULL
);
"""
INDEX = "CREATE UNIQUE INDEX ncci_ptp_pair ON ncci_ptp (edit_set, column1, column2, effective)"


def set_from_name(path: Path) -> str | None:
    return _SET_PREFIXES.get(path.name[:6].lower())


def quarter_from_name(path: Path) -> str | None:
    """'ccipra-v323r0-f1.txt' is version 32.3: 2026 (1994 + 32), fourth quarter."""
    match = _VERSION.search(path.name)
    if match is None or int(match.group(2)) > 3:
        return None
    return f"{1994 + int(match.group(1))}Q{int(match.group(2)) + 1}"


def describe(path: Path, effective: date | None, edit_set: str | None) -> FileInfo:
    """Every row checked."""
    return _info(path, effective, edit_set, _count_valid(path))


def describe_quickly(path: Path, effective: date | None, edit_set: str | None) -> FileInfo:
    """The set, the quarter and the rows counted without checking them: for a load, whose
    build reads every row anyway (and refuses a bad one, changing nothing)."""
    return _info(path, effective, edit_set, _count_rows(path))


def _count_rows(path: Path) -> int:
    starts = re.compile(rb"^[0-9A-Z]{5}\t[0-9A-Z]{5}\t", re.MULTILINE)
    count, carry = 0, b""
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 22):
                block = carry + block
                cut = block.rfind(b"\n") + 1
                count += len(starts.findall(block, 0, cut))
                carry = block[cut:]
    except OSError as exc:
        raise OfficialFileError(path, None, f"cannot read the file ({exc.strerror})") from None
    count += len(starts.findall(carry))
    if not count:
        return sum(1 for _ in edits(path))  # let it say what is wrong
    return count


def _info(path: Path, effective: date | None, edit_set: str | None, count: int) -> FileInfo:
    chosen_set = edit_set or set_from_name(path)
    if chosen_set is None:
        raise OfficialFileError(
            path,
            None,
            "cannot tell the edit set: CMS names the files ccipra… (practitioner) and ccioph… "
            "(hospital outpatient); give --set practitioner or --set outpatient",
        )
    release = quarter_of(effective) if effective else quarter_from_name(path)
    if release is None:
        raise OfficialFileError(
            path,
            None,
            "cannot tell the quarter: CMS names the files with their version (ccipra-v323r0…); "
            "give --effective YYYY-MM-DD",
        )
    start = effective or date(int(release[:4]), 3 * int(release[-1]) - 2, 1)
    return FileInfo(KIND, release, start, chosen_set, count)


_ROW = re.compile(
    r"([0-9A-Z]{5})\t([0-9A-Z]{5})\t(\*?)\t((?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
    r"\t((?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|\*|)\t([019])\t([^\t]*[^\t\s][^\t]*)\t*"
)


def edits(path: Path) -> Iterator[Edit]:
    """The file's edits, streamed; one regular expression checks a whole row (the slow,
    field-by-field check runs only to explain a row that does not match)."""
    count = 0
    match_row = _ROW.fullmatch
    for number, text in text_lines(path):
        found = match_row(text)
        if found is not None:
            count += 1
            c1, c2, prior, starts, ends, indicator, rationale = found.groups()
            yield (
                number,
                c1,
                c2,
                prior == "*",
                starts,
                None if ends in ("*", "") else ends,
                int(indicator),
                rationale.strip(),
            )
            continue
        if not text.strip():
            continue
        fields = text.split("\t")
        if count or _looks_like_edit(fields):
            raise OfficialFileError(path, number, f"malformed row: {_row_problem(fields)}")
        if number == 1 and text.lstrip().startswith("<"):
            raise OfficialFileError(path, 1, f"this is XML, not a PTP file; {EXPECTED_HEADER}")
    if not count:
        raise OfficialFileError(
            path, None, "no edit rows (an empty or truncated file?); " + EXPECTED_HEADER
        )


def _count_valid(path: Path) -> int:
    """The number of edits, every row checked (without building them: the fast path of
    :func:`edits`, which explains a bad row)."""
    match_row = _ROW.fullmatch
    try:
        with path.open(encoding=CMS_TEXT_ENCODING, newline="") as handle:
            for line in handle:
                if match_row(line.rstrip("\r\n")):
                    break
                if _looks_like_edit(line.split("\t")):
                    return sum(1 for _ in edits(path))  # a bad row: let it say why
            else:
                return sum(1 for _ in edits(path))  # no data row: let it say why
            count = 1
            for line in handle:
                if match_row(line.rstrip("\r\n")):
                    count += 1
                elif line.strip():
                    return sum(1 for _ in edits(path))
    except (UnicodeDecodeError, OSError):
        return sum(1 for _ in edits(path))
    return count


def _looks_like_edit(fields: list[str]) -> bool:
    return bool(_CODE.fullmatch(fields[0].strip()) and len(fields) > 1 and fields[1].strip())


def _row_problem(fields: list[str]) -> str:
    values = [f.strip() for f in fields]
    while len(values) > 7 and not values[-1]:
        values.pop()
    if len(values) != 7:
        return f"expected 7 tab-separated fields, found {len(values)}"
    column1, column2, prior, effective, deletion, indicator, rationale = values
    problems = [
        (not _CODE.fullmatch(column1), f"column 1: expected a 5-character code, found {column1!r}"),
        (not _CODE.fullmatch(column2), f"column 2: expected a 5-character code, found {column2!r}"),
        (prior not in ("", "*"), f"prior-to-1996 flag: expected '*' or empty, found {prior!r}"),
        (not _DATE.fullmatch(effective), f"effective date: expected YYYYMMDD, found {effective!r}"),
        (
            deletion not in ("*", "") and not _DATE.fullmatch(deletion),
            f"deletion date: expected YYYYMMDD or '*', found {deletion!r}",
        ),
        (
            indicator not in ("0", "1", "9"),
            f"modifier indicator: expected 0, 1 or 9, found {indicator!r}",
        ),
        (not rationale, "PTP edit rationale: expected text, found nothing"),
    ]
    return next((text for bad, text in problems if bad), "unexpected characters")


def apply(conn: sqlite3.Connection, path: Path, info: FileInfo, sha256: str, name: str) -> None:
    """Write the file's edits into the reference; a newer quarter of the same set already
    there supersedes this one, an older one is replaced. The unique index on the edit key
    is made after the rows are in (a duplicate is then found and named)."""
    conn.executescript(SCHEMA)
    if releases.newer_in_use(conn, info):
        releases.record(conn, info, name, sha256, status="superseded")
        return
    assert info.effective_from is not None and info.edit_set is not None
    older = [r for r, _ in releases.in_use(conn, KIND, info.edit_set) if r != info.release]
    for release in older:
        conn.execute(
            "DELETE FROM ncci_ptp WHERE edit_set = ? AND release = ?", (info.edit_set, release)
        )
    releases.supersede(conn, KIND, info.edit_set, info.effective_from)
    part = releases.record(conn, info, name, sha256)
    conn.execute("DROP INDEX IF EXISTS ncci_ptp_pair")
    conn.executemany(
        "INSERT INTO ncci_ptp (edit_set, release, column1, column2, prior_1996, effective, "
        "deletion, modifier_indicator, rationale, part, line) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        ((info.edit_set, info.release, *edit[1:], part, edit[0]) for edit in edits(path)),
    )
    try:
        conn.execute(INDEX)
    except sqlite3.IntegrityError:
        _report_duplicate(conn, path, part)


def _report_duplicate(conn: sqlite3.Connection, path: Path, part: int) -> None:
    key = conn.execute(
        "SELECT edit_set, column1, column2, effective FROM ncci_ptp "
        "GROUP BY edit_set, column1, column2, effective HAVING count(*) > 1 "
        "ORDER BY max(part = ?) DESC LIMIT 1",
        (part,),
    ).fetchone()
    where = conn.execute(
        "SELECT p.line, r.file, p.part = ? FROM ncci_ptp p JOIN official_releases r "
        "ON r.id = p.part WHERE p.edit_set = ? AND p.column1 = ? AND p.column2 = ? "
        "AND p.effective = ? ORDER BY p.part = ?, p.line",
        (part, *key, part),
    ).fetchall()
    first_line, first_file, _ = where[0]
    line = next((r[0] for r in reversed(where) if r[2]), where[-1][0])
    raise OfficialFileError(
        path,
        int(line),
        f"duplicate key: the edit column 1 {key[1]} / column 2 {key[2]} effective {key[3]} is "
        f"already at line {first_line} of {first_file}",
    )

"""An ICD-10-CM release: the CMS tabular list XML (icd10cm_tabular_<year>.xml).

Root ``ICD10CM.tabular`` with ``version``; chapters hold sections (``id="E08-E13"``) that hold
nested ``diag`` elements (``name``, ``desc``, notes such as ``excludes1/note``). A diag with
child diags is a header; ``sevenChrDef`` extensions apply to the leaves beneath them, which
are billable only with a seventh character (placeholder X up to six characters).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.parsers import expat

from models.official import releases
from models.official.common import FileInfo, OfficialFileError, sha256_of

KIND = "icd10cm"
ROOT = "ICD10CM.tabular"
_CODE = re.compile(r"[A-Z][0-9A-Z]{2}(\.[0-9A-Z]{1,4})?")
_TEXT_TAGS = frozenset(("name", "desc", "note", "extension", "version"))
_CHUNK = 1 << 20

Code = tuple[str, str, str, int]
"""(code with its dot, compact code, title, billable 1/0)"""
Note = tuple[str, str]
"""(item: a code or a block such as 'M30-M36', the Excludes1 note)"""


@dataclass
class _Diag:
    line: int
    name: str = ""
    desc: str = ""
    has_child: bool = False
    excludes1: list[str] = field(default_factory=list)
    seventh: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Tabular:
    version: str | None = None
    codes: list[Code] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


_LAST_PARSED: dict[str, Tabular] = {}
"""The last file parsed, by SHA-256: a load describes a file and then applies its copy."""


def parsed(path: Path, sha256: str | None = None) -> Tabular:
    digest = sha256 or sha256_of(path)
    found = _LAST_PARSED.get(digest)
    if found is None:
        found = parse(path)
        _LAST_PARSED.clear()
        _LAST_PARSED[digest] = found
    return found


def describe(path: Path, effective: date | None, edit_set: str | None) -> FileInfo:
    tabular = parsed(path)
    release, start = release_of(path, tabular.version, effective)
    return FileInfo(KIND, release, start, None, len(tabular.codes))


def release_of(path: Path, version: str | None, effective: date | None) -> tuple[str, date]:
    """FY<version> from October 1 of the year before; an update in the year (April) is named
    with its date."""
    if version is None or not re.fullmatch(r"\d{4}", version.strip()):
        if effective is None:
            raise OfficialFileError(
                path, None, "no <version> year in the file: give --effective YYYY-MM-DD"
            )
        fiscal = effective.year + (1 if effective.month >= 10 else 0)
        return f"FY{fiscal} from {effective}", effective
    year = int(version.strip())
    october = date(year - 1, 10, 1)
    if effective is None or effective == october:
        return f"FY{year}", october
    return f"FY{year} from {effective}", effective


class _Reader:
    """Expat handlers: a stack of open diags, the text of the element being read."""

    def __init__(self, path: Path, parser: expat.XMLParserType) -> None:
        self.path, self.parser = path, parser
        self.tags: list[str] = []
        self.diags: list[_Diag] = []
        self.text: list[str] = []
        self.section: str | None = None
        self.extension = ""
        self.seen: dict[str, int] = {}
        self.tabular = Tabular()

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if not self.tags and tag != ROOT:
            raise OfficialFileError(
                self.path,
                self.parser.CurrentLineNumber,
                f"expected the ICD-10-CM tabular list (root <{ROOT}>), found <{tag}>",
            )
        self.tags.append(tag)
        if tag == "diag":
            if self.diags:
                self.diags[-1].has_child = True
            self.diags.append(_Diag(self.parser.CurrentLineNumber))
        elif tag == "section":
            self.section = attrs.get("id")
        elif tag == "extension":
            self.extension = attrs.get("char", "")
        if tag in _TEXT_TAGS:
            self.text = []

    def chars(self, data: str) -> None:
        self.text.append(data)

    def end(self, tag: str) -> None:
        self.tags.pop()
        parent = self.tags[-1] if self.tags else ""
        text = " ".join("".join(self.text).split())
        if tag == "diag":
            self._diag_done(self.diags.pop())
        elif tag == "version" and parent == ROOT:
            self.tabular.version = text
        elif tag == "name" and parent == "diag":
            self.diags[-1].name = text
        elif tag == "desc" and parent == "diag":
            self.diags[-1].desc = text
        elif tag == "extension" and self.diags:
            self.diags[-1].seventh.append((self.extension, text))
        elif tag == "note" and parent == "excludes1" and len(self.tags) >= 2:
            holder = self.tags[-2]
            if holder == "diag" and self.diags:
                self.diags[-1].excludes1.append(text)
            elif holder == "section" and self.section:
                self.tabular.notes.append((self.section, text))

    def _diag_done(self, diag: _Diag) -> None:
        if not _CODE.fullmatch(diag.name) or not diag.desc:
            raise OfficialFileError(
                self.path,
                diag.line,
                f"a <diag> needs a <name> code such as E10.649 and a <desc>, found {diag.name!r}",
            )
        if diag.name in self.seen:
            raise OfficialFileError(
                self.path,
                diag.line,
                f"duplicate key: {diag.name} is already defined at line {self.seen[diag.name]}",
            )
        self.seen[diag.name] = diag.line
        compact = diag.name.replace(".", "")
        seventh = next((d.seventh for d in reversed([*self.diags, diag]) if d.seventh), [])
        leaf = not diag.has_child
        self.tabular.codes.append((diag.name, compact, diag.desc, int(leaf and not seventh)))
        if leaf and seventh:
            self.tabular.codes += list(_with_seventh(diag.name, diag.desc, seventh))
        self.tabular.notes += [(diag.name, note) for note in diag.excludes1]


def _with_seventh(name: str, desc: str, seventh: list[tuple[str, str]]) -> Iterator[Code]:
    compact = name.replace(".", "").ljust(6, "X")
    for char, meaning in seventh:
        full = compact + char
        yield f"{full[:3]}.{full[3:]}", full, f"{desc}, {meaning}", 1


def parse(path: Path) -> Tabular:
    parser = expat.ParserCreate()
    reader = _Reader(path, parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    parser.buffer_text = True
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except OSError as exc:
        raise OfficialFileError(path, None, f"cannot read the file ({exc.strerror})") from None
    except expat.ExpatError as exc:
        problem = expat.errors.messages[exc.code]
        hint = (
            " (truncated?)"
            if exc.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]
            or "unclosed" in problem
            else ""
        )
        hint = hint or (" (unexpected encoding?)" if "invalid token" in problem else "")
        raise OfficialFileError(
            path, exc.lineno, f"malformed XML: {problem}{hint}; expected the ICD-10-CM tabular list"
        ) from None
    if not reader.tabular.codes:
        raise OfficialFileError(path, None, "no <diag> codes in the tabular list (truncated?)")
    return reader.tabular


SCHEMA = """
CREATE TABLE IF NOT EXISTS icd10cm_dated (
    release TEXT NOT NULL, code TEXT NOT NULL, compact TEXT NOT NULL,
    description TEXT NOT NULL, billable INTEGER NOT NULL, PRIMARY KEY (release, compact)
);
CREATE TABLE IF NOT EXISTS icd_excludes1_dated (
    release TEXT NOT NULL, item TEXT NOT NULL, first TEXT NOT NULL, last TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS icd_excludes1_dated_item ON icd_excludes1_dated (release, item);
"""


def apply(conn: sqlite3.Connection, path: Path, info: FileInfo, sha256: str, name: str) -> None:
    """Every release stays: the one in force on a date of service answers for it. (The
    reference build adds its codes and titles to the look-up.)"""
    from models.reference import excludes1_ranges

    tabular = parsed(path, sha256)
    conn.executescript(SCHEMA)
    if any(release == info.release for release, _ in releases.in_use(conn, KIND, None)):
        raise OfficialFileError(
            path,
            None,
            f"duplicate key: the release {info.release} is already loaded from another file",
        )
    releases.record(conn, info, name, sha256)
    conn.executemany(
        "INSERT INTO icd10cm_dated VALUES (?, ?, ?, ?, ?)",
        ((info.release, *code) for code in tabular.codes),
    )
    conn.executemany(
        "INSERT INTO icd_excludes1_dated VALUES (?, ?, ?, ?, ?)",
        (
            (info.release, item, first, last, note)
            for item, note in tabular.notes
            for first, last in excludes1_ranges(note)
        ),
    )

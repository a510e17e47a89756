"""The store's queries, shared by both backends (written with `?` placeholders).

A backend supplies a connection's `_execute`, a write transaction (`_writing`) and its
migrations; everything else — versions, optimistic concurrency, listing — lives here once.
"""

from __future__ import annotations

import contextlib
import gc
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from models.store.base import CaseStore
from models.store.errors import NoSuchCase, StaleCase
from models.store.migrations import word_rows
from models.store.records import (
    CaseFilter,
    CaseHistory,
    CaseRow,
    CheckRecord,
    NewVersion,
    RecheckItem,
    StoredCase,
    Summarized,
    VersionRecord,
    WorksheetRecord,
)

if TYPE_CHECKING:
    from models.store.summary import CheckSummary

ROW_COLUMNS = ("id, version, family, payer, account, date_of_service, status, updated_at, "
               "updated_by")
Clock = Callable[[], datetime]


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds: sorts as text, reads as a time."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _row(values: Sequence[Any]) -> CaseRow:
    if None in values:  # only rows written by hand: the store itself writes "" for none
        values = [value if value is not None else "" for value in values]
    return CaseRow._make(values)


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Thousands of rows (tuples of text and numbers: no reference cycles) are built here.
    Each allocation counts towards Python's cycle collector, which would otherwise stop to
    scan the whole process (tens of ms in a large one) for objects that plain reference
    counting frees anyway when the caller drops the listing."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _rows(found: Iterable[Sequence[Any]]) -> list[CaseRow]:
    make = CaseRow._make
    return [make(values) if None not in values else _row(values) for values in found]


def _summary(check_json: str | None) -> CheckSummary | None:
    from models.store.summary import CheckSummary  # pydantic: not needed to list cases

    return CheckSummary.from_json(check_json) if check_json else None


NARROW = 5_000
"""A typed word matching at most this many words of cases is resolved through the word index
first and the matching cases sorted; a broader one is tested case by case."""
RECENT = 5_000
"""A page with a broad word is looked for among this many newest cases first; when they do
not fill it, the matching cases are resolved through the word index after all."""
NEWEST_FIRST = "ORDER BY updated_at DESC, id DESC"
SORTED_AFTER = "ORDER BY updated_at || '' DESC, id DESC"
"""The same order through an expression, so the planner starts from the matching cases."""
ALL_ROWS = 2**63 - 1
"""A LIMIT that keeps every row: it keeps SQLite from merging an ordered subquery into the
query around it (which drops the subquery's order)."""
BROAD = ("EXISTS (SELECT 1 FROM case_words w WHERE w.case_id = cases.id "
         "AND w.word >= ? AND w.word < ?)")
NARROWED = "id IN (SELECT case_id FROM case_words WHERE word >= ? AND word < ?)"


def _after_prefix(word: str) -> str:
    """The smallest text greater than every word that starts with `word`."""
    return word[:-1] + chr(ord(word[-1]) + 1)


def equality_sql(where: CaseFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    # The few cases a re-check changed have their own index: the `|| ''` keeps SQLite from
    # walking a status or payer index through thousands of unchanged cases instead.
    compared = "{} || '' = ?" if where.changed_only else "{} = ?"
    for column in ("status", "payer", "family"):
        value = getattr(where, column)
        if value:
            clauses.append(compared.format(column))
            params.append(value)
    if where.changed_only:
        clauses.append("check_change <> ''")
    if where.checked_not_with:  # two ranges of its index, where `<>` would read every case
        clauses.append("(reference_version < ? OR reference_version > ?)")
        params += [where.checked_not_with, where.checked_not_with]
    return clauses, params


class SqlCaseStore(CaseStore):
    def __init__(self, url: str, clock: Clock | None = None) -> None:
        self.url = url
        self._clock = clock or utc_now

    # -- what a backend supplies ------------------------------------------------------

    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    @abstractmethod
    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def _writing(self) -> contextlib.AbstractContextManager[None]:
        """A transaction that holds the write lock from its start."""

    def _now(self) -> str:
        return timestamp(self._clock())

    def _where(self, where: CaseFilter, *, broad_allowed: bool = True
               ) -> tuple[str, list[Any], str]:
        """WHERE clause, its parameters and the ORDER BY that suits it.

        An equality filter reads its (column, last change, id, listed columns) index, already
        in order and without the table; each typed word is a word prefix: a narrow one through the word index, a broad one tested per case (unless
        `broad_allowed` is False: then every word goes through the word index).
        """
        clauses, params = equality_sql(where)
        order = NEWEST_FIRST
        for word in sorted(set(where.text.lower().split())):
            bounds = [word, _after_prefix(word)]
            if broad_allowed and self._is_broad(bounds):
                clauses.append(BROAD)
            else:
                clauses.append(NARROWED)
                order = SORTED_AFTER
            params += bounds
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params, order

    def _is_broad(self, bounds: list[str]) -> bool:
        found = self._execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM case_words WHERE word >= ? AND word < ? "
            "LIMIT ?) AS hits", (*bounds, NARROW + 1)).fetchone()[0]
        return int(found) > NARROW

    def _page_among_recent(self, clause: str, params: list[Any], limit: int,
                           offset: int) -> list[CaseRow] | None:
        """The page when the newest cases fill it (else None: look further). The newest
        cases, ties included, come first in the listing's order: their page is its page."""
        boundary = ("updated_at >= COALESCE((SELECT updated_at FROM cases "
                    f"{NEWEST_FIRST} LIMIT 1 OFFSET {RECENT - 1}), '')")
        page = f"SELECT id FROM cases{clause} AND {boundary} {NEWEST_FIRST} LIMIT ? OFFSET ?"
        rows = self._execute(  # ids first: the walk reads the index, not every case's row
            f"SELECT {ROW_COLUMNS} FROM cases WHERE id IN ({page}) {SORTED_AFTER}",
            [*params, limit, offset]).fetchall()
        return _rows(rows) if len(rows) == limit else None

    def _store_words(self, case_id: int, search: str, *, replace: bool) -> None:
        if replace:
            self._execute("DELETE FROM case_words WHERE case_id = ?", (case_id,))
        self._executemany("INSERT INTO case_words (case_id, word) VALUES (?, ?)",
                          list(word_rows(case_id, search)))

    # -- writes -------------------------------------------------------------------------

    def create(self, new: NewVersion, who: str) -> CaseRow:
        with self._writing():
            case_id = self._insert_case(new, who, self._now())
        return self.get(case_id).row

    def create_many(self, items: Iterable[NewVersion], who: str) -> list[int]:
        now = self._now()
        with self._writing():
            return [self._insert_case(new, who, now) for new in items]

    def _insert_case(self, new: NewVersion, who: str, now: str) -> int:
        s = new.summary
        summary_json = s.to_json()
        row = self._execute(
            "INSERT INTO cases (version, family, payer, account, date_of_service, status, "
            "created_at, created_by, updated_at, updated_by, search, check_json, "
            "reference_version, digest, checked_at, check_change) "
            "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '') RETURNING id",
            (new.family, new.payer, new.account, new.date_of_service, s.status, now, who, now,
             who, new.search, summary_json, s.reference_version, s.digest, now),
        ).fetchone()
        case_id = int(row[0])
        self._insert_version(case_id, 1, new, who, now, summary_json)
        self._store_words(case_id, new.search, replace=False)
        return case_id

    def _insert_version(self, case_id: int, version: int, new: NewVersion, who: str,
                        now: str, summary_json: str) -> None:
        s = new.summary
        self._execute(
            "INSERT INTO versions (case_id, version, saved_at, saved_by, case_json, status, "
            "check_json, reference_version, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (case_id, version, now, who, new.case_text, s.status, summary_json,
             s.reference_version, s.digest),
        )

    def save(self, case_id: int, new: NewVersion, who: str, based_on: int) -> CaseRow:
        now = self._now()
        s = new.summary
        summary_json = s.to_json()
        with self._writing():
            updated = self._execute(
                "UPDATE cases SET version = version + 1, family = ?, payer = ?, account = ?, "
                "date_of_service = ?, status = ?, updated_at = ?, updated_by = ?, search = ?, "
                "check_json = ?, reference_version = ?, digest = ?, checked_at = ?, "
                "check_change = '' WHERE id = ? AND version = ?",
                (new.family, new.payer, new.account, new.date_of_service, s.status, now, who,
                 new.search, summary_json, s.reference_version, s.digest, now, case_id,
                 based_on),
            )
            if updated.rowcount != 1:
                raise self._refusal(case_id, based_on)
            self._insert_version(case_id, based_on + 1, new, who, now, summary_json)
            self._store_words(case_id, new.search, replace=True)
        return self.get(case_id).row

    def _refusal(self, case_id: int, based_on: int) -> Exception:
        found = self._execute(
            "SELECT version, updated_by, updated_at FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        if found is None:
            return NoSuchCase(f"no case {case_id} in {self.url}")
        return StaleCase(case_id, based_on, int(found[0]), found[1], found[2])

    def record_worksheet(self, case_id: int, version: int, status: str, digest: str,
                         pdf_sha256: str, who: str) -> None:
        with self._writing():
            self._require(case_id)
            self._execute(
                "INSERT INTO worksheets (case_id, version, rendered_at, rendered_by, status, "
                "digest, pdf_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (case_id, version, self._now(), who, status, digest, pdf_sha256),
            )

    def record_checks(self, results: Sequence[tuple[int, int, Summarized, str]],
                      who: str) -> None:
        now = self._now()
        with self._writing():
            self._executemany(
                "INSERT INTO checks (case_id, version, checked_at, checked_by, status, "
                "check_json, reference_version, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(case_id, version, now, who, s.status, s.to_json(), s.reference_version,
                  s.digest) for case_id, version, s, _ in results],
            )
            self._executemany(
                "UPDATE cases SET status = ?, check_json = ?, reference_version = ?, "
                "digest = ?, checked_at = ?, "
                "check_change = CASE WHEN ? = '' THEN check_change ELSE ? END "
                "WHERE id = ? AND version = ?",
                [(s.status, s.to_json(), s.reference_version, s.digest, now, change, change,
                  case_id, version) for case_id, version, s, change in results],
            )

    # -- reads --------------------------------------------------------------------------

    def _require(self, case_id: int) -> None:
        if self._execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
            raise NoSuchCase(f"no case {case_id} in {self.url}")

    def get(self, case_id: int, version: int | None = None) -> StoredCase:
        found = self._execute(
            f"SELECT {ROW_COLUMNS}, check_json, check_change FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        if found is None:
            raise NoSuchCase(f"no case {case_id} in {self.url}")
        row = _row(found[:9])
        wanted = row.version if version is None else version
        stored = self._execute(
            "SELECT case_json, check_json FROM versions WHERE case_id = ? AND version = ?",
            (case_id, wanted),
        ).fetchone()
        if stored is None:
            raise NoSuchCase(f"case {case_id} has no version {wanted}")
        check_json = found[9] if version is None else stored[1]
        summary = _summary(check_json)
        return StoredCase(row, stored[0], summary, found[10] or "")

    def list_cases(self, where: CaseFilter, limit: int | None = None,
                   offset: int = 0) -> list[CaseRow]:
        clause, params, order = self._where(where)
        if limit is not None and BROAD in clause:
            page = self._page_among_recent(clause, params, limit, offset)
            if page is not None:
                return page
            clause, params, order = self._where(where, broad_allowed=False)
        if limit is not None and order == SORTED_AFTER:
            return self._page_among_found(self._found_in(where), clause, params, limit, offset)
        sql = f"SELECT {ROW_COLUMNS} FROM cases{clause} {order}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        with cycle_collection_paused():
            return _rows(self._execute(sql, params).fetchall())

    def _found_in(self, where: CaseFilter) -> str:
        """Where `_page_among_found` reads the found cases' ids and times (a backend may name
        an index)."""
        return "cases"

    def _page_among_found(self, source: str, clause: str, params: list[Any], limit: int,
                          offset: int) -> list[CaseRow]:
        """A page of the cases found through the word index: only their ids and times are
        sorted, fed newest id first (a case saved later mostly has a larger id, so most found
        cases fall outside the page at once), and only the page's rows are read in full."""
        found = f"SELECT id, updated_at FROM {source}{clause} ORDER BY id DESC LIMIT {ALL_ROWS}"
        page = f"SELECT id FROM ({found}) AS found {NEWEST_FIRST} LIMIT ? OFFSET ?"
        return _rows(self._execute(
            f"SELECT {ROW_COLUMNS} FROM cases WHERE id IN ({page}) {SORTED_AFTER}",
            [*params, limit, offset]).fetchall())

    def count(self, where: CaseFilter) -> int:
        clause, params, _ = self._where(where)
        return int(self._execute(f"SELECT COUNT(*) FROM cases{clause}", params).fetchone()[0])

    def changes(self, where: CaseFilter) -> dict[int, str]:
        """What the last re-check changed, by case id (only cases it changed)."""
        clause, params, _ = self._where(CaseFilter(**{**where.__dict__, "changed_only": True}))
        rows = self._execute(f"SELECT id, check_change FROM cases{clause}", params).fetchall()
        return {int(r[0]): r[1] for r in rows}

    def payers(self) -> list[str]:
        rows = self._execute(
            "SELECT DISTINCT payer FROM cases WHERE payer <> '' ORDER BY payer"
        ).fetchall()
        return [r[0] for r in rows]

    def history(self, case_id: int) -> CaseHistory:
        self._require(case_id)
        versions = [VersionRecord(int(r[0]), r[1], r[2], r[3] or "", r[4] or "", r[5] or "")
                    for r in self._execute(
                        "SELECT version, saved_at, saved_by, status, reference_version, digest "
                        "FROM versions WHERE case_id = ? ORDER BY version", (case_id,)).fetchall()]
        worksheets = [WorksheetRecord(int(r[0]), r[1], r[2], r[3], r[4], r[5])
                      for r in self._execute(
                          "SELECT version, rendered_at, rendered_by, status, digest, pdf_sha256 "
                          "FROM worksheets WHERE case_id = ? ORDER BY id", (case_id,)).fetchall()]
        checks = [CheckRecord(int(r[0]), r[1], r[2], r[3], r[4] or "", r[5] or "")
                  for r in self._execute(
                      "SELECT version, checked_at, checked_by, status, reference_version, digest "
                      "FROM checks WHERE case_id = ? ORDER BY id", (case_id,)).fetchall()]
        return CaseHistory(versions, worksheets, checks)

    def recheck_items(self, batch: int = 500) -> Iterator[list[RecheckItem]]:
        last = 0
        while True:
            rows = self._execute(
                "SELECT c.id, c.version, v.case_json, c.check_json FROM cases c "
                "JOIN versions v ON v.case_id = c.id AND v.version = c.version "
                "WHERE c.id > ? ORDER BY c.id LIMIT ?", (last, batch),
            ).fetchall()
            if not rows:
                return
            yield [RecheckItem(int(r[0]), int(r[1]), r[2], r[3] or "") for r in rows]
            last = int(rows[-1][0])

    def schema_version(self) -> int:
        from models.store.migrations import MIGRATIONS_TABLE

        return int(self._execute(f"SELECT COUNT(*) FROM {MIGRATIONS_TABLE}").fetchone()[0])

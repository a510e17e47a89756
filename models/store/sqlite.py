"""The embedded store: one SQLite file (sqlite-utils), per user, 0600, made on first use.

Several processes may use the file at once (WAL, a busy timeout, writes that take the
lock when they begin). Not for a network share: file locking there is not reliable.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.store.errors import StoreUnavailable
from models.store.migrations import MIGRATIONS, MIGRATIONS_TABLE, Migration, pending
from models.store.records import CaseFilter
from models.store.sql import Clock, Cursor, SqlCaseStore, timestamp, utc_now

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_S = 15.0
CACHE_KIB = 64 * 1024
"""The connection's page cache (SQLite's default is 2 MiB): big enough that the listing indexes
and the rows a worklist keystroke sorts stay in memory between queries."""


def _create_private(path: Path) -> None:
    """Make the file (0600) and its folder (0700) before SQLite does, with looser modes."""
    if path.exists():
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
    except OSError as exc:
        raise StoreUnavailable(f"cannot create the case store {path}: {exc.strerror}") from None


class SqliteStore(SqlCaseStore):
    def __init__(self, path: Path, clock: Clock | None = None,
                 migrations: Sequence[Migration] = MIGRATIONS) -> None:
        super().__init__(str(path), clock)
        self.path = path
        _create_private(path)
        try:
            self.conn = conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S,
                                               check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self._migrate(migrations)
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(f"cannot use the case store {path}: {exc}") from None

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection as sqlite-utils sees it (imported only when used: by migrations)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def _found_in(self, where: CaseFilter) -> str:
        if where.changed_only or where.checked_not_with:  # columns it does not hold
            return "cases"
        return "cases INDEXED BY cases_found"

    # -- backend primitives -------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"case store {self.path}: {exc}") from None

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        conn = self.conn
        self._execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def close(self) -> None:
        self.conn.close()

    # -- schema -------------------------------------------------------------------------

    def _has_migrations_table(self) -> bool:
        return self._execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                             (MIGRATIONS_TABLE,)).fetchone() is not None

    def _applied(self) -> list[str]:
        if not self._has_migrations_table():
            return []
        return [r[0] for r in self._execute(f"SELECT name FROM {MIGRATIONS_TABLE}").fetchall()]

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        applied = self._applied()
        if not pending(applied, migrations, str(self.path)):
            return
        if applied:
            self._backup(len(applied))
        db = self.db
        with self._writing():
            applied = self._applied()  # again, under the lock: another process may have won
            steps = pending(applied, migrations, str(self.path))
            if not self._has_migrations_table():
                db.table(MIGRATIONS_TABLE).create({"name": str, "applied_at": str}, pk="name")
            for step in steps:
                step.sqlite(db)
                if step.data is not None:
                    step.data(self._execute)
                self._execute(f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)",
                              (step.name, timestamp(utc_now())))
            self._execute(f"PRAGMA user_version = {len(applied) + len(steps)}")

    def _backup(self, version: int) -> None:
        """A copy of the user's store as it was, before a migration changes it."""
        target = self.path.with_name(f"{self.path.name}.schema{version}.bak")
        if target.exists():
            return
        _create_private(target)
        backup = sqlite3.connect(target)
        try:
            self.conn.backup(backup)
        finally:
            backup.close()

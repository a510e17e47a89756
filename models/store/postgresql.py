"""The team store: PostgreSQL through psycopg 3, for cases shared across workstations.

`postgresql://user:password@host:port/database` URLs in libpq's form, including Unix
socket hosts (`postgresql:///cases?host=/run/postgresql`). Migrations run under an
advisory lock, so two workstations starting at once do not both migrate.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from typing import Any

from models.store.errors import StoreUnavailable
from models.store.migrations import MIGRATIONS, MIGRATIONS_TABLE, Migration, pending
from models.store.sql import Clock, Cursor, SqlCaseStore, timestamp, utc_now

CONNECT_TIMEOUT_S = 5
MIGRATION_LOCK = 0x63617365  # any fixed number, the same in every workstation


PASSWORDS = (re.compile(r"^([a-z]+://[^:/@?]*):[^@/?]*@"), re.compile(r"([?&]password=)[^&#]*"))


def redacted(url: str) -> str:
    """The URL without its password (user:password@ or ?password=), for messages."""
    url = PASSWORDS[0].sub(r"\1:***@", url)
    return PASSWORDS[1].sub(r"\1***", url)


def _placeholders(sql: str) -> str:
    return sql.replace("?", "%s")


class PostgresStore(SqlCaseStore):
    def __init__(self, url: str, clock: Clock | None = None,
                 migrations: Sequence[Migration] = MIGRATIONS) -> None:
        super().__init__(redacted(url), clock)
        import psycopg

        self._errors = (psycopg.OperationalError, psycopg.InterfaceError)
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreUnavailable(
                f"cannot connect to the case store {self.url}: {detail}"
            ) from None
        self._migrate(migrations)

    # -- backend primitives -------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        try:
            return self.conn.execute(_placeholders(sql), params)
        except self._errors as exc:
            raise StoreUnavailable(f"case store {self.url}: {exc}") from None

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(_placeholders(sql), rows)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def close(self) -> None:
        self.conn.close()

    # -- schema -------------------------------------------------------------------------

    def _applied(self) -> list[str]:
        exists = self._execute("SELECT to_regclass(?)", (MIGRATIONS_TABLE,)).fetchone()[0]
        if exists is None:
            return []
        return [r[0] for r in self._execute(f"SELECT name FROM {MIGRATIONS_TABLE}").fetchall()]

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        if not pending(self._applied(), migrations, self.url):
            return
        with self._writing():
            self._execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            self._execute(f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} "
                          "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            for step in pending(self._applied(), migrations, self.url):
                for statement in step.postgresql:
                    self._execute(statement)
                if step.data is not None:
                    step.data(self._execute)
                self._execute(f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)",
                              (step.name, timestamp(utc_now())))

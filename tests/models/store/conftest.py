"""One store test suite, run against both backends (PostgreSQL: a real throwaway server)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from models.case import Case
from models.store import CaseStore, CheckSummary, NewVersion, new_version
from models.store.summary import FindingSummary, LineSummary

_schemas = itertools.count(1)


class TickingClock:
    """A clock that moves one second per reading: saves get distinct, ordered times."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store" / "cases.sqlite")
    cluster = request.getfixturevalue("postgres")
    return str(cluster.fresh_url(f"t{next(_schemas)}"))


@pytest.fixture
def open_at(store_url: str) -> Callable[..., CaseStore]:
    """Open the parametrized store with a test clock (and optionally fewer migrations)."""
    opened: list[CaseStore] = []

    def _open(**kwargs: Any) -> CaseStore:
        kwargs.setdefault("clock", TickingClock())
        if store_url.startswith("postgresql://"):
            from models.store.postgresql import PostgresStore

            store: CaseStore = PostgresStore(store_url, **kwargs)
        else:
            from models.store.sqlite import SqliteStore

            store = SqliteStore(Path(store_url), **kwargs)
        opened.append(store)
        return store

    yield _open  # type: ignore[misc]
    for store in opened:
        store.close()


@pytest.fixture
def store(open_at: Callable[..., CaseStore]) -> Iterator[CaseStore]:
    yield open_at()


def summary(status: str = "ready", codes: tuple[str, ...] = ("0584T",),
            findings: tuple[tuple[str, str, str], ...] = (),
            reference: str = "2026.1") -> CheckSummary:
    return CheckSummary(
        status=status,
        lines=tuple(LineSummary(code=c) for c in codes),
        findings=tuple(FindingSummary(severity=s, rule=r, subject=subj)
                       for s, r, subj in findings),
        reference_version=reference,
        digest="d" * 64,
    )


def make_case(account: str = "ACCT-1", payer: str = "thp",
              family: str = "islet-transplant", day: str = "2026-02-10") -> Case:
    return Case.model_validate({"family": family, "payer": payer, "date_of_service": day,
                                "patient": {"account": account}})


def version_of(case: Case, status: str = "ready", **kwargs: Any) -> NewVersion:
    return new_version(case, summary(status, **kwargs))

"""SQLite's query plans for the listings the worklist and `cases list` run most."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.store import CaseFilter
from models.store.sql import ROW_COLUMNS
from models.store.sqlite import SqliteStore
from tests.models.store.conftest import make_case, summary, version_of


@pytest.mark.parametrize("where", [
    CaseFilter(status="blocked"), CaseFilter(payer="thp"),
    CaseFilter(status="blocked", payer="thp"), CaseFilter(family="islet-transplant"),
    CaseFilter(payer="thp", family="islet-transplant"),
])
def test_a_filtered_listing_reads_one_covering_index_already_in_order(
        tmp_path: Path, where: CaseFilter) -> None:
    with SqliteStore(tmp_path / "cases.sqlite") as store:
        store.create_many([version_of(make_case(f"A-{n}")) for n in range(20)], "import")
        store.conn.execute("ANALYZE")
        clause, params, order = store._where(where)
        plan = " | ".join(row[3] for row in store.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT {ROW_COLUMNS} FROM cases{clause} {order}", params))
    assert "USING COVERING INDEX cases_" in plan and "TEMP B-TREE" not in plan, plan


def _plan(store: SqliteStore, sql: str, params: list[object]) -> str:
    return " | ".join(row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_few_cases_a_recheck_changed_and_stale_cases_are_found_by_their_own_index(
        tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "cases.sqlite") as store:
        ids = store.create_many([version_of(make_case(f"A-{n}")) for n in range(50)], "import")
        store.record_checks([(ids[3], 1, summary("blocked"), "READY → BLOCKED")], "recheck")
        store.conn.execute("ANALYZE")
        for where in (CaseFilter(changed_only=True), CaseFilter(changed_only=True,
                                                                  status="blocked", payer="thp")):
            clause, params, order = store._where(where)
            plan = _plan(store, f"SELECT {ROW_COLUMNS} FROM cases{clause} {order} LIMIT 200",
                         params)
            assert plan.startswith("SCAN cases USING INDEX cases_changed"), plan
        clause, params, _ = store._where(CaseFilter(checked_not_with="2026.1"))
        plan = _plan(store, f"SELECT COUNT(*) FROM cases{clause}", params)
    assert plan.count("SEARCH cases USING COVERING INDEX cases_reference_version") == 2, plan


def test_a_page_among_many_word_matches_reads_their_times_from_the_found_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.store import sql

    monkeypatch.setattr(sql, "NARROW", 30_000)  # every word through the word index
    with SqliteStore(tmp_path / "cases.sqlite") as store:
        store.create_many([version_of(make_case(f"A-{n}")) for n in range(20)], "import")
        plans: list[str] = []
        monkeypatch.setattr(store, "_execute", lambda sql_text, params=(): plans.append(
            _plan(store, sql_text, list(params))) or store.conn.execute(sql_text, params))
        for where in (CaseFilter(text="a-1"), CaseFilter(text="a-1", status="ready")):
            assert len(store.list_cases(where, limit=5)) == 5
    found = [plan for plan in plans if "found" in plan]
    assert len(found) == 2
    assert all("SEARCH cases USING COVERING INDEX cases_found (id=?)" in p for p in found), found

"""SQLite's query plans for the listings the worklist and `cases list` run most."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.store import CaseFilter
from models.store.sql import ROW_COLUMNS
from models.store.sqlite import SqliteStore
from tests.models.store.conftest import make_case, version_of


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

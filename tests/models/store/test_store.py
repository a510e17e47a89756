"""The store's behaviour, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from models.store import CaseFilter, CaseStore, NoSuchCase, StaleCase, StoreTooNew
from models.store.errors import local_time
from models.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.models.store.conftest import make_case, summary, version_of


def test_a_new_case_is_version_1_with_who_and_its_exact_text(store: CaseStore) -> None:
    case = make_case()
    text = '{"family": "islet-transplant",   "payer": "thp"}\n'
    from models.store import new_version

    row = store.create(new_version(case, summary("review"), text), "alice")
    stored = store.get(row.id)
    assert (row.version, row.status, row.updated_by, row.account) == (1, "review", "alice", "ACCT-1")
    assert (row.payer, row.family, row.date_of_service) == ("thp", "islet-transplant", "2026-02-10")
    assert stored.case_text == text
    assert stored.summary == summary("review")


def test_every_save_is_a_new_version_and_history_keeps_them_all(store: CaseStore) -> None:
    first = store.create(version_of(make_case(), "blocked"), "alice")
    second = store.save(first.id, version_of(make_case(account="ACCT-9"), "ready"), "bob",
                        based_on=1)
    assert second.version == 2 and second.updated_by == "bob" and second.account == "ACCT-9"
    history = store.history(first.id)
    assert [(v.version, v.saved_by, v.status) for v in history.versions] == [
        (1, "alice", "blocked"), (2, "bob", "ready")]
    assert history.versions[0].saved_at < history.versions[1].saved_at
    assert '"ACCT-1"' in store.get(first.id, version=1).case_text
    assert store.get(first.id, version=1).summary == summary("blocked")


def test_a_stale_save_is_refused_naming_who_and_when(store: CaseStore) -> None:
    row = store.create(version_of(make_case()), "alice")
    won = store.save(row.id, version_of(make_case(account="BY-BOB")), "bob", based_on=1)
    with pytest.raises(StaleCase) as refused:
        store.save(row.id, version_of(make_case(account="BY-CAROL")), "carol", based_on=1)
    assert refused.value.saved_by == "bob" and refused.value.saved_at == won.updated_at
    assert "bob" in str(refused.value) and local_time(won.updated_at) in str(refused.value)
    assert store.get(row.id).row.account == "BY-BOB"
    assert len(store.history(row.id).versions) == 2


def test_unknown_case_is_a_clear_error(store: CaseStore) -> None:
    with pytest.raises(NoSuchCase, match="no case 999"):
        store.get(999)
    with pytest.raises(NoSuchCase):
        store.save(999, version_of(make_case()), "alice", based_on=1)


def test_listing_filters_by_status_payer_family_and_text(store: CaseStore) -> None:
    store.create(version_of(make_case("A-1", "thp"), "ready"), "alice")
    store.create(version_of(make_case("B-2", "aetna"), "blocked"), "alice")
    store.create(version_of(make_case("C-3", "thp", family="adipose-cells-hands"), "blocked"),
                 "bob")
    accounts = lambda where: [r.account for r in store.list_cases(where)]  # noqa: E731
    assert accounts(CaseFilter()) == ["C-3", "B-2", "A-1"]  # last change first
    assert accounts(CaseFilter(status="blocked")) == ["C-3", "B-2"]
    assert accounts(CaseFilter(status="blocked", payer="thp")) == ["C-3"]
    assert accounts(CaseFilter(family="islet-transplant")) == ["B-2", "A-1"]
    assert accounts(CaseFilter(text="b-2")) == ["B-2"]
    assert accounts(CaseFilter(text="adipose c-3")) == ["C-3"]
    assert accounts(CaseFilter(text="50%_")) == []
    assert [r.account for r in store.list_cases(CaseFilter(), limit=1, offset=1)] == ["B-2"]
    assert store.count(CaseFilter(payer="thp")) == 2
    assert store.payers() == ["aetna", "thp"]


def test_worksheets_are_recorded_in_the_history(store: CaseStore) -> None:
    row = store.create(version_of(make_case(), "review"), "alice")
    store.record_worksheet(row.id, 1, "review", "d" * 64, "e" * 64, "alice")
    [worksheet] = store.history(row.id).worksheets
    assert (worksheet.version, worksheet.status, worksheet.pdf_sha256) == (1, "review", "e" * 64)
    assert worksheet.rendered_by == "alice" and worksheet.rendered_at


def test_rechecks_are_stored_and_remembered_until_the_next_save(store: CaseStore) -> None:
    one = store.create(version_of(make_case("A-1")), "alice")
    two = store.create(version_of(make_case("B-2")), "alice")
    [batch] = list(store.recheck_items())
    assert [(i.case_id, i.version) for i in batch] == [(one.id, 1), (two.id, 1)]
    new = summary("blocked", reference="2026.2")
    store.record_checks([(one.id, 1, new, "READY → BLOCKED")], "recheck")
    assert store.get(one.id).summary == new
    assert store.get(one.id).row.status == "blocked"
    assert store.changes(CaseFilter()) == {one.id: "READY → BLOCKED"}
    assert [r.id for r in store.list_cases(CaseFilter(changed_only=True))] == [one.id]
    assert [c.status for c in store.history(one.id).checks] == ["blocked"]
    store.save(one.id, version_of(make_case("A-1"), "ready"), "alice", based_on=1)
    assert store.changes(CaseFilter()) == {}


def test_a_recheck_of_an_older_version_does_not_overwrite_a_newer_save(store: CaseStore) -> None:
    row = store.create(version_of(make_case()), "alice")
    store.save(row.id, version_of(make_case(), "review"), "bob", based_on=1)
    store.record_checks([(row.id, 1, summary("blocked"), "READY → BLOCKED")], "recheck")
    assert store.get(row.id).row.status == "review"


def test_create_many_returns_ids_in_order(store: CaseStore) -> None:
    ids = store.create_many([version_of(make_case(f"A-{n}")) for n in range(5)], "import")
    assert [store.get(i).row.account for i in ids] == [f"A-{n}" for n in range(5)]


def test_schema_is_migrated_forward_from_the_first_version(
        open_at: Callable[..., CaseStore]) -> None:
    old = open_at(migrations=MIGRATIONS[:1])
    assert old.schema_version() == 1
    with old._writing():  # type: ignore[attr-defined]
        old._execute(  # type: ignore[attr-defined]
            "INSERT INTO cases (id, version, family, payer, account, date_of_service, status, "
            "created_at, created_by, updated_at, updated_by, search, check_json, "
            "reference_version, digest) VALUES (7, 1, 'islet-transplant', 'thp', 'OLD-1', "
            "'2026-01-05', 'ready', 't', 'alice', '2026-01-05T10:00:00.000000Z', 'alice', "
            "'old-1', ?, '2026.1', ?)", (summary().to_json(), "d" * 64))
        old._execute(  # type: ignore[attr-defined]
            "INSERT INTO versions (case_id, version, saved_at, saved_by, case_json, status, "
            "check_json, reference_version, digest) VALUES (7, 1, "
            "'2026-01-05T10:00:00.000000Z', 'alice', '{}', 'ready', ?, '2026.1', ?)",
            (summary().to_json(), "d" * 64))
    old.close()
    store = open_at()
    assert store.schema_version() == SCHEMA_VERSION
    assert [r.account for r in store.list_cases(CaseFilter(text="old"))] == ["OLD-1"]
    assert [r.id for r in store.list_cases(CaseFilter(status="ready", payer="thp"))] == [7]
    assert store.count(CaseFilter(checked_not_with="2026.2")) == 1
    store.record_checks([(7, 1, summary("blocked"), "READY → BLOCKED")], "recheck")
    assert [c.status for c in store.history(7).checks] == ["blocked"]
    assert [r.id for r in store.list_cases(CaseFilter(changed_only=True, status="blocked"))] == [7]
    saved = store.save(7, version_of(make_case("OLD-1")), "bob", based_on=1)
    assert saved.version == 2


def test_a_store_from_a_newer_program_is_refused(open_at: Callable[..., CaseStore]) -> None:
    store = open_at()
    with store._writing():  # type: ignore[attr-defined]
        store._execute(  # type: ignore[attr-defined]
            "INSERT INTO store_migrations (name, applied_at) VALUES ('9999-future', 'x')")
    store.close()
    with pytest.raises(StoreTooNew, match="newer version"):
        open_at()


def test_text_finds_word_prefixes_whether_a_word_is_rare_or_common(
        store: CaseStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.store import sql

    for n in range(6):
        store.create(version_of(make_case(f"ACCT-10{n:02d}", "thp" if n % 2 else "bcbs")), "a")
    expected = {"acct-100": 6, "acct-1003": 1, "1004": 1, "acct thp": 3, "bcbs 1003": 0,
                "e10": 0, "islet acct-10": 6}
    for narrow in (30_000, 1):  # 1: every word counts as broad (tested case by case)
        monkeypatch.setattr(sql, "NARROW", narrow)
        found = {text: store.count(CaseFilter(text=text)) for text in expected}
        assert found == expected, narrow
        assert [r.account for r in store.list_cases(CaseFilter(text="acct-1003"))] == [
            "ACCT-1003"]
    everything = [r.id for r in store.list_cases(CaseFilter(text="acct"))]
    for recent in (2, 6):  # the newest cases do not / do fill the first page
        monkeypatch.setattr(sql, "RECENT", recent)
        pages = [r.id for r in store.list_cases(CaseFilter(text="acct"), limit=3)]
        pages += [r.id for r in store.list_cases(CaseFilter(text="acct"), limit=3, offset=3)]
        assert pages == everything
        thp = [r.account for r in store.list_cases(CaseFilter(text="acct thp"), limit=2)]
        assert thp == ["ACCT-1005", "ACCT-1003"]


def test_listings_show_the_last_change_first_and_same_time_changes_newest_case_first(
        store: CaseStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.store import sql

    ids = store.create_many(  # one import: every case has the same time
        [version_of(make_case(f"T-{n}", "thp" if n % 2 else "bcbs"),
                    "blocked" if n % 3 else "ready") for n in range(12)], "import")
    store.save(ids[4], version_of(make_case("T-4", "thp"), "blocked"), "bob", based_on=1)
    everything = store.list_cases(CaseFilter())
    assert [r.id for r in everything] == [ids[4], *(i for i in reversed(ids) if i != ids[4])]
    wanted = {
        CaseFilter(status="blocked"): lambda r: r.status == "blocked",
        CaseFilter(payer="thp"): lambda r: r.payer == "thp",
        CaseFilter(status="blocked", payer="thp"): lambda r: (r.status, r.payer) == (
            "blocked", "thp"),
        CaseFilter(family="islet-transplant", status="ready"): lambda r: r.status == "ready",
        CaseFilter(text="t-1"): lambda r: r.account in ("T-1", "T-10", "T-11"),
        CaseFilter(text="thp t"): lambda r: r.payer == "thp",
    }
    for narrow, recent in ((30_000, 5000), (1, 5000), (1, 3), (1, 1)):
        monkeypatch.setattr(sql, "NARROW", narrow)  # 1: words looked for case by case first
        monkeypatch.setattr(sql, "RECENT", recent)  # 3: the newest three and their ties
        for where, keep in wanted.items():
            expected = [r for r in everything if keep(r)]
            assert store.list_cases(where) == expected, (where, narrow)
            pages = [row for start in range(0, 12, 5)
                     for row in store.list_cases(where, limit=5, offset=start)]
            assert pages == expected, (where, narrow, recent)


def test_cases_checked_against_another_reference_and_cases_a_recheck_changed(
        store: CaseStore) -> None:
    ids = [store.create(version_of(make_case(f"R-{n}", "thp" if n % 2 else "bcbs"),
                                   reference=reference), "a").id
           for n, reference in enumerate(("2026.1", "2026.2", "2026.3", "2026.2"))]
    assert store.count(CaseFilter(checked_not_with="2026.2")) == 2
    assert store.count(CaseFilter(checked_not_with="2026.9")) == 4
    assert store.count(CaseFilter(checked_not_with="2026.2", payer="bcbs")) == 2
    store.record_checks([(ids[0], 1, summary("blocked"), "READY → BLOCKED"),
                         (ids[1], 1, summary("review"), "READY → REVIEW"),
                         (ids[3], 1, summary("ready"), "")], "recheck")
    changed = lambda **kw: [r.id for r in store.list_cases(  # noqa: E731
        CaseFilter(changed_only=True, **kw))]
    assert changed() == [ids[1], ids[0]]
    assert changed(status="blocked") == [ids[0]]
    assert changed(payer="thp") == [ids[1]]
    assert changed(text="r-1") == [ids[1]]
    assert changed(status="ready") == []
    assert store.changes(CaseFilter(payer="bcbs")) == {ids[0]: "READY → BLOCKED"}


def test_a_long_listing_is_built_without_stopping_for_the_cycle_collector(
        store: CaseStore) -> None:
    import gc

    store.create_many([version_of(make_case(f"GC-{n}")) for n in range(3000)], "alice")
    collections: list[int] = []

    def heard(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    gc.callbacks.append(heard)
    try:
        rows = store.list_cases(CaseFilter())
    finally:
        gc.callbacks.remove(heard)
    assert len(rows) == 3000 and gc.isenabled()
    # at most the one young-generation pass that re-enabling allows (without the pause:
    # one every 700 rows, and now and then a pass over the whole process)
    assert collections in ([], [0])

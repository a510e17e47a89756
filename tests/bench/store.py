"""The case library (issue 11): listing 100,000 stored cases on both backends, a worklist
filter keystroke, re-checking 10,000 cases and importing 10,000 case files.

Each figure is printed beside a bare indexed SELECT of the same rows, in the same order, in the
same run (timed alternately with it, so both see the same load). Goals: `cases list` with a filter p95 <= 50 ms (both backends); a worklist keystroke
<= 16 ms; re-check of 10,000 cases <= 10 s; import of 10,000 files <= 10 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from models.case import Case
from models.coder import check
from models.paths import examples_dir
from models.reference import open_reference
from models.store import CaseFilter, CaseStore, NewVersion, new_version, summarize
from models.store.sql import ROW_COLUMNS
from tests.bench.common import median_ms, p95_ms, ratio, timings

ROOT = Path(__file__).resolve().parents[2]
LISTED = 100_000
RECHECKED = 10_000
IMPORTED = 10_000
FILTERS = {
    "status=blocked payer=thp": CaseFilter(status="blocked", payer="thp"),
    "payer=medicare (first page of 200)": CaseFilter(payer="medicare"),
    "text 'bench-04217'": CaseFilter(text="bench-04217"),
}


def _examples() -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(examples_dir().glob("*.json"))]


def _versions(count: int, reference_version: str = "") -> Iterator[NewVersion]:
    """`count` distinct cases (the examples with their own account numbers)."""
    reference = open_reference()
    bases = []
    for data in _examples():
        case = Case.model_validate(data)
        summary = summarize(check(case, reference))
        if reference_version:
            summary = summary.model_copy(update={"reference_version": reference_version})
        bases.append((data, summary))
    for index in range(count):
        data, summary = bases[index % len(bases)]
        data = {**data, "patient": {**data.get("patient", {}), "account": f"BENCH-{index:05d}"}}
        yield new_version(Case.model_validate(data), summary, json.dumps(data, indent=2))


def _fill(store: CaseStore, count: int, reference_version: str = "") -> None:
    batch: list[NewVersion] = []
    for item in _versions(count, reference_version):
        batch.append(item)
        if len(batch) == 5000:
            store.create_many(batch, "bench")
            batch = []
    if batch:
        store.create_many(batch, "bench")


def _bare_sql(store: Any, where: CaseFilter, limit: int | None) -> tuple[str, list[Any]]:
    """One SELECT of the same rows in the same order (last change first), as plain tuples."""
    clause, params, order = store._where(where)
    sql = f"SELECT {ROW_COLUMNS} FROM cases{clause} {order}"
    if limit:
        sql += f" LIMIT {limit}"
    if _is_postgres(store):
        sql = sql.replace("?", "%s")
    return sql, params


def _is_postgres(store: CaseStore) -> bool:
    from models.store.postgresql import PostgresStore

    return isinstance(store, PostgresStore)


def _bare_select(store: Any, where: CaseFilter, limit: int | None) -> Callable[[], object]:
    sql, params = _bare_sql(store, where, limit)
    return lambda: store.conn.execute(sql, params).fetchall()


def _alternately(ours: Callable[[], object], bare: Callable[[], object],
                 repeat: int) -> tuple[list[float], list[float]]:
    """Both timed in turn, so a busy moment of the machine falls on both alike."""
    for _ in range(5):
        ours()
        bare()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for action, into in ((ours, samples[0]), (bare, samples[1])):
            start = time.perf_counter()
            action()
            into.append(time.perf_counter() - start)
    return samples


def _listing(store: CaseStore, label: str) -> Iterator[str]:
    for name, where in FILTERS.items():
        limit = 200 if "first page" in name else None
        rows = len(store.list_cases(where, limit=limit))
        ours, bare = _alternately(lambda w=where, n=limit: store.list_cases(w, limit=n),
                                  _bare_select(store, where, limit), repeat=60)
        yield (f"{label} list {name}: {rows} rows, p95 {p95_ms(ours):.1f} ms, median "
               f"{median_ms(ours):.1f} ms (bare indexed SELECT of the same rows in the same "
               f"order: p95 {p95_ms(bare):.1f} ms, median {median_ms(bare):.1f} ms; "
               f"{ratio(p95_ms(ours), p95_ms(bare))}) "
               "goal <= 50 ms")
    yield from _listing_command(store, label)


CLI_FILTER = ("--status", "blocked", "--payer", "thp")
BARE_PROCESS = {
    False: "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute(sys.argv[2], "
           "sys.argv[3:]).fetchall()",
    True: "import psycopg, sys; psycopg.connect(sys.argv[1]).execute(sys.argv[2], "
          "sys.argv[3:]).fetchall()",
}


def _listing_command(store: CaseStore, label: str) -> Iterator[str]:
    """`worksheet cases list` as a coder runs it (a process each time; bytecode cached as in
    an install) beside a bare process: Python, the driver, the same SELECT."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    sql, params = _bare_sql(store, CaseFilter(status="blocked", payer="thp"), None)
    url = store.url  # the bench's stores have no password to hide
    bare = [sys.executable, "-c", BARE_PROCESS[_is_postgres(store)], url, sql, *params]
    for form in ((), ("--json",)):
        command = [sys.executable, "-m", "desktop", "cases", "--store", url, "list",
                   *CLI_FILTER, *form]
        ours, base = _alternately(lambda c=command: _run_quietly(c, env),
                                  lambda: _run_quietly(bare, env), repeat=10)
        yield (f"{label} `cases list {' '.join((*CLI_FILTER, *form))}` (a process): "
               f"median {median_ms(ours):.0f} ms, p95 {p95_ms(ours):.0f} ms (bare process "
               f"with the same SELECT: median {median_ms(base):.0f} ms)")


def _run_quietly(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True)


def _keystrokes(store: CaseStore) -> Iterator[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.worklist import PAGE, WorklistModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    model = WorklistModel(store)
    model.refresh()
    typed = "bench-04217"
    by_text: dict[str, list[float]] = {typed[:end]: [] for end in range(1, len(typed) + 1)}
    for _ in range(5):
        for text, into in by_text.items():
            start = time.perf_counter()
            model.set_filter(CaseFilter(text=text))
            app.processEvents()
            into.append(time.perf_counter() - start)
    samples = [sample for taken in by_text.values() for sample in taken]
    slowest = max(by_text, key=lambda text: median_ms(by_text[text]))
    bare = timings(_bare_select(store, CaseFilter(text=typed[:4]), PAGE), repeat=50)
    yield (f"worklist filter keystroke (typing '{typed}' over {LISTED:,} cases): p95 "
           f"{p95_ms(samples):.1f} ms, median {median_ms(samples):.1f} ms, slowest "
           f"'{slowest}' median {median_ms(by_text[slowest]):.1f} ms (bare SELECT of one "
           f"page: {median_ms(bare):.2f} ms) goal <= 16 ms")


def _worksheet(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def _coder_alone(count: int = 1000) -> float:
    """Seconds the coder alone takes per case here (parse, check, summary), in one process."""
    from models.store.checking import check_text

    reference = open_reference()
    texts = [item.case_text for item in _versions(count)]
    start = time.perf_counter()
    for text in texts:
        check_text(text, reference)
    return (time.perf_counter() - start) / count


def _recheck(folder: Path) -> Iterator[str]:
    from models.store.sqlite import SqliteStore

    path = folder / "recheck.sqlite"
    with SqliteStore(path) as store:
        _fill(store, RECHECKED, reference_version="bench-previous-reference")
        bare = timings(lambda: store.conn.execute(
            "SELECT c.id, v.case_json FROM cases c JOIN versions v ON v.case_id = c.id "
            "AND v.version = c.version").fetchall(), repeat=3, warmup=1)
    elapsed, done = _worksheet("cases", "--store", str(path), "recheck")
    last = done.stdout.strip().splitlines()[0] if done.stdout.strip() else done.stderr[-300:]
    yield (f"cases recheck of {RECHECKED:,} cases (every result new: stored again): "
           f"{elapsed:.1f} s, exit {done.returncode}; {last} (bare SELECT of the same rows: "
           f"{median_ms(bare):.0f} ms) goal <= 10 s")


def _import(folder: Path) -> Iterator[str]:
    cases = folder / "import"
    cases.mkdir()
    for index, data in enumerate(json.loads(item.case_text) for item in _versions(IMPORTED)):
        (cases / f"case-{index:05d}.json").write_text(json.dumps(data, indent=2))
    path = folder / "import.sqlite"
    elapsed, done = _worksheet("cases", "--store", str(path), "import", str(cases))
    imported = len(done.stdout.split())
    from models.store.sqlite import SqliteStore

    with SqliteStore(path) as store:
        bare = timings(lambda: store.conn.execute(
            f"SELECT {ROW_COLUMNS} FROM cases").fetchall(), repeat=5, warmup=1)
    yield (f"cases import of {IMPORTED:,} files: {elapsed:.1f} s, {imported} ids, exit "
           f"{done.returncode} (bare SELECT of the imported rows: {median_ms(bare):.0f} ms) "
           "goal <= 10 s")


def _postgres_listing() -> Iterator[str]:
    from models.store.postgresql import PostgresStore
    from tests.postgres import start_cluster

    try:
        cluster = start_cluster()
    except (FileNotFoundError, RuntimeError) as exc:
        yield f"PostgreSQL: not measured ({exc})"
        return
    try:
        with PostgresStore(cluster.url()) as store:
            start = time.perf_counter()
            _fill(store, LISTED)
            store.conn.execute("ANALYZE")
            yield f"PostgreSQL: {LISTED:,} cases stored in {time.perf_counter() - start:.0f} s"
            yield from _listing(store, "PostgreSQL")
    finally:
        cluster.stop()


def run() -> list[str]:
    from models.store.sqlite import SqliteStore

    lines = ["== case library (issue 11)"]
    per_case = _coder_alone()
    lines.append(f"the coder alone (parse + check + summary) on this machine now: "
                 f"{per_case * 1000:.2f} ms per case, i.e. {per_case * 10_000:.1f} s for "
                 f"10,000 cases on one core ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="worksheet-bench-store-") as name:
        folder = Path(name)
        with SqliteStore(folder / "listing.sqlite") as store:
            start = time.perf_counter()
            _fill(store, LISTED)
            store.conn.execute("ANALYZE")
            lines.append(f"SQLite: {LISTED:,} cases stored in {time.perf_counter() - start:.0f} s")
            lines += _listing(store, "SQLite")
            lines += _keystrokes(store)
        lines += _postgres_listing()
        lines += _recheck(folder)
        lines += _import(folder)
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)

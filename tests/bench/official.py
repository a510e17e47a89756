"""Official files (issue 9): load a full-size NCCI PTP file and the full ICD-10-CM tabular XML
into a reference, and a full check with the full edits loaded; each beside a bare baseline."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from models.case import load_case
from models.coder import check
from models.paths import examples_dir
from models.reference import Reference
from tests.bench.common import median_ms, ratio, timings
from tests.bench.official_files import write_ptp


def shipped_tabular_xml() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("simple_icd_10_cm")
    assert spec and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return next(folder.glob("icd10c-tabular-*.xml"))


def bare_insert(path: Path, target: Path) -> float:
    """sqlite3 bulk insert of the same rows: split on tabs, no checks, no index."""
    start = time.perf_counter()
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("CREATE TABLE ptp (c1, c2, prior, eff, del, mi, why)")
    with path.open(encoding="cp1252") as handle:
        rows = (line.rstrip("\r\n").split("\t") for line in handle)
        conn.executemany(
            "INSERT INTO ptp VALUES (?,?,?,?,?,?,?)",
            (r for r in rows if len(r) == 7 and r[0][:1].isalnum() and r[0] != "Column 1"),
        )
    conn.commit()
    conn.close()
    return time.perf_counter() - start


def bare_xml(path: Path) -> float:
    start = time.perf_counter()
    tree = ET.parse(path)
    sum(1 for _ in tree.iter("diag"))
    return time.perf_counter() - start


def run() -> list[str]:
    from models.lifecycle import rebuild
    from models.official.load import load

    lines = ["== official files (issue 9)"]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        os.environ["WORKSHEET_DATA_DIR"] = str(tmp / "data")
        named = tmp / "reference.sqlite"
        rebuild(named)
        ptp = tmp / "ccipra-v323r0-f1.txt"
        start = time.perf_counter()
        rows = write_ptp(ptp)
        lines.append(
            f"generated a practitioner PTP file of {rows:,} edits in {time.perf_counter() - start:.1f} s ({ptp.stat().st_size / 1e6:.0f} MB)"
        )
        start = time.perf_counter()
        load(named, "ncci-ptp", [ptp])
        loaded = time.perf_counter() - start
        bare = bare_insert(ptp, tmp / "bare.sqlite")
        lines.append(
            f"load ncci-ptp ({rows:,} rows: validate, store, rebuild the reference, index, digest): "
            f"{loaded:.1f} s (goal <= 60 s); bare sqlite3 bulk insert of the same rows: {bare:.1f} s ({ratio(loaded, bare)})"
        )
        xml = shipped_tabular_xml()
        fresh = tmp / "fresh.sqlite"
        rebuild(fresh)
        start = time.perf_counter()
        load(fresh, "icd10cm", [xml])
        alone = time.perf_counter() - start
        start = time.perf_counter()
        load(named, "icd10cm", [xml])
        beside = time.perf_counter() - start
        bare = bare_xml(xml)
        lines.append(
            f"load icd10cm (full tabular XML {xml.name}, {xml.stat().st_size / 1e6:.0f} MB): "
            f"{alone:.1f} s into the shipped reference, {beside:.1f} s into the one holding the "
            f"2M PTP edits (goal <= 20 s); bare ElementTree parse of the same file: {bare:.1f} s "
            f"({ratio(alone, bare)})"
        )
        lines += check_figures(Reference(named))
    return lines


def check_figures(reference: Reference) -> list[str]:
    from models.reference import open_reference

    shipped = open_reference()
    cases = [load_case(p) for p in sorted(examples_dir().glob("*.json"))]
    baseline = timings(lambda: reference.icd("E10.649"), repeat=2000)
    full = without = 0.0
    samples: list[float] = []
    plain: list[float] = []
    for case in cases:
        samples += timings(lambda c=case: check(c, reference), repeat=200)
        plain += timings(lambda c=case: check(c, shipped), repeat=200)
    full, without = median_ms(samples), median_ms(plain)
    return [
        f"full check with the full PTP edits and an ICD-10-CM release loaded, median over {len(cases)} "
        f"example cases x 200: {full:.3f} ms (goal <= 1 ms); without official files: {without:.3f} ms; "
        f"one SQLite point lookup: {median_ms(baseline) * 1000:.1f} us ({ratio(full, median_ms(baseline))})"
    ]

"""Benchmark: the reference's content digest (issue 10, item 1).

Verifying the digest reads every row once; it runs the first time a file is opened and is
then remembered per file identity. Printed beside a bare open of the same file (the cost of
every later start) and a bare full scan of the largest table.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable

from models.lifecycle import verified
from models.reference import Reference, content_digest, open_reference

RUNS = 5


def _median(action: Callable[[], object]) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run() -> list[str]:
    os.environ["WORKSHEET_CACHE_DIR"] = tempfile.mkdtemp(prefix="worksheet-bench-cache-")
    path = open_reference().path
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    digest = _median(lambda: content_digest(conn))
    scan = _median(lambda: conn.execute("SELECT * FROM icd10cm").fetchall())
    conn.close()
    bare = _median(lambda: Reference(path).close())
    verified(Reference(path)).close()
    cached = _median(lambda: verified(Reference(path)).close())
    return [
        "== digest: content digest of the reference, median of 5",
        f"digest over every table (first open of a file)  {digest * 1000:8.1f} ms",
        f"bare full scan of icd10cm                       {scan * 1000:8.1f} ms",
        f"open, digest remembered for this file           {cached * 1000:8.2f} ms",
        f"bare open (read meta)                           {bare * 1000:8.2f} ms",
    ]

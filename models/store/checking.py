"""The coder run over many cases: importing a folder, re-checking the whole store.

Large batches are spread over the machine's cores (each worker opens the reference once);
results come back in the order of the input.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from models.case import CaseError, parse_case
from models.reference import Reference
from models.store.records import NewVersion
from models.store.summary import CheckSummary, summarize

PARALLEL_THRESHOLD = 400
CHUNK = 64
MAX_WORKERS = 8


@dataclass(frozen=True)
class Checked:
    """One case's result: what a save would write (its text kept as given), or the error."""

    version: NewVersion | None
    error: str = ""

    @property
    def summary(self) -> CheckSummary | None:
        return self.version.summary if self.version else None


def check_text(text: str, reference: Reference, origin: str = "case") -> Checked:
    from models.coder import check
    from models.store import new_version

    try:
        case = parse_case(text, origin)
    except CaseError as exc:
        return Checked(None, str(exc))
    return Checked(new_version(case, summarize(check(case, reference)), text))


_WORKER: list[Reference] = []


def _open_in_worker(reference_path: str) -> None:
    from models.reference import open_reference

    _WORKER.append(open_reference(Path(reference_path), build_if_needed=False))


def _check_in_worker(item: tuple[str, str]) -> Checked:
    return check_text(item[0], _WORKER[0], item[1])


def workers_for(count: int) -> int:
    cores = min(os.cpu_count() or 1, MAX_WORKERS)
    return cores if count >= PARALLEL_THRESHOLD and cores > 1 else 1


def check_texts(items: Sequence[tuple[str, str]], reference: Reference,
                step: Callable[[], None] | None = None) -> Iterator[Checked]:
    """Check (text, origin) pairs; results come back in the order of the input."""
    workers = workers_for(len(items))
    if workers == 1:
        for text, origin in items:
            yield check_text(text, reference, origin)
            if step:
                step()
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_open_in_worker,
                             initargs=(str(reference.path),)) as pool:
        for checked in pool.map(_check_in_worker, items, chunksize=CHUNK):
            yield checked
            if step:
                step()

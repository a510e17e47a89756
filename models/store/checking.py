"""The coder run over many cases: importing a folder, re-checking the whole store.

Large batches are spread over the machine's cores (each worker opens the reference once);
results come back in the order of the input.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from models.case import CaseError, parse_case
from models.reference import Reference
from models.store.records import NewVersion, Summarized, SummaryText
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
    def summary(self) -> Summarized | None:
        return self.version.summary if self.version else None

    def as_text(self) -> Checked:
        """The same result with its summary as JSON text: what a worker sends back."""
        if self.version is None or isinstance(self.version.summary, SummaryText):
            return self
        return Checked(replace(self.version, summary=SummaryText.of(self.version.summary)),
                       self.error)


def check_text(text: str, reference: Reference, origin: str = "case") -> Checked:
    from models.coder import check
    from models.store import new_version

    try:
        case = parse_case(text, origin)
    except CaseError as exc:
        return Checked(None, str(exc))
    return Checked(new_version(case, summarize(check(case, reference)), text))


@dataclass(frozen=True)
class Rechecked:
    """One stored case checked again, as plain text (cheap to send back from a worker):
    the new summary, the status before, and what changed (empty when nothing did)."""

    summary: SummaryText | None
    status_before: str = ""
    changes: tuple[str, ...] = ()
    error: str = ""


def recheck_text(text: str, reference: Reference, origin: str, stored_json: str) -> Rechecked:
    from models.coder import check
    from models.store.summary import describe_changes

    try:
        case = parse_case(text, origin)
    except CaseError as exc:
        return Rechecked(None, error=str(exc))
    new = summarize(check(case, reference))
    summary = SummaryText.of(new)
    if not stored_json:
        return Rechecked(summary)
    if summary.json == stored_json:  # the usual case: nothing to parse or compare
        return Rechecked(summary, new.status)
    old = CheckSummary.from_json(stored_json)
    return Rechecked(summary, old.status, tuple(describe_changes(old, new)))


_WORKER: list[Reference] = []


def _open_in_worker(reference_path: str) -> None:
    from models.reference import open_reference

    _WORKER.append(open_reference(Path(reference_path), build_if_needed=False))


def _check_in_worker(item: tuple[str, str]) -> Checked:
    return check_text(item[0], _WORKER[0], item[1]).as_text()


def _recheck_in_worker(item: tuple[str, str, str]) -> Rechecked:
    return recheck_text(item[0], _WORKER[0], item[1], item[2])


def workers_for(count: int) -> int:
    cores = min(os.cpu_count() or 1, MAX_WORKERS)
    return cores if count >= PARALLEL_THRESHOLD and cores > 1 else 1


Item = TypeVar("Item", tuple[str, str], tuple[str, str, str])
Result = TypeVar("Result", Checked, Rechecked)


def _spread(items: Sequence[Item], reference: Reference, step: Callable[[], None] | None,
            in_process: Callable[[Item], Result], in_worker: Callable[[Item], Result]
            ) -> Iterator[Result]:
    """Run `in_process` over the items here, or `in_worker` in a pool when there are many;
    results come back in the order of the input."""
    if workers_for(len(items)) == 1:
        for item in items:
            yield in_process(item)
            if step:
                step()
        return
    with ProcessPoolExecutor(max_workers=workers_for(len(items)), initializer=_open_in_worker,
                             initargs=(str(reference.path),)) as pool:
        for result in pool.map(in_worker, items, chunksize=CHUNK):
            yield result
            if step:
                step()


def check_texts(items: Sequence[tuple[str, str]], reference: Reference,
                step: Callable[[], None] | None = None) -> Iterator[Checked]:
    """Check (text, origin) pairs; results come back in the order of the input."""
    return _spread(items, reference, step, lambda i: check_text(i[0], reference, i[1]),
                   _check_in_worker)


def recheck_texts(items: Sequence[tuple[str, str, str]], reference: Reference,
                  step: Callable[[], None] | None = None) -> Iterator[Rechecked]:
    """Re-check (text, origin, stored summary JSON) triples, in the order of the input."""
    return _spread(items, reference, step,
                   lambda i: recheck_text(i[0], reference, i[1], i[2]), _recheck_in_worker)

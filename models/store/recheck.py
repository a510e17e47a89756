"""Re-check every stored case against the current reference and keep the new results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from models.reference import Reference
from models.store.base import CaseStore
from models.store.checking import recheck_texts
from models.store.records import Summarized
from models.store.summary import format_changes

RECHECKED_BY = "re-check"


@dataclass(frozen=True)
class CaseChange:
    case_id: int
    version: int
    before: str
    after: str
    changes: list[str]

    @property
    def text(self) -> str:
        return format_changes(self.changes)


@dataclass
class RecheckReport:
    reference_version: str
    checked: int = 0
    changed: list[CaseChange] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def recheck_store(store: CaseStore, reference: Reference, who: str = RECHECKED_BY,
                  progress: Callable[[int, int], None] | None = None) -> RecheckReport:
    """Check the latest version of every case; store each result that differs from the last.

    `progress(done, total)` is called as cases finish.
    """
    report = RecheckReport(reference.meta.reference_version)
    items = [item for batch in store.recheck_items(batch=2000) for item in batch]
    total = len(items)
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress:
            progress(done[0], total)

    triples = [(i.case_text, f"case {i.case_id}", i.summary_json) for i in items]
    to_store: list[tuple[int, int, Summarized, str]] = []
    for item, result in zip(items, recheck_texts(triples, reference, step), strict=True):
        report.checked += 1
        if result.summary is None:
            report.failed.append((item.case_id, result.error))
            continue
        changes = list(result.changes)
        if changes:
            report.changed.append(CaseChange(item.case_id, item.version, result.status_before,
                                             result.summary.status, changes))
        if result.summary.json != item.summary_json:
            to_store.append((item.case_id, item.version, result.summary,
                             format_changes(changes) if changes else ""))
    if to_store:
        store.record_checks(to_store, who)
    return report

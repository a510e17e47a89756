"""The case store's one interface; `sqlite` and `postgresql` implement it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from models.store.records import (
    CaseFilter,
    CaseHistory,
    CaseRow,
    NewVersion,
    RecheckItem,
    StoredCase,
    Summarized,
)

if TYPE_CHECKING:
    pass


class CaseStore(ABC):
    """Append-only case versions with who and when, and the check result of each.

    A save names the version it edited (`based_on`); when another save came first it is
    refused with :class:`~models.store.errors.StaleCase`, never merged silently.
    """

    url: str
    """Where the store is, for messages (a password is never included)."""

    @abstractmethod
    def create(self, new: NewVersion, who: str) -> CaseRow:
        """A new case at version 1."""

    @abstractmethod
    def create_many(self, items: Iterable[NewVersion], who: str) -> list[int]:
        """New cases in one transaction (all or none); their ids in the same order.

        `items` may be a generator: it is read inside the transaction, and an exception it
        raises leaves nothing stored."""

    @abstractmethod
    def save(self, case_id: int, new: NewVersion, who: str, based_on: int) -> CaseRow:
        """A new version of a case; refused when `based_on` is not the latest version."""

    @abstractmethod
    def get(self, case_id: int, version: int | None = None) -> StoredCase:
        """The latest version (or the one named) with its check summary."""

    @abstractmethod
    def list_cases(self, where: CaseFilter, limit: int | None = None,
                   offset: int = 0) -> list[CaseRow]:
        """Cases matching the filter, most recently changed first."""

    @abstractmethod
    def count(self, where: CaseFilter) -> int: ...

    @abstractmethod
    def changes(self, where: CaseFilter) -> dict[int, str]:
        """What the last re-check changed, by case id (only the cases it changed)."""

    @abstractmethod
    def payers(self) -> list[str]:
        """The payers of stored cases, for a filter's choices."""

    @abstractmethod
    def history(self, case_id: int) -> CaseHistory: ...

    @abstractmethod
    def record_worksheet(self, case_id: int, version: int, status: str, digest: str,
                         pdf_sha256: str, who: str) -> None: ...

    @abstractmethod
    def recheck_items(self, batch: int = 500) -> Iterator[list[RecheckItem]]:
        """The latest version of every case with its last check, in batches."""

    @abstractmethod
    def record_checks(self, results: Sequence[tuple[int, int, Summarized, str]],
                      who: str) -> None:
        """Store re-check results: (case id, version checked, summary, change text).

        A case saved since the version checked keeps its newer result; an empty change text
        keeps what the previous re-check said changed (a coder's save clears it).
        """

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

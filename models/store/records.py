"""Rows the store returns: plain immutable records (a listing's rows are named tuples, the
cheapest to build by the thousand)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from models.store.summary import CheckSummary

STATUSES = ("ready", "review", "blocked")


class CaseRow(NamedTuple):
    """One case as the worklist shows it: the latest version's indexed fields (in the order
    the store selects them, so a database row becomes one with `CaseRow._make`)."""

    id: int
    version: int
    family: str
    payer: str
    account: str
    date_of_service: str
    status: str
    updated_at: str
    updated_by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "account": self.account or None,
            "date_of_service": self.date_of_service or None,
            "family": self.family,
            "payer": self.payer or None,
            "status": self.status,
            "version": self.version,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
        }


@dataclass(frozen=True)
class CaseFilter:
    """What the worklist asks for; empty fields match everything."""

    status: str = ""
    payer: str = ""
    family: str = ""
    text: str = ""
    changed_only: bool = False
    """Only the cases whose result the last re-check changed."""
    checked_not_with: str = ""
    """Only cases last checked against another reference version than this one."""


@dataclass(frozen=True)
class StoredCase:
    row: CaseRow
    case_text: str
    """The case JSON exactly as it was imported or last saved."""
    summary: CheckSummary | None
    change: str = ""
    """What the last re-check changed (empty when nothing did, or since the last save)."""


@dataclass(frozen=True)
class VersionRecord:
    version: int
    saved_at: str
    saved_by: str
    status: str
    reference_version: str
    digest: str

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "saved_at": self.saved_at, "saved_by": self.saved_by,
                "status": self.status, "reference_version": self.reference_version,
                "digest": self.digest}


@dataclass(frozen=True)
class WorksheetRecord:
    version: int
    rendered_at: str
    rendered_by: str
    status: str
    digest: str
    pdf_sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "rendered_at": self.rendered_at,
                "rendered_by": self.rendered_by, "status": self.status, "digest": self.digest,
                "pdf_sha256": self.pdf_sha256}


@dataclass(frozen=True)
class CheckRecord:
    version: int
    checked_at: str
    checked_by: str
    status: str
    reference_version: str
    digest: str

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "checked_at": self.checked_at,
                "checked_by": self.checked_by, "status": self.status,
                "reference_version": self.reference_version, "digest": self.digest}


@dataclass(frozen=True)
class CaseHistory:
    versions: list[VersionRecord] = field(default_factory=list)
    worksheets: list[WorksheetRecord] = field(default_factory=list)
    checks: list[CheckRecord] = field(default_factory=list)


@dataclass(frozen=True)
class NewVersion:
    """What a save writes: the case text, its indexed fields and its check summary."""

    case_text: str
    family: str
    payer: str
    account: str
    date_of_service: str
    search: str
    summary: Summarized


@dataclass(frozen=True)
class RecheckItem:
    case_id: int
    version: int
    case_text: str
    summary_json: str
    """The last check's summary as stored (JSON text; empty when there is none)."""


class Summarized(Protocol):
    """A check result as the store writes it: a CheckSummary, or its JSON text with the
    columns read from it (a re-check's workers send text, not models)."""

    @property
    def status(self) -> str: ...

    @property
    def reference_version(self) -> str: ...

    @property
    def digest(self) -> str: ...

    def to_json(self) -> str: ...


@dataclass(frozen=True)
class SummaryText:
    status: str
    reference_version: str
    digest: str
    json: str

    @classmethod
    def of(cls, summary: Summarized) -> SummaryText:
        return cls(summary.status, summary.reference_version, summary.digest, summary.to_json())

    def to_json(self) -> str:
        return self.json

"""The check result a store keeps with each version, and what changed between two of them."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from models.worksheet import Finding, Worksheet


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class LineSummary(_Frozen):
    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1

    def label(self) -> str:
        mods = "-".join(self.modifiers) or "—"
        return f"{self.code} mods {mods} units {self.units}"


class FindingSummary(_Frozen):
    rule: str
    severity: str
    subject: str = ""
    """What the finding is about: its codes (space separated), empty for the whole claim."""
    acknowledged: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.severity, self.rule, self.subject)

    def label(self) -> str:
        where = f" on {self.subject}" if self.subject else ""
        return f"{self.severity} {self.rule}{where}"


class CheckSummary(_Frozen):
    """Status, claim lines, findings (rule and subject), reference version and digest."""

    status: str
    lines: tuple[LineSummary, ...] = ()
    findings: tuple[FindingSummary, ...] = ()
    reference_version: str = ""
    digest: str = ""

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CheckSummary:
        return cls.model_validate(json.loads(text))


def finding_subject(finding: Finding) -> str:
    """Its codes (what a coder reads: "on 0585T"), else the subject the coder gives it."""
    return " ".join(finding.codes) or finding.subject


def summarize(worksheet: Worksheet) -> CheckSummary:
    return CheckSummary(
        status=worksheet.status,
        lines=tuple(LineSummary(code=line.code, modifiers=tuple(line.modifiers), units=line.units)
                    for line in worksheet.lines),
        findings=tuple(
            FindingSummary(rule=f.rule, severity=f.severity, subject=finding_subject(f),
                           acknowledged=f.acknowledged)
            for f in worksheet.findings
        ),
        reference_version=worksheet.reference_version,
        digest=worksheet.digest,
    )


def _line_changes(old: tuple[LineSummary, ...], new: tuple[LineSummary, ...]) -> list[str]:
    changes: list[str] = []
    old_by_code = {line.code: line for line in old}
    new_by_code = {line.code: line for line in new}
    for line in old:
        if line.code not in new_by_code:
            changes.append(f"line {line.code} removed")
    for line in new:
        before = old_by_code.get(line.code)
        if before is None:
            changes.append(f"line {line.code} added")
        elif before != line:
            changes.append(f"line {before.label()} → {line.label()}")
    return changes


def _finding_changes(old: tuple[FindingSummary, ...],
                     new: tuple[FindingSummary, ...]) -> list[str]:
    before = Counter(f.key for f in old if f.severity != "info")
    after = Counter(f.key for f in new if f.severity != "info")
    labels = {f.key: f.label() for f in (*old, *new)}
    added = [labels[k] for k in after if after[k] > before.get(k, 0)]
    gone = [labels[k] for k in before if before[k] > after.get(k, 0)]
    acknowledged_before = {f.key for f in old if f.acknowledged}
    acknowledged_after = {f.key for f in new if f.acknowledged}
    changes = [f"new {label}" for label in added] + [f"no more {label}" for label in gone]
    changes += [f"{labels[k]} no longer acknowledged"
                for k in acknowledged_before - acknowledged_after if k in after]
    return changes


def describe_changes(old: CheckSummary, new: CheckSummary) -> list[str]:
    """What differs in status, claim lines or findings (errors and warnings); empty if none.

    The first item names the status (``READY → BLOCKED`` or just ``REVIEW``) when anything
    changed, so a caller can print ``"; ".join`` after the head.
    """
    details = _finding_changes(old.findings, new.findings) + _line_changes(old.lines, new.lines)
    if old.status == new.status and not details:
        return []
    head = (new.status.upper() if old.status == new.status
            else f"{old.status.upper()} → {new.status.upper()}")
    return [head, *details]


def format_changes(changes: list[str]) -> str:
    if not changes:
        return "unchanged"
    head, *details = changes
    return f"{head}: {'; '.join(details)}" if details else head

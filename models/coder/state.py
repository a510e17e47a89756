"""The working state of one check: the lines being built and the findings raised."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from models import refdata as rd
from models.case import Case, ExtraLine
from models.coder.claim import ClaimFacts
from models.conditions import ContextValue
from models.knowledge import Knowledge, condition
from models.reference import Reference
from models.rules import RULES
from models.worksheet import (
    SEVERITY_ORDER,
    ClaimForm,
    CriterionResult,
    DiagnosisEntry,
    Finding,
    PathStep,
    ProcedureCode,
    Severity,
)

TRIAL_MODIFIERS = ("Q0", "Q1")


@dataclass
class LineDraft:
    code: str
    origin: str
    units: int
    modifiers: list[str]
    path: list[PathStep]
    row: rd.CodeRow | None
    role: str = ""
    entered: ExtraLine | None = None
    """The case's extra line this line came from (None for a derived line)."""
    code_class: rd.CodeClassRow | None = None
    """The range of codes this one belongs to (anesthesia, E/M, drug ...), if any."""

    @property
    def line_kind(self) -> str:
        if self.row is not None:
            return self.row.line_kind
        return self.code_class.line_kind if self.code_class else "procedure"

    @property
    def kind_unconfirmed(self) -> bool:
        """The line's kind rests only on a range the reference marks as inference."""
        return self.row is None and self.code_class is not None and self.code_class.verify

    @property
    def kind_of_code(self) -> str:
        """'anesthesia', 'evaluation-management', 'drug' ... ('' for a plain procedure)."""
        if self.code_class is not None:
            return self.code_class.code_class
        return "drug" if self.line_kind == "drug" else self.line_kind.replace("procedure", "")

    revenue_code: str | None = None
    revenue_description: str = ""
    ndc: str | None = None
    ndc_quantity: float | None = None
    ndc_unit: str | None = None
    entered_revenue_code: str | None = None
    entered_ndc: str | None = None


@dataclass
class Run:
    case: Case
    reference: Reference
    knowledge: Knowledge
    family: rd.FamilyRow | None = None
    payer: rd.PayerRow | None = None
    context: dict[str, ContextValue] = field(default_factory=dict)
    lines: list[LineDraft] = field(default_factory=list)
    diagnoses: list[DiagnosisEntry] = field(default_factory=list)
    criteria: list[CriterionResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    position: rd.PayerPolicyRow | None = None
    first_of: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)
    """Where the first finding of each rule and codes is in ``findings`` (for merge)."""
    dormant_policy: rd.PayerPolicyRow | None = None
    """The payer's policy that would apply, but not yet in effect on the date of service."""
    for_procedures: tuple[str, ...] = ()
    """On an anesthesia provider's claim: the surgeon's procedure codes it is for."""
    anesthesia_claim: bool = False
    """The anesthesia provider's claim: an anesthesia rendering taxonomy and an anesthesia
    line (set once the lines are classified)."""
    claim: ClaimFacts = field(default_factory=ClaimFacts)
    """The claim form's facts (form, billed by, POS or TOB), set when the case is read."""
    claim_form: ClaimForm = field(default_factory=ClaimForm)
    procedures: list[ProcedureCode] = field(default_factory=list)
    edit_set: str | None = None
    """The NCCI edit set of the claim (practitioner, outpatient), if one applies."""
    ptp: list[rd.PtpEdit] | None = None
    """The loaded NCCI PTP edits among the claim's codes; None when no file of the set is loaded."""
    ptp_pairs: set[frozenset[str]] = field(default_factory=set)
    mue: dict[str, rd.MueLimit] | None = None
    """The loaded MUEs of the claim's codes; None when no table of the set is loaded."""

    @property
    def family_id(self) -> str:
        return self.case.family

    @property
    def payer_id(self) -> str:
        return self.payer.payer if self.payer else ""

    def add(
        self,
        rule_id: str,
        message: str,
        codes: tuple[str, ...] = (),
        *,
        severity: Severity | None = None,
        citation: str | None = None,
        fix: str | None = None,
        step: str | None = None,
    ) -> None:
        rule = RULES[rule_id]
        self.first_of.setdefault((rule_id, codes), len(self.findings))
        self.findings.append(
            Finding(
                rule=rule_id,
                severity=severity or rule.severity,
                title=rule.title,
                message=message,
                codes=codes,
                citation=citation if citation is not None else rule.citation,
                fix=fix if fix is not None else rule.fix,
                step=step or rule.step,
            )
        )

    def merge(
        self, rule_id: str, message: str, codes: tuple[str, ...], severity: Severity, citation: str
    ) -> None:
        """Add a finding, or fold it into an existing one of the same rule and codes."""
        index = self.first_of.get((rule_id, codes))
        if index is None:
            self.add(rule_id, message, codes, severity=severity, citation=citation)
            return
        existing = self.findings[index]
        stronger = min(existing.severity, severity, key=SEVERITY_ORDER.__getitem__)
        self.findings[index] = existing.model_copy(
            update={
                "severity": stronger,
                "message": f"{existing.message} {message}",
                "citation": f"{existing.citation}; {citation}",
            }
        )

    def holds(self, text: str | None) -> bool:
        return condition(text).holds(self.context)


def show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return repr(value) if isinstance(value, str) else str(value)


def show_plain(value: ContextValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class Dated(Protocol):
    @property
    def effective_from(self) -> date | None: ...

    @property
    def effective_to(self) -> date | None: ...


def in_effect(row: Dated, dos: date | None) -> bool:
    """Whether a dated reference row applies on the date of service (no date: it does)."""
    if dos is None:
        return True
    too_early = row.effective_from is not None and dos < row.effective_from
    too_late = row.effective_to is not None and dos > row.effective_to
    return not (too_early or too_late)


def effective_span(row: Dated) -> str:
    """'from 2020-01-01', 'until 2007-12-31' or both, for messages."""
    parts = []
    if row.effective_from:
        parts.append(f"from {row.effective_from}")
    if row.effective_to:
        parts.append(f"until {row.effective_to}")
    return " ".join(parts) or "always"


def is_anesthesia_provider(run: Run) -> bool:
    """The claim is the anesthesia provider's: its rendering taxonomy is an anesthesia
    specialty (anesthesiologist, CRNA, anesthesiologist assistant: provider_roles.csv)."""
    taxonomy = (run.case.rendering_taxonomy or "").upper()
    return any(
        row.taxonomy == taxonomy and row.role == "anesthesia"
        for row in run.reference.rows(rd.ProviderRoleRow)
    )

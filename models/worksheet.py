"""The checked worksheet: what the coder returns and what the report prints."""

# No `from __future__ import annotations` here: pydantic would compile and evaluate each
# annotation string when the models are built (start-up time); real annotations are free.

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from models.case import Case

Severity = Literal["error", "warning", "info"]
Status = Literal["ready", "review", "blocked"]
Outcome = Literal["met", "not-met", "not-answered"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PathStep(_Frozen):
    """One step of a line's derivation: an answer given, a reference row used."""

    kind: Literal["answer", "payer", "reference", "entered"]
    text: str
    source: str = ""


class Line(_Frozen):
    number: int
    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    diagnosis_pointers: tuple[int, ...] = ()
    descriptor: str = ""
    origin: Literal["derived", "entered"]
    role: str = ""
    path: tuple[PathStep, ...] = ()
    revenue_code: str | None = None
    """UB-04 FL42 revenue code (institutional claims only)."""
    revenue_description: str = ""
    ndc: str | None = None
    """The 11-digit NDC in the 5-4-2 billing form, reported with qualifier N4."""
    ndc_quantity: float | None = None
    ndc_unit: str | None = None


class ClaimForm(_Frozen):
    """The claim form's facts as the worksheet shows them."""

    form: Literal["professional", "institutional"] | None = None
    billed_by: Literal["practitioner", "facility"] | None = None
    place_of_service: str | None = None
    place_of_service_name: str = ""
    facility_rate: bool | None = None
    """Professional form: paid at the MPFS facility (True) or non-facility (False) rate."""
    type_of_bill: str | None = None
    type_of_bill_name: str = ""
    condition_codes: tuple[str, ...] = ()
    value_codes: tuple[tuple[str, str], ...] = ()
    """(value code, value) pairs, e.g. ("D4", "01234567")."""
    derived: tuple[str, ...] = ()
    """The facts derived from the form and setting rather than entered (billed_by, POS, TOB)."""

    def describe(self) -> str:
        """One line for a reader: form, who bills, POS and rate or TOB, condition/value codes."""
        if self.form is None:
            return "claim form not given"
        form = "UB-04 / 837I" if self.form == "institutional" else "CMS-1500 / 837P"
        parts = [form, f"billed by {self.billed_by}"]
        if self.form == "institutional":
            tob = f"{self.type_of_bill or '?'} {self.type_of_bill_name}".strip()
            parts.append(f"type of bill {tob}{self._origin('type_of_bill')}")
        else:
            rate = "facility rate" if self.facility_rate else "non-facility rate"
            pos = f"{self.place_of_service or '?'} {self.place_of_service_name}".strip()
            parts.append(f"place of service {pos}{self._origin('place_of_service')} ({rate})")
        parts += [f"condition code {code}" for code in self.condition_codes]
        parts += [f"value code {code} {value}" for code, value in self.value_codes]
        return " · ".join(parts)

    def _origin(self, fact: str) -> str:
        return ", from the setting" if fact in self.derived else ""


class ProcedureCode(_Frozen):
    """An ICD-10-PCS code of the facility's inpatient claim, with why it was chosen."""

    code: str
    description: str
    why: str
    source: str


class Finding(_Frozen):
    rule: str
    severity: Severity
    title: str
    message: str
    codes: tuple[str, ...] = ()
    citation: str = ""
    fix: str = ""
    acknowledged: bool = False
    acknowledgement: str = ""
    step: str = ""
    """The GUI step that fixes it: case, questions, diagnoses, modifiers, lines, coverage, trial."""
    subject: str = ""
    """What it is about, unique on the worksheet: what an acknowledgement names to answer it."""


class DiagnosisEntry(_Frozen):
    pointer: int
    code: str
    description: str
    valid: bool
    billable: bool


class CriterionResult(_Frozen):
    criterion: str
    text: str
    asks: str
    answer: str
    outcome: Outcome
    source: str


class Worksheet(_Frozen):
    case: Case
    family_name: str = ""
    payer_name: str = ""
    coverage_position: str = ""
    coverage_policy: str = ""
    lines: tuple[Line, ...] = ()
    diagnoses: tuple[DiagnosisEntry, ...] = ()
    criteria: tuple[CriterionResult, ...] = ()
    claim: ClaimForm = Field(default_factory=ClaimForm)
    procedures: tuple[ProcedureCode, ...] = ()
    findings: tuple[Finding, ...] = ()
    justification: tuple[str, ...] = ()
    status: Status
    reference_version: str
    icd10cm_release: str = ""
    releases: tuple[str, ...] = ()
    """The code-set releases the check used: 'ICD-10-CM FY2027', 'NCCI PTP 2026Q4 practitioner'."""
    digest: str = Field(min_length=64, max_length=64)

    @property
    def short_digest(self) -> str:
        return self.digest[:12]

    @property
    def releases_line(self) -> str:
        """'ICD-10-CM FY2027 · NCCI PTP 2026Q4 practitioner · HCPCS 2026 Oct'."""
        return " · ".join(self.releases) or f"ICD-10-CM {self.icd10cm_release}"

    def findings_by_severity(self, severity: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    def summary(self) -> dict[str, Any]:
        """The `worksheet check --json` document."""
        return {
            "status": self.status,
            "lines": [
                {
                    "code": line.code,
                    "modifiers": list(line.modifiers),
                    "units": line.units,
                    "diagnosis_pointers": list(line.diagnosis_pointers),
                    "descriptor": line.descriptor,
                    "origin": line.origin,
                    "revenue_code": line.revenue_code,
                    "ndc": line.ndc,
                }
                for line in self.lines
            ],
            "findings": [
                {
                    "rule": f.rule,
                    "severity": f.severity,
                    "message": f.message,
                    "codes": list(f.codes),
                    "citation": f.citation,
                    "acknowledged": f.acknowledged,
                    "acknowledgement": f.acknowledgement,
                    "subject": f.subject,
                }
                for f in self.findings
            ],
            "diagnoses": [d.model_dump(mode="json") for d in self.diagnoses],
            "criteria": [c.model_dump(mode="json") for c in self.criteria],
            "claim": self.claim_summary(),
            "procedures": [p.model_dump(mode="json") for p in self.procedures],
            "reference_version": self.reference_version,
            "icd10cm_release": self.icd10cm_release,
            "releases": list(self.releases),
            "digest": self.digest,
        }

    def claim_summary(self) -> dict[str, Any]:
        """The `claim` object of `worksheet check --json`."""
        claim = self.claim
        return {
            "form": claim.form,
            "billed_by": claim.billed_by,
            "place_of_service": claim.place_of_service,
            "facility_rate": claim.facility_rate,
            "type_of_bill": claim.type_of_bill,
            "condition_codes": list(claim.condition_codes),
            "value_codes": dict(claim.value_codes),
        }


def case_digest(case: Case, reference_version: str) -> str:
    """SHA-256 of the canonical case JSON and the reference version."""
    text = case.canonical_json() + "\n" + reference_version
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def status_of(findings: tuple[Finding, ...] | list[Finding]) -> Status:
    if any(f.severity == "error" for f in findings):
        return "blocked"
    if any(f.severity == "warning" and not f.acknowledged for f in findings):
        return "review"
    return "ready"

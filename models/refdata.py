"""Typed rows of the reference data.

Each source file in ``resources/reference/`` has a model here; the build
validates every row through it (so a bad row fails the build naming file and
line) and the reference hands the same models back to the program.
"""

# No `from __future__ import annotations` here: pydantic would compile and evaluate each
# annotation string when the models are built (start-up time); real annotations are free.

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Sourced(Row):
    source: str = Field(min_length=3)
    verify: bool = False


def split_list(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split("|") if part.strip())


class FamilyRow(Sourced):
    family: str
    name: str
    description: str


class QuestionRow(Sourced):
    family: str
    question: str
    order: int
    prompt: str
    kind: Literal["choice", "boolean", "integer", "text"]
    choices: str | None = None
    when: str | None = None
    required: bool = False
    help: str | None = None
    default_from: str | None = None
    """When unanswered, the answer of this other question (if it is one of the choices)."""

    @property
    def choice_list(self) -> tuple[str, ...]:
        """The values; a choice may carry its label as ``value=label``."""
        return tuple(part.split("=", 1)[0].strip() for part in split_list(self.choices))

    def choice_label(self, value: str) -> str:
        """What the coder reads for a value: its label, or the value in words."""
        for part in split_list(self.choices):
            key, _, label = part.partition("=")
            if key.strip() == value and label.strip():
                return label.strip()
        return value.replace("-", " ").capitalize()


class DerivationRow(Sourced):
    family: str
    order: int
    when: str
    code: str | None = None
    units: int | None = None
    note: str


class AutoModifierRow(Row):
    family: str
    when: str
    modifier: str
    roles: str
    reason: str
    source: str = Field(min_length=3)

    @property
    def role_list(self) -> tuple[str, ...]:
        return split_list(self.roles)


class CodeRow(Sourced):
    code: str
    system: Literal["CPT-I", "CPT-III", "HCPCS-II"]
    descriptor: str
    family: str | None = None
    role: Literal["primary", "add-on", "product", "related", "alternative"]
    line_kind: Literal["procedure", "anesthesia", "drug", "lab"]
    code_set: str | None = None
    laterality: Literal["allowed", "inherent", "not-applicable"]
    effective_from: date | None = None
    effective_to: date | None = None
    verified_through: date | None = None
    age_min: int | None = None
    age_max: int | None = None
    max_units: int | None = None
    note: str | None = None

    @property
    def is_s_code(self) -> bool:
        return self.system == "HCPCS-II" and self.code.startswith("S")


class ModifierRow(Sourced):
    modifier: str
    description: str
    kind: Literal[
        "payment",
        "anesthesia-only",
        "facility-only",
        "professional-only",
        "lab",
        "clinical-trial",
        "liability",
        "laterality",
        "drug-waste",
        "distinct-service",
        "informational",
    ]
    line_kinds: str
    claim_types: str
    settings: str | None = None
    needs_documentation: bool = False
    effective_from: date | None = None
    effective_to: date | None = None
    note: str | None = None
    pricing: bool = False
    """Changes the payment: reported before informational modifiers (rule modifier-order)."""
    code_classes: str | None = None
    """Only on codes of these classes (code_classes.csv), e.g. 25 on an E/M visit."""

    @property
    def code_class_list(self) -> tuple[str, ...]:
        return split_list(self.code_classes)

    @property
    def line_kind_list(self) -> tuple[str, ...]:
        return split_list(self.line_kinds)

    @property
    def claim_type_list(self) -> tuple[str, ...]:
        return split_list(self.claim_types)

    @property
    def setting_list(self) -> tuple[str, ...]:
        return split_list(self.settings)


class ModifierConflictRow(Row):
    modifier_a: str
    modifier_b: str
    reason: str
    source: str = Field(min_length=3)


class ModifierExclusionRow(Sourced):
    modifier: str
    code: str
    reason: str


class CodeSetRow(Row):
    code_set: str
    name: str
    source: str = Field(min_length=3)


class PayerRow(Sourced):
    payer: str
    name: str
    kind: Literal["medicare", "commercial"]
    code_set: str
    accepts_s_codes: Literal["yes", "no", "verify"]
    clinical_trial_billing: bool
    abn: bool
    note: str | None = None


Position = Literal[
    "covered-with-criteria", "investigational", "clinical-trial-only", "verify", "not-covered"
]


class PayerPolicyRow(Sourced):
    payer: str
    family: str
    when: str | None = None
    position: Position
    policy: str
    note: str | None = None
    effective_from: date | None = None
    """The policy governs dates of service on or after this date."""


class PriorAuthRow(Sourced):
    payer: str
    family: str
    when: str | None = None
    requirement: Literal["required", "verify"]
    note: str


class CriterionRow(Sourced):
    payer: str
    family: str
    criterion: str
    order: int
    when: str | None = None
    test: str
    asks: str
    text: str


class PolicyFindingRow(Sourced):
    family: str
    payer: str
    when: str
    rule: str
    severity: Severity
    message: str


class CodeConditionRow(Sourced):
    code: str
    requires: str
    rule: str
    severity: Severity
    message: str


class EditRow(Sourced):
    column1: str
    column2: str
    severity: Severity
    modifier_bypass: bool
    effective_from: date | None = None
    effective_to: date | None = None
    reason: str


class DxGroupRow(Sourced):
    group: str
    family: str
    when: str | None = None
    pattern: str
    role: Literal["supports", "secondary", "trial"]
    description: str


class DxLateralityRow(Sourced):
    """A diagnosis code that names a side, and the family answer that records the side
    treated (checked against each other: rule dx-laterality)."""

    pattern: str
    side: Literal["right", "left", "unspecified"]
    group: str
    family: str
    question: str
    when: str | None = None


class DxEffectiveRow(Sourced):
    pattern: str
    effective_from: date | None = None
    effective_to: date | None = None
    note: str


class DxPairRow(Row):
    """together: both present is questioned; missing: every '+'-joined pattern of a present
    without b; order: b listed before a."""

    pattern_a: str
    pattern_b: str
    kind: Literal["together", "missing", "order"] = "together"
    rule: str
    severity: Severity
    message: str
    source: str = Field(min_length=3)


class RequiredModifierRow(Sourced):
    payer: str
    code: str
    when: str | None = None
    any_of: str
    rule: str
    severity: Severity
    message: str

    @property
    def modifier_list(self) -> tuple[str, ...]:
        return split_list(self.any_of)


class AddonParentRow(Row):
    addon: str
    parents: str
    source: str = Field(min_length=3)
    verify: bool = False

    @property
    def parent_list(self) -> tuple[str, ...]:
        return split_list(self.parents)


class TaxonomyExpectedRow(Row):
    family: str
    taxonomy: str
    when: str | None = None
    note: str
    source: str = Field(min_length=3)


class CautionRow(Row):
    kind: Literal["code", "dx", "taxonomy", "modifier"]
    value: str
    family: str
    when: str | None = None
    rule: str
    severity: Severity
    message: str
    source: str = Field(min_length=3)


class PlaceOfServiceRow(Sourced):
    place_of_service: str
    name: str
    facility_rate: bool


class ClaimSettingRow(Sourced):
    """A place of service (professional form) or type-of-bill prefix (institutional form)
    that fits a setting; `derived` marks the one used when the case gives none."""

    form: Literal["professional", "institutional"]
    setting: Literal["inpatient", "outpatient-hospital", "asc", "office"]
    code: str
    name: str | None = None
    """Short name of a type-of-bill prefix (a POS has its name in places_of_service)."""
    derived: bool
    billed_by: str
    refused_payer_kinds: str | None = None
    note: str

    @property
    def billed_by_list(self) -> tuple[str, ...]:
        return split_list(self.billed_by)

    @property
    def refused_payer_kind_list(self) -> tuple[str, ...]:
        return split_list(self.refused_payer_kinds)


class RevenueCodeRow(Sourced):
    """A UB-04 revenue code (FL42), the line kinds it fits, and the codes it is derived for."""

    revenue_code: str
    description: str
    line_kinds: str
    codes: str | None = None
    """Codes it is derived for: '0584T|G0341', or a range by prefix: '992-'."""
    settings: str | None = None
    """Derived for its line kinds in these settings only, before any code's own row."""
    derived: bool
    note: str | None = None

    @property
    def line_kind_list(self) -> tuple[str, ...]:
        return split_list(self.line_kinds)

    @property
    def code_list(self) -> tuple[str, ...]:
        return split_list(self.codes)

    @property
    def setting_list(self) -> tuple[str, ...]:
        return split_list(self.settings)


class NdcRequiredRow(Sourced):
    """A drug code whose line needs the NDC (not-otherwise-classified drugs)."""

    code: str
    note: str


class ClaimCodeRow(Sourced):
    """A condition or value code the claim form carries when its condition holds."""

    form: Literal["professional", "institutional"]
    kind: Literal["condition", "value"]
    code: str
    when: str
    value_from: str | None = None
    note: str


class PcsCodeRow(Sourced):
    """An ICD-10-PCS code of the facility's inpatient claim, derived from the answers and date."""

    family: str
    order: int
    when: str
    code: str
    description: str
    effective_from: date | None = None
    effective_to: date | None = None
    why: str


GlobalDays = Literal["000", "010", "090", "XXX", "YYY", "ZZZ", "MMM"]
Schedule = Literal["mpfs", "opps", "asc"]
Effect = Literal["error", "warning", "info", "none"]


class CodeClassRow(Sourced):
    """A range of codes of one kind (anesthesia, E/M, drug ...), known with or without a row
    in codes.csv."""

    first: str
    last: str
    code_class: str
    line_kind: Literal["procedure", "anesthesia", "drug", "lab"]
    global_days: GlobalDays | None = None
    mpfs_status: str | None = None
    description: str

    def contains(self, code: str) -> bool:
        """Same length and shape (digit or letter at each place) as the bounds, and between them."""
        if len(code) != len(self.first) or not self.first <= code <= self.last:
            return False
        return all(a.isdigit() == b.isdigit() for a, b in zip(code, self.first, strict=True))


class FeeScheduleRow(Sourced):
    code: str
    global_days: GlobalDays
    nonfacility_priced: Literal["yes", "no"] | None = None
    assistant_surgeon: Literal["0", "1", "2", "9"] | None = None
    """MPFS assistant-at-surgery indicator: 0 paid only with documented medical necessity,
    1 never paid, 2 paid, 9 does not apply."""
    note: str | None = None


class PaymentStatusRow(Sourced):
    code: str
    schedule: Schedule
    status: str
    note: str | None = None


class PaymentMeaningRow(Row):
    schedule: Schedule
    status: str
    meaning: str
    medicare: Effect
    other_payers: Effect
    denial_modifiers: str | None = None
    source: str = Field(min_length=3)

    @property
    def denial_modifier_list(self) -> tuple[str, ...]:
        return split_list(self.denial_modifiers)


class AnesthesiaCrosswalkRow(Sourced):
    procedure: str
    anesthesia: str
    note: str


class ProviderRoleRow(Row):
    taxonomy: str
    role: Literal["anesthesia"]
    note: str
    source: str = Field(min_length=3)
    pricing_modifiers: str | None = None
    """The anesthesia pricing modifiers this provider reports (an anesthesiologist AA, AD, QK,
    QY; a CRNA QX, QZ); empty when not established."""

    @property
    def pricing_modifier_list(self) -> tuple[str, ...]:
        return split_list(self.pricing_modifiers)


class AnesthesiaTimeRow(Sourced):
    payer: str
    time_unit: Literal["minutes", "units"]
    note: str


class CodePredecessorRow(Sourced):
    code: str
    payer_kind: Literal["medicare", "commercial"]
    use: str
    note: str


class NcciModifierRow(Sourced):
    """A modifier that may bypass an NCCI PTP edit of modifier indicator 1."""

    modifier: str
    group: str
    effective_from: date | None = None
    effective_to: date | None = None


class NcciSettingRow(Sourced):
    """Which NCCI edit set (practitioner, outpatient) applies to a claim type and setting."""

    claim_type: str
    setting: str
    edit_set: Literal["practitioner", "outpatient"]


class TaxonomyRow(Row):
    code: str
    display_name: str
    section: str


class IcdCode(Row):
    code: str
    description: str
    billable: bool
    release: str = ""


class Excludes1Row(Row):
    item: str
    first: str
    last: str
    note: str


class MetaInfo(Row):
    schema_version: int
    data_version: str
    icd10cm_release: str
    source_hash: str
    content_digest: str = ""
    licensed_cpt_descriptors: int = 0
    additions: str = ""
    additions_digest: str = ""

    @property
    def reference_version(self) -> str:
        """Names the sources, and the loaded additions when there are some."""
        loaded = f"+{self.additions_digest[:8]}" if self.additions_digest else ""
        return f"{self.data_version}+{self.source_hash[:8]}{loaded}"


class SearchHit(Row):
    kind: Literal["code", "modifier", "icd10cm", "taxonomy"]
    code: str
    description: str
    billable: bool | None = None
    valid: bool | None = None
    """ICD-10-CM hits: whether the code is valid in the release in force for the date asked."""


# --------------------------------------------------------------------------- official files


class OfficialRelease(Row):
    """One loaded official file as the reference records it."""

    kind: str
    release: str
    label: str
    edit_set: str | None = None
    effective_from: date | None = None
    file: str
    sha256: str
    rows: int
    status: str


class IcdRelease(Row):
    """An ICD-10-CM release: the shipped one or a loaded one, governing from its date."""

    release: str
    effective_from: date | None = None
    shipped: bool

    @property
    def label(self) -> str:
        return f"ICD-10-CM {self.release}"


class PtpEdit(Row):
    edit_set: str
    release: str
    column1: str
    column2: str
    prior_1996: bool
    effective: date
    deletion: date | None = None
    modifier_indicator: int
    rationale: str

    def in_effect(self, on: date | None) -> bool:
        """An edit deleted on its effective date (indicator 9) never applied: the deletion date
        is the first day without it."""
        if on is None:
            return self.deletion is None
        return self.effective <= on and (self.deletion is None or on < self.deletion)


class MueLimit(Row):
    edit_set: str
    release: str
    code: str
    units: int
    mai: int
    mai_text: str
    rationale: str


class HcpcsCode(Row):
    code: str
    kind: Literal["code", "modifier"]
    long_description: str
    short_description: str
    coverage: str
    add_date: date | None = None
    term_date: date | None = None
    action_code: str
    release: str

    def exists_on(self, on: date | None) -> bool:
        if on is None:
            return self.term_date is None
        too_early = self.add_date is not None and on < self.add_date
        return not too_early and (self.term_date is None or on <= self.term_date)

"""Typed rows of the reference data.

Each source file in ``resources/reference/`` has a model here; the build
validates every row through it (so a bad row fails the build naming file and
line) and the reference hands the same models back to the program.
"""

from __future__ import annotations

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


class DxEffectiveRow(Sourced):
    pattern: str
    effective_from: date | None = None
    effective_to: date | None = None
    note: str


class DxPairRow(Row):
    pattern_a: str
    pattern_b: str
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

    @property
    def parent_list(self) -> tuple[str, ...]:
        return split_list(self.parents)


class TaxonomyExpectedRow(Row):
    family: str
    taxonomy: str
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


class TaxonomyRow(Row):
    code: str
    display_name: str
    section: str


class IcdCode(Row):
    code: str
    description: str
    billable: bool


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

    @property
    def reference_version(self) -> str:
        return f"{self.data_version}+{self.source_hash[:8]}"


class SearchHit(Row):
    kind: Literal["code", "modifier", "icd10cm", "taxonomy"]
    code: str
    description: str
    billable: bool | None = None

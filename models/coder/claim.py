"""The claim form around the lines: whose claim, which form, where (POS) or what bill (TOB).

Pure: the case and the reference's claim-setting rows in, :class:`ClaimFacts` out.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from models import refdata as rd
from models.case import BilledBy, Case, ClaimType
from models.reference import Reference

DEFAULT_BILLED_BY: dict[str, BilledBy] = {
    "professional": "practitioner",
    "institutional": "facility",
}
ADMIT_THROUGH_DISCHARGE = "1"
"""The frequency digit of a derived type of bill (UB-04 FL4, 4th character)."""


class ClaimFacts(BaseModel):
    """The claim-form facts of one case, entered or derived."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    form: ClaimType | None = None
    billed_by: BilledBy | None = None
    place_of_service: str | None = None
    """Professional form only (CMS-1500 item 24B)."""
    type_of_bill: str | None = None
    """Institutional form only (UB-04 FL4), four digits with the leading 0."""
    facility_rate: bool = False
    """Performed in a facility: the MPFS facility rate on the professional form
    (POS 19/21/22/23/24 ...), and always on the facility's institutional claim."""
    derived: tuple[str, ...] = ()
    """Which of the facts above were derived rather than entered."""

    @property
    def is_professional(self) -> bool:
        return self.form == "professional"

    @property
    def is_institutional(self) -> bool:
        return self.form == "institutional"


def normalize_type_of_bill(text: str) -> str:
    """'131' (837I, leading zero dropped) → '0131'."""
    return text if len(text) == 4 else f"0{text}"


def setting_rows(reference: Reference, form: str, setting: str) -> list[rd.ClaimSettingRow]:
    return [
        row
        for row in reference.rows(rd.ClaimSettingRow)
        if row.form == form and row.setting == setting
    ]


def claim_facts(case: Case, reference: Reference) -> ClaimFacts:
    form = case.claim_type
    if form is None:
        return ClaimFacts(billed_by=case.billed_by)
    derived: list[str] = []
    billed_by = case.billed_by
    if billed_by is None:
        billed_by = DEFAULT_BILLED_BY[form]
        derived.append("billed_by")
    if form == "professional":
        pos = case.place_of_service or _derived_code(reference, form, case.setting)
        if case.place_of_service is None and pos is not None:
            derived.append("place_of_service")
        return ClaimFacts(
            form=form,
            billed_by=billed_by,
            place_of_service=pos,
            facility_rate=_facility_rate(reference, pos),
            derived=tuple(derived),
        )
    tob = normalize_type_of_bill(case.type_of_bill) if case.type_of_bill else None
    if tob is None:
        prefix = _derived_code(reference, form, case.setting)
        tob = f"{prefix}{ADMIT_THROUGH_DISCHARGE}" if prefix else None
        if tob is not None:
            derived.append("type_of_bill")
    return ClaimFacts(
        form=form,
        billed_by=billed_by,
        type_of_bill=tob,
        facility_rate=True,
        derived=tuple(derived),
    )


def _derived_code(reference: Reference, form: str, setting: str | None) -> str | None:
    if setting is None:
        return None
    for row in setting_rows(reference, form, setting):
        if row.derived:
            return row.code
    return None


def _facility_rate(reference: Reference, pos: str | None) -> bool:
    for row in reference.rows(rd.PlaceOfServiceRow):
        if row.place_of_service == pos:
            return row.facility_rate
    return False

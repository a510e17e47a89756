"""The claim form around the lines: whose claim, which form, where (POS) or what bill (TOB).

Pure: the case and the reference's claim tables in, :class:`ClaimFacts` out. The tables are
indexed once per open reference (:func:`claim_tables`), so a check does no scans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from models import refdata as rd
from models.case import BilledBy, Case, ClaimType
from models.knowledge import condition, per_reference
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


@dataclass
class ClaimTables:
    """The claim-form reference rows, indexed for the coder."""

    settings: dict[tuple[str, str], list[rd.ClaimSettingRow]] = field(default_factory=dict)
    places: dict[str, rd.PlaceOfServiceRow] = field(default_factory=dict)
    revenue: dict[str, rd.RevenueCodeRow] = field(default_factory=dict)
    revenue_by_code: dict[str, rd.RevenueCodeRow] = field(default_factory=dict)
    revenue_by_kind: dict[str, rd.RevenueCodeRow] = field(default_factory=dict)
    revenue_by_setting: dict[tuple[str, str], rd.RevenueCodeRow] = field(default_factory=dict)
    revenue_by_prefix: list[tuple[str, rd.RevenueCodeRow]] = field(default_factory=list)
    """Rows for a range of codes ('992-': every code starting 992), longest prefix first."""
    ndc_required: dict[str, rd.NdcRequiredRow] = field(default_factory=dict)
    claim_codes: dict[str, list[rd.ClaimCodeRow]] = field(default_factory=dict)
    pcs: dict[str, list[rd.PcsCodeRow]] = field(default_factory=dict)

    @classmethod
    def build(cls, reference: Reference) -> ClaimTables:
        tables = cls()
        settings: defaultdict[tuple[str, str], list[rd.ClaimSettingRow]] = defaultdict(list)
        for row in reference.rows(rd.ClaimSettingRow):
            settings[(row.form, row.setting)].append(row)
        tables.settings = dict(settings)
        tables.places = {r.place_of_service: r for r in reference.rows(rd.PlaceOfServiceRow)}
        for revenue in reference.rows(rd.RevenueCodeRow):
            tables.revenue[revenue.revenue_code] = revenue
            if not revenue.derived:
                continue
            for setting in revenue.setting_list:
                for kind in revenue.line_kind_list:
                    tables.revenue_by_setting[(setting, kind)] = revenue
            if revenue.setting_list:
                continue
            for code in revenue.code_list:
                if code.endswith("-"):
                    tables.revenue_by_prefix.append((code[:-1], revenue))
                else:
                    tables.revenue_by_code[code] = revenue
            if not revenue.code_list:
                for kind in revenue.line_kind_list:
                    tables.revenue_by_kind[kind] = revenue
        tables.revenue_by_prefix.sort(key=lambda item: -len(item[0]))
        tables.ndc_required = {r.code: r for r in reference.rows(rd.NdcRequiredRow)}
        claim_codes: defaultdict[str, list[rd.ClaimCodeRow]] = defaultdict(list)
        for code_row in reference.rows(rd.ClaimCodeRow):
            claim_codes[code_row.form].append(code_row)
            condition(code_row.when)
        tables.claim_codes = dict(claim_codes)
        pcs: defaultdict[str, list[rd.PcsCodeRow]] = defaultdict(list)
        for pcs_row in sorted(reference.rows(rd.PcsCodeRow), key=lambda r: r.order):
            pcs[pcs_row.family].append(pcs_row)
            condition(pcs_row.when)
        tables.pcs = dict(pcs)
        return tables

    def setting_rows(self, form: str, setting: str | None) -> list[rd.ClaimSettingRow]:
        return self.settings.get((form, setting or ""), [])

    def derived_code(self, form: str, setting: str | None) -> str | None:
        return next((r.code for r in self.setting_rows(form, setting) if r.derived), None)

    def revenue_for(
        self, code: str, line_kind: str | None, setting: str | None
    ) -> rd.RevenueCodeRow | None:
        """The revenue code derived for a line: the setting's row for its kind, the code's own
        row, a row for its range of codes, else its line kind's."""
        found = self.revenue_by_setting.get((setting or "", line_kind or ""))
        found = found or self.revenue_by_code.get(code)
        if found is None:
            found = next(
                (r for prefix, r in self.revenue_by_prefix if code.startswith(prefix)), None
            )
        return found or self.revenue_by_kind.get(line_kind or "")


claim_tables = per_reference(ClaimTables.build)
"""The ClaimTables of an open reference, built on first use."""


def normalize_type_of_bill(text: str) -> str:
    """'131' (837I, leading zero dropped) → '0131'."""
    return text if len(text) == 4 else f"0{text}"


def claim_facts(case: Case, reference: Reference) -> ClaimFacts:
    form = case.claim_type
    if form is None:
        return ClaimFacts(billed_by=case.billed_by)
    tables = claim_tables(reference)
    derived: list[str] = []
    billed_by = case.billed_by
    if billed_by is None:
        billed_by = DEFAULT_BILLED_BY[form]
        derived.append("billed_by")
    if form == "professional":
        pos = case.place_of_service or tables.derived_code(form, case.setting)
        if case.place_of_service is None and pos is not None:
            derived.append("place_of_service")
        place = tables.places.get(pos or "")
        return ClaimFacts(
            form=form,
            billed_by=billed_by,
            place_of_service=pos,
            facility_rate=place.facility_rate if place else False,
            derived=tuple(derived),
        )
    tob = normalize_type_of_bill(case.type_of_bill) if case.type_of_bill else None
    if tob is None:
        prefix = tables.derived_code(form, case.setting)
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


NDC_PADDING: dict[tuple[int, ...], tuple[int, int, int]] = {
    (4, 4, 2): (1, 0, 0),
    (5, 3, 2): (0, 1, 0),
    (5, 4, 1): (0, 0, 1),
    (5, 4, 2): (0, 0, 0),
}
"""Label segment lengths → leading zeros added to each segment for the 5-4-2 form."""


def billing_ndc(text: str) -> str | None:
    """A label NDC (4-4-2, 5-3-2, 5-4-1 with hyphens) or an 11-digit NDC → the 11-digit
    5-4-2 billing form without hyphens; None when it cannot be converted unambiguously
    (e.g. 10 digits without hyphens: which segment to pad is unknown)."""
    segments = text.replace(" ", "-").split("-")
    if len(segments) == 1:
        return text if len(text) == 11 and text.isdigit() else None
    lengths = tuple(len(s) for s in segments)
    padding = NDC_PADDING.get(lengths)
    if padding is None or not all(s.isdigit() for s in segments):
        return None
    return "".join("0" * zeros + s for zeros, s in zip(padding, segments, strict=True))


def display_ndc(ndc: str) -> str:
    """'00002123456' → '00002-1234-56' for reading."""
    return f"{ndc[:5]}-{ndc[5:9]}-{ndc[9:]}"

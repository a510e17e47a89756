"""Claim-form checks: POS or TOB against the setting, who bills on which form, revenue codes
and NDCs on the lines, condition and value codes, and the inpatient ICD-10-PCS codes."""

from __future__ import annotations

import re

from models.coder.claim import ClaimTables, billing_ndc, claim_tables, display_ndc
from models.coder.state import LineDraft, Run, in_effect
from models.conditions import Truth
from models.knowledge import condition
from models.worksheet import ClaimForm, PathStep, ProcedureCode

NDC_WHERE = {
    "professional": "837P loop 2410 (LIN N4 + NDC, CTP quantity and unit) or the shaded area "
    "of CMS-1500 item 24A",
    "institutional": "837I loop 2410 (LIN N4 + NDC, CTP quantity and unit) or UB-04 FL43",
}
NDC_SOURCE = "X12 RFI #2151 (loop 2410 LIN/CTP); NUCC CMS-1500 24A convention (FACTS-CLAIMS §3)"
RULE_POS_CITATION = "CMS place-of-service code set; IOM 100-04 ch.12 §20.4.2"
SETTING_WORDS = {
    "inpatient": "an inpatient stay",
    "outpatient-hospital": "a hospital outpatient department",
    "asc": "an ambulatory surgical center",
    "office": "an office",
}


def check_claim(run: Run) -> None:
    """Every claim-form check, in the order a coder fills in the form."""
    tables = claim_tables(run.reference)
    check_form_fields(run, tables)
    check_billed_by(run, tables)
    if run.claim.is_institutional:
        assign_revenue_codes(run, tables)
    elif any(line.entered_revenue_code for line in run.lines):
        run.add(
            "revenue-code",
            "Revenue codes belong to the institutional form (UB-04 FL42); the professional claim "
            "carries none: the entered revenue code is not used.",
            severity="warning",
        )
    assign_ndcs(run, tables)
    derive_procedures(run, tables)
    run.claim_form = claim_form(run, tables)


# -- form fields ---------------------------------------------------------------------------


def check_form_fields(run: Run, tables: ClaimTables) -> None:
    case, claim = run.case, run.claim
    if claim.is_institutional and case.place_of_service:
        run.add(
            "pos-setting",
            f"Place of service {case.place_of_service} is a professional-claim field; the "
            "institutional claim uses the type of bill: the POS is not used.",
            (case.place_of_service,),
            severity="warning",
        )
    if claim.is_professional and case.type_of_bill:
        run.add(
            "tob-setting",
            f"Type of bill {case.type_of_bill} is an institutional-claim field; the professional "
            "claim uses the place of service: the type of bill is not used.",
            (case.type_of_bill,),
            severity="warning",
        )
    if case.setting is None:
        return
    if claim.is_professional and claim.place_of_service:
        check_place_of_service(run, tables, claim.place_of_service, case.setting)
    if claim.is_institutional and claim.type_of_bill:
        check_type_of_bill(run, tables, claim.type_of_bill, case.setting)


def check_place_of_service(run: Run, tables: ClaimTables, pos: str, setting: str) -> None:
    rows = tables.setting_rows("professional", setting)
    if any(row.code == pos for row in rows):
        return
    place = tables.places.get(pos)
    named = (
        f"{pos} ({place.name})" if place else f"{pos} (not a place of service this program lists)"
    )
    fits = ", ".join(f"{row.code} ({_place_name(tables, row.code)})" for row in rows)
    run.add(
        "pos-setting",
        f"Place of service {named} contradicts the setting, {SETTING_WORDS[setting]}: use {fits}.",
        (pos,),
        citation="; ".join(sorted({row.source for row in rows})) or RULE_POS_CITATION,
    )


def _place_name(tables: ClaimTables, pos: str) -> str:
    place = tables.places.get(pos)
    return place.name if place else "place of service"


def check_type_of_bill(run: Run, tables: ClaimTables, tob: str, setting: str) -> None:
    rows = tables.setting_rows("institutional", setting)
    matched = next((row for row in rows if tob.startswith(row.code)), None)
    if matched is not None:
        if matched.verify:
            run.add(
                "verify-reference",
                f"Type of bill {tob} ({matched.name}): {matched.note}; not confirmed for this "
                "claim: verify with the payer.",
                (tob,),
                citation=matched.source,
            )
        return
    fits = ", ".join(f"{row.code}x ({row.name})" for row in rows)
    message = f"Type of bill {tob} contradicts the setting, {SETTING_WORDS[setting]}"
    run.add(
        "tob-setting",
        f"{message}: use {fits}."
        if rows
        else f"{message}: no institutional claim is billed there.",
        (tob,),
        citation="; ".join(sorted({row.source for row in rows})) or "NUBC UB-04 FL4 type of bill",
    )


def check_billed_by(run: Run, tables: ClaimTables) -> None:
    claim, setting = run.claim, run.case.setting
    if claim.form is None or setting is None or claim.billed_by is None:
        return
    rows = tables.setting_rows(claim.form, setting)
    if not rows:
        return
    kind = run.payer.kind if run.payer else None
    refused = next((r for r in rows if kind and kind in r.refused_payer_kind_list), None)
    if refused is not None and run.payer is not None:
        run.add(
            "claim-form",
            f"{run.payer.name} does not take the institutional form from "
            f"{SETTING_WORDS[setting]}: {refused.note}.",
            (claim.form,),
            citation=refused.source,
        )
    allowed = {who for r in rows for who in r.billed_by_list}
    if claim.billed_by in allowed:
        return
    if claim.is_institutional:
        run.add(
            "claim-form",
            "A practitioner's services are billed on the professional form (CMS-1500 / 837P). "
            "Only a critical access hospital that elected the optional method bills them on its "
            "UB-04 (revenue codes 096x-098x): verify.",
            (claim.form,),
            severity="warning",
        )
        return
    if setting == "office":
        message = (
            "An office is not a facility: the claim for a service in the office is the "
            "practitioner's (billed_by practitioner)."
        )
    else:
        message = (
            f"A facility's own claim for {SETTING_WORDS[setting]} goes on the institutional "
            "form (UB-04 / 837I); only an ambulatory surgical center bills its facility fee on "
            "the professional form."
        )
    run.add("claim-form", message, (claim.form,))


# -- lines ---------------------------------------------------------------------------------


INPATIENT_VISIT_CITATION = (
    "FACTS-CLAIMS §1.4-1.6 and §2.2 (inpatient professional services are billed on the "
    "CMS-1500 with POS 21; the hospital's inpatient claim carries its own charges)"
)


def is_inpatient_visit(run: Run, line: LineDraft) -> bool:
    """A practitioner's visit (E/M) on the hospital's inpatient claim."""
    inpatient_facility = run.claim.is_institutional and run.case.setting == "inpatient"
    return inpatient_facility and line.kind_of_code == "evaluation-management"


def report_inpatient_visit(run: Run, line: LineDraft) -> None:
    run.add(
        "code-setting",
        f"{line.code} is a practitioner's visit: during an inpatient stay it is billed by the "
        "practitioner on the professional claim (CMS-1500 / 837P, POS 21), not on the "
        "hospital's inpatient claim (UB-04 type of bill 011x), which has no revenue code for it.",
        (line.code,),
        severity="warning",
        citation=INPATIENT_VISIT_CITATION,
    )


def assign_revenue_codes(run: Run, tables: ClaimTables) -> None:
    for line in run.lines:
        kind = line.row.line_kind if line.row else None
        if is_inpatient_visit(run, line):
            report_inpatient_visit(run, line)
            continue
        if line.entered_revenue_code:
            check_entered_revenue_code(run, tables, line, kind)
            continue
        found = tables.revenue_for(line.code, kind, run.case.setting)
        if found is None:
            run.add(
                "revenue-code",
                f"{line.code}: no revenue code can be derived for this line; enter its revenue "
                "code (UB-04 FL42).",
                (line.code,),
                severity="warning",
            )
            continue
        line.revenue_code, line.revenue_description = found.revenue_code, found.description
        if found.verify:
            run.add(
                "verify-reference",
                f"{line.code} on revenue code {found.revenue_code} ({found.description}): "
                f"{found.note or 'not confirmed'}.",
                (line.code,),
                citation=found.source,
            )


def check_entered_revenue_code(
    run: Run, tables: ClaimTables, line: LineDraft, kind: str | None
) -> None:
    entered = line.entered_revenue_code or ""
    entered = entered if len(entered) == 4 else f"0{entered}"
    line.revenue_code = entered
    known = tables.revenue.get(entered)
    if known is None:
        run.add(
            "revenue-code",
            f"{line.code}: revenue code {entered} is not in this program's list: verify it fits "
            "the line.",
            (line.code, entered),
            severity="warning",
        )
        return
    line.revenue_description = known.description
    if kind is None or kind in known.line_kind_list:
        if known.verify:
            run.add(
                "verify-reference",
                f"{line.code} on revenue code {entered} ({known.description}): "
                f"{known.note or 'not confirmed'}.",
                (line.code, entered),
                citation=known.source,
            )
        return
    expected = tables.revenue_for(line.code, kind, run.case.setting)
    hint = f" Use {expected.revenue_code} ({expected.description})." if expected else ""
    run.add(
        "revenue-code",
        f"{line.code} is a {kind} line; revenue code {entered} ({known.description}) is for "
        f"{' or '.join(known.line_kind_list)} charges.{hint}",
        (line.code, entered),
        citation=known.source,
    )


def assign_ndcs(run: Run, tables: ClaimTables) -> None:
    drug = run.case.drug
    product = next((line for line in run.lines if is_drug(line) and line.origin == "derived"), None)
    if product is not None and drug is not None:
        product.entered_ndc = drug.ndc
        product.ndc_quantity, product.ndc_unit = drug.quantity, drug.unit
    for line in run.lines:
        if line.entered_ndc:
            set_ndc(run, line, line.entered_ndc)
        required = tables.ndc_required.get(line.code)
        if required is not None and is_drug(line):
            check_ndc_details(run, line, required.note)


def is_drug(line: LineDraft) -> bool:
    return line.row is not None and line.row.line_kind == "drug"


def set_ndc(run: Run, line: LineDraft, text: str) -> None:
    if line.row is not None and not is_drug(line):
        run.add(
            "ndc-format",
            f"{line.code} is not a drug line: an NDC is reported only on drug lines.",
            (line.code, text),
            severity="warning",
        )
        return
    ndc = billing_ndc(text)
    if ndc is None:
        run.add(
            "ndc-format",
            f"NDC {text!r} on {line.code} cannot be converted to the 11-digit 5-4-2 form: enter it "
            "as printed on the package (4-4-2, 5-3-2 or 5-4-1 with hyphens) or with 11 digits.",
            (line.code, text),
        )
        return
    line.ndc = ndc
    padded = "" if text.replace("-", "") == ndc else f" (label {text}, padded to 5-4-2)"
    line.path.append(
        PathStep(
            kind="entered",
            text=f"NDC {display_ndc(ndc)}{padded}: reported as N4{ndc}",
            source=NDC_SOURCE,
        )
    )


def check_ndc_details(run: Run, line: LineDraft, note: str) -> None:
    where = NDC_WHERE.get(run.claim.form or "professional", NDC_WHERE["professional"])
    if line.entered_ndc is None:
        run.add(
            "ndc-missing",
            f"{line.code} has no NDC. {note}; it goes in {where}.",
            (line.code,),
        )
    elif line.origin == "derived" and (line.ndc_quantity is None or line.ndc_unit is None):
        run.add(
            "ndc-missing",
            f"{line.code}: the NDC quantity and unit (UN, ML, GR, ME or F2) are missing; they go "
            f"with the NDC in {where}.",
            (line.code,),
        )


# -- claim-level codes ---------------------------------------------------------------------


def claim_form(run: Run, tables: ClaimTables) -> ClaimForm:
    claim = run.claim
    place = tables.places.get(claim.place_of_service or "")
    tob_row = next(
        (
            r
            for r in tables.setting_rows("institutional", run.case.setting)
            if claim.type_of_bill and claim.type_of_bill.startswith(r.code)
        ),
        None,
    )
    conditions, values = claim_codes(run, tables)
    return ClaimForm(
        form=claim.form,
        billed_by=claim.billed_by,
        place_of_service=claim.place_of_service if claim.is_professional else None,
        place_of_service_name=place.name if place and claim.is_professional else "",
        facility_rate=claim.facility_rate if claim.is_professional else None,
        type_of_bill=claim.type_of_bill if claim.is_institutional else None,
        type_of_bill_name=(tob_row.name or "") if tob_row else "",
        condition_codes=conditions,
        value_codes=values,
        derived=claim.derived,
    )


def claim_codes(
    run: Run, tables: ClaimTables
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    conditions: list[str] = []
    values: list[tuple[str, str]] = []
    for row in tables.claim_codes.get(run.claim.form or "", []):
        if condition(row.when).truth(run.context) is not Truth.TRUE:
            continue
        if row.kind == "condition":
            conditions.append(row.code)
            continue
        raw = run.context.get(row.value_from or "")
        value = re.sub(r"\D", "", str(raw)) if raw is not None else ""
        values.append((row.code, value))
    return tuple(conditions), tuple(values)


def derive_procedures(run: Run, tables: ClaimTables) -> None:
    """ICD-10-PCS codes: the facility's inpatient claim only (never professional/outpatient)."""
    if not (run.claim.is_institutional and run.case.setting == "inpatient") or run.family is None:
        return
    context = dict(run.context)
    if context.get("pancreatectomy_approach") is None:
        context["pancreatectomy_approach"] = context.get("approach")
    dos = run.case.date_of_service
    for row in tables.pcs.get(run.family_id, []):
        if condition(row.when).truth(context) is not Truth.TRUE or not in_effect(row, dos):
            continue
        run.procedures.append(
            ProcedureCode(
                code=row.code, description=row.description, why=row.why, source=row.source
            )
        )
        if row.verify:
            run.add(
                "verify-reference",
                f"ICD-10-PCS {row.code}: {row.why}. Not confirmed: verify in the current PCS tables.",
                (row.code,),
                citation=row.source,
            )

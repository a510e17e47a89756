"""Who bills what, where: drug lines on a practitioner's facility claim, and the payment
status of each code in the fee schedule that pays the claim."""

from __future__ import annotations

from models import refdata as rd
from models.coder.liability import LIABILITY, billed_for_denial
from models.coder.state import LineDraft, Run

SCHEDULE_NAMES: dict[str, str] = {
    "mpfs": "Medicare physician fee schedule",
    "opps": "Medicare hospital outpatient (OPPS)",
    "asc": "Medicare ASC payment list",
}
CLAIM_NAMES: dict[str, str] = {
    "mpfs": "practitioner's claim",
    "opps": "hospital's outpatient claim",
    "asc": "ambulatory surgical center's claim",
}


def practitioner_in_facility(run: Run) -> bool:
    claim = run.claim
    return claim.is_professional and claim.billed_by == "practitioner" and claim.facility_rate


def check_drug_lines(run: Run) -> None:
    if not practitioner_in_facility(run):
        return
    pos = run.claim.place_of_service
    for line in run.lines:
        if line.line_kind == "drug":
            unconfirmed = " (That the code is a drug is the reference's inference: verify.)"
            run.add(
                "drug-billed-by-facility",
                f"{line.code} is a drug or biological on the practitioner's claim in a facility "
                f"(POS {pos}): the facility supplied it and bills it on its own claim. A drug line "
                "belongs on a professional claim only when the professional bought the product, "
                f"in the office (POS 11).{unconfirmed if line.kind_unconfirmed else ''}",
                (line.code,),
                severity="warning" if line.kind_unconfirmed else "error",
            )


def schedule_of_claim(run: Run) -> rd.Schedule | None:
    """Which payment list governs the claim: the physician fee schedule for the practitioner's
    claim, OPPS for the hospital's outpatient claim, the ASC list for the ASC's claim."""
    claim, setting = run.claim, run.case.setting
    if claim.billed_by == "practitioner" and claim.is_professional:
        return "mpfs"
    if claim.billed_by == "facility" and setting == "asc":
        return "asc"
    if (
        claim.billed_by == "facility"
        and claim.is_institutional
        and setting == "outpatient-hospital"
    ):
        return "opps"
    return None


def status_of(run: Run, line: LineDraft, schedule: rd.Schedule) -> rd.PaymentStatusRow | None:
    row = run.knowledge.payment_status.get((line.code, schedule))
    if row is not None:
        return row
    if schedule == "mpfs" and line.code_class and line.code_class.mpfs_status:
        klass = line.code_class
        return rd.PaymentStatusRow(
            code=line.code, schedule="mpfs", status=klass.mpfs_status or "", source=klass.source
        )
    return None


def meaning_of(run: Run, row: rd.PaymentStatusRow) -> rd.PaymentMeaningRow | None:
    return run.knowledge.payment_meanings.get((row.schedule, row.status))


def check_payment_status(run: Run) -> None:
    schedule = schedule_of_claim(run)
    if schedule is None or run.payer is None or run.anesthesia_claim:
        return
    for line in run.lines:
        row = status_of(run, line, schedule)
        meaning = meaning_of(run, row) if row else None
        if row is not None and meaning is not None:
            report_status(run, line, row, meaning)
        if schedule == "mpfs" and run.claim.place_of_service == "11":
            check_office_operation(run, line)
        if schedule == "mpfs" and run.payer.kind == "medicare":
            check_assistant(run, line)


def report_status(
    run: Run, line: LineDraft, row: rd.PaymentStatusRow, meaning: rd.PaymentMeaningRow
) -> None:
    assert run.payer is not None
    medicare = run.payer.kind == "medicare"
    effect = meaning.medicare if medicare else meaning.other_payers
    if effect == "none" or (not medicare and payer_policy_covers(run)):
        return
    note = f" {row.note}." if row.note else ""
    what = (
        f"{line.code}: {SCHEDULE_NAMES[row.schedule]} status {row.status}: {meaning.meaning}.{note}"
    )
    citation = f"{row.source}; {meaning.source}"
    if effect == "error" and medicare:
        if billed_for_denial(run, what, citation, (line.code,), meaning.denial_modifier_list):
            return
        what += f" Medicare does not pay it on the {CLAIM_NAMES[row.schedule]}{denial_advice(meaning, line)}"
    elif not medicare:
        what += f" This is Medicare's status; {run.payer.name} may follow it: verify."
    if row.verify:
        what += " (The status rests on an unconfirmed source: verify.)"
        effect = "warning" if effect == "error" else effect
    run.add("payment-status", what, (line.code,), severity=effect, citation=citation)


def payer_policy_covers(run: Run) -> bool:
    """A commercial payer's own policy covers the service: its source says otherwise than
    Medicare's status."""
    return run.position is not None and run.position.position == "covered-with-criteria"


def denial_advice(meaning: rd.PaymentMeaningRow, line: LineDraft) -> str:
    allowed = meaning.denial_modifier_list
    if not allowed:
        return "."
    wrong = [m for m in line.modifiers if m in LIABILITY and m not in allowed]
    misuse = f" {wrong[0]} does not fit this status." if wrong else ""
    return (
        f": to bill it for a denial, report {' or '.join(allowed)} "
        f"({'; '.join(LIABILITY[m] for m in allowed)}), or do not bill it.{misuse}"
    )


ASSISTANT_MODIFIERS = ("80", "81", "82", "AS")
ASSISTANT_RULES: dict[str, tuple[str, str]] = {
    "0": ("warning", "paid only when the record documents why an assistant was needed"),
    "1": ("error", "never paid for this code"),
}


def check_assistant(run: Run, line: LineDraft) -> None:
    row = run.knowledge.fee_schedule.get(line.code)
    used = [m for m in line.modifiers if m in ASSISTANT_MODIFIERS]
    rule = ASSISTANT_RULES.get(row.assistant_surgeon or "") if row else None
    if row is None or not used or rule is None:
        return
    severity, what = rule
    run.add(
        "payment-status",
        f"{line.code} with {used[0]}: the physician fee schedule's assistant-at-surgery "
        f"indicator is {row.assistant_surgeon}: an assistant at surgery is {what}.",
        (line.code, used[0]),
        severity="warning" if severity == "warning" else "error",
        citation=row.source,
    )


def check_office_operation(run: Run, line: LineDraft) -> None:
    row = run.knowledge.fee_schedule.get(line.code)
    if row is not None and row.nonfacility_priced == "no":
        run.add(
            "payment-status",
            f"{line.code} has no non-facility (office) value in the physician fee schedule: "
            "a major operation is done in a facility, not in an office (POS 11). Check the "
            "place of service and the setting.",
            (line.code,),
            severity="warning",
            citation=row.source,
        )

"""Anesthesia: its codes on the anesthesia provider's claim only, with a pricing modifier
first and the time; the surgeon's anesthesia is modifier 47 at most.

A claim is the anesthesia provider's when its rendering taxonomy is an anesthesia specialty
(anesthesiologist, CRNA, anesthesiologist assistant: reference table provider_roles) and it
carries an anesthesia code."""

from __future__ import annotations

from models import refdata as rd
from models.coder.state import LineDraft, Run, is_anesthesia_provider

ANESTHESIA_RANGE = "00100-01999"
PRICING_MODIFIERS = ("AA", "AD", "QK", "QX", "QY", "QZ")
"""Payment modifiers of an anesthesia line, reported first (CMS 100-04 ch.12; NGS anesthesia
billing: FACTS-CLAIMS §6.4); QS, G8 and G9 are informational and follow them."""


def move_surgical_lines(run: Run) -> None:
    """On the anesthesia provider's claim the surgeon's derived codes are not lines: the claim
    reports the anesthesia code for them."""
    has_anesthesia = any(line.line_kind == "anesthesia" for line in run.lines)
    run.anesthesia_claim = has_anesthesia and is_anesthesia_provider(run)
    if not run.anesthesia_claim:
        return
    for line in run.lines:
        if line.line_kind == "anesthesia":  # the case's modifiers go on this claim's own lines
            case_modifiers = [m for m in run.case.modifiers if m not in line.modifiers]
            line.modifiers[:0] = case_modifiers
    surgical = [line for line in run.lines if line.origin == "derived"]
    if not surgical:
        return
    codes = tuple(line.code for line in surgical)
    run.lines = [line for line in run.lines if line.origin != "derived"]
    run.findings = [f for f in run.findings if not (f.codes and f.codes[0] in codes)]
    run.for_procedures = tuple(line.code for line in surgical if line.line_kind == "procedure")
    run.add(
        "derivation-note",
        f"Anesthesia provider's claim: {', '.join(codes)} belong on the surgeon's and the "
        "facility's claims, not here; this claim reports the anesthesia code, its pricing "
        "modifier and the time." + crosswalk_hint(run, run.for_procedures),
        codes,
        citation="NGS anesthesia billing; Noridian JF modifier 47 (FACTS-CLAIMS §6.4-6.5)",
    )


def crosswalk_rows(run: Run, procedures: tuple[str, ...]) -> list[rd.AnesthesiaCrosswalkRow]:
    rows = run.reference.rows(rd.AnesthesiaCrosswalkRow)
    return [row for row in rows if row.procedure in procedures]


def crosswalk_hint(run: Run, procedures: tuple[str, ...]) -> str:
    rows = crosswalk_rows(run, procedures)
    if not rows:
        return ""
    pairs = "; ".join(f"{r.procedure} → {r.anesthesia} ({r.note})" for r in rows)
    unconfirmed = (
        " — the program's inference, verify with the ASA crosswalk"
        if any(r.verify for r in rows)
        else ""
    )
    return f" Crosswalk: {pairs}{unconfirmed}."


def check_anesthesia(run: Run) -> None:
    anesthesia = [line for line in run.lines if line.line_kind == "anesthesia"]
    if run.anesthesia_claim:
        check_anesthesia_provider_claim(run, anesthesia)
        return
    if is_anesthesia_provider(run):
        procedures = tuple(line.code for line in run.lines if line.origin == "derived")
        run.add(
            "anesthesia-claim",
            f"The rendering provider ({run.case.rendering_taxonomy}) is an anesthesia specialty "
            "but the claim has no anesthesia code: the anesthesia provider's claim reports the "
            f"anesthesia code ({ANESTHESIA_RANGE}), not the surgical codes.{crosswalk_hint(run, procedures)} "
            "Check the rendering provider or the lines.",
            severity="warning",
        )
    whose = "facility's" if run.claim.billed_by == "facility" else "surgeon's"
    for line in anesthesia:
        run.add(
            "anesthesia-claim",
            f"{line.code} is an anesthesia code ({ANESTHESIA_RANGE}): it belongs on the "
            f"anesthesia provider's claim (anesthesiologist or CRNA), not on the {whose} claim. "
            "Anesthesia by the surgeon is reported, if at all, with modifier 47 on the surgical "
            "code; moderate sedation by the operating physician with 99152/+99153.",
            (line.code,),
        )


def check_anesthesia_provider_claim(run: Run, anesthesia: list[LineDraft]) -> None:
    for line in anesthesia:
        check_pricing_modifier(run, line)
        check_time(run, line)
    check_crosswalk(run, anesthesia)
    check_one_anesthetic(run, anesthesia)
    time_unit = anesthesia_time_row(run)
    if time_unit is not None and time_unit.verify:
        run.add(
            "anesthesia-claim",
            f"{run.payer.name if run.payer else 'This payer'}: {time_unit.note}.",
            severity="warning",
            citation=time_unit.source,
        )


def check_one_anesthetic(run: Run, anesthesia: list[LineDraft]) -> None:
    """Several procedures under one anesthetic: one anesthesia code, the total time."""
    days: dict[object, list[str]] = {}
    for line in anesthesia:
        day = line.entered.date_of_service if line.entered else None
        days.setdefault(day or run.case.date_of_service, []).append(line.code)
    for codes in days.values():
        if len(codes) > 1:
            run.add(
                "anesthesia-claim",
                f"{', '.join(codes)} on the same date: procedures done under one anesthetic are "
                "reported with the single anesthesia code of the highest base units and the "
                "total time; separate anesthetics need the record to show them.",
                tuple(codes),
                severity="warning",
                citation="NGS anesthesia (multiple procedures rule) (FACTS-CLAIMS §6.3)",
            )


def check_pricing_modifier(run: Run, line: LineDraft) -> None:
    pricing = [m for m in line.modifiers if m in PRICING_MODIFIERS]
    if line.modifiers and line.modifiers[0] in pricing:
        check_provider_modifier(run, line, line.modifiers[0])
        return
    where = f"{pricing[0]} is there but not first" if pricing else "none is on the line"
    run.add(
        "anesthesia-claim",
        f"{line.code}: an anesthesia line carries its pricing modifier first (AA personally "
        "performed, AD supervision of more than four, QK medical direction of two to four, QY "
        f"direction of one CRNA, QX CRNA directed, QZ CRNA not directed): {where}. "
        "QS, G8 and G9 follow it.",
        (line.code,),
    )


def check_provider_modifier(run: Run, line: LineDraft, modifier: str) -> None:
    """AA, AD, QK and QY say what an anesthesiologist did; QX and QZ what a CRNA did: the
    rendering provider's own modifiers are in provider_roles.csv."""
    taxonomy = (run.case.rendering_taxonomy or "").upper()
    roles = [r for r in run.reference.rows(rd.ProviderRoleRow) if r.taxonomy == taxonomy]
    own = roles[0].pricing_modifier_list if roles else ()
    if not own or modifier in own:
        return
    run.add(
        "anesthesia-claim",
        f"{line.code}-{modifier}: {modifier} is not a pricing modifier of the rendering "
        f"provider ({roles[0].note}, {taxonomy}), who reports {', '.join(own)}. AA, AD, QK and "
        "QY describe the anesthesiologist's own work or medical direction; QX and QZ the "
        "CRNA's service with or without medical direction. Each bills on their own claim.",
        (line.code, modifier),
        citation=roles[0].source,
    )


def check_time(run: Run, line: LineDraft) -> None:
    """Medicare: the line's quantity is the anesthesia time in minutes (`minutes`, or the
    units when more than one: 837P SV104 with SV103 'MJ')."""
    minutes = line.entered.minutes if line.entered else None
    row = anesthesia_time_row(run)
    if row is None or row.time_unit != "minutes" or row.verify:
        return
    if minutes is None and line.units <= 1:
        run.add(
            "anesthesia-claim",
            f"{line.code}: report the anesthesia time in minutes ({row.note}); the line has no "
            "minutes.",
            (line.code,),
            citation=row.source,
        )


def anesthesia_time_row(run: Run) -> rd.AnesthesiaTimeRow | None:
    rows = run.reference.rows(rd.AnesthesiaTimeRow)
    own = [r for r in rows if r.payer == run.payer_id] or [r for r in rows if r.payer == "*"]
    return own[0] if own else None


def check_crosswalk(run: Run, anesthesia: list[LineDraft]) -> None:
    rows = crosswalk_rows(run, run.for_procedures)
    expected = {r.anesthesia for r in rows}
    if not expected or expected & {line.code for line in anesthesia}:
        return
    run.add(
        "anesthesia-claim",
        f"The anesthesia code on the claim ({', '.join(line.code for line in anesthesia)}) is "
        f"not the one suggested for {', '.join(run.for_procedures)}.{crosswalk_hint(run, run.for_procedures)}",
        tuple(line.code for line in anesthesia),
        severity="warning",
        citation="; ".join(sorted({r.source for r in rows})),
    )

"""Claim-line checks: codes, modifiers, add-ons, units and pair edits."""

from __future__ import annotations

from models import refdata as rd
from models.coder.official import (
    hcpcs_modifier_note,
    mue_replaces_own_limit,
    ncci_status,
    official_pair,
)
from models.coder.scope import check_code_outside_scope, predecessor_hint
from models.coder.state import LineDraft, Run, effective_span, in_effect, show_plain
from models.conditions import Truth
from models.knowledge import condition
from models.worksheet import Severity

DISTINCT_SERVICE_KINDS = ("distinct-service",)


def check_lines(run: Run) -> None:
    seen: dict[tuple[str, tuple[str, ...]], LineDraft] = {}
    for line in run.lines:
        key = (line.code, tuple(sorted(line.modifiers)))
        if key in seen:
            run.add(
                "duplicate-line",
                f"{line.code} appears twice with the same modifiers.",
                (line.code,),
            )
        seen[key] = line
        if line.row is None:
            check_code_outside_scope(run, line)
            continue
        check_code(run, line, line.row)
        check_other_family(run, line, line.row)
        check_modifiers(run, line, line.row)
    check_addons(run)
    for caution in run.knowledge.cautions("code", run.case.family):
        for line in run.lines:
            if line.code == caution.value and run.holds(caution.when):
                run.merge(
                    caution.rule, caution.message, (line.code,), caution.severity, caution.source
                )


def answer_keys_of_case_date(run: Run, line: LineDraft) -> frozenset[str]:
    """The answers describe the operation on the case's date: a line on another date of
    service (a later infusion) is not held to them."""
    own = line.entered.date_of_service if line.entered else None
    if own is None or own == run.case.date_of_service or run.case.family is None:
        return frozenset()
    return frozenset(q.question for q in run.reference.questions(run.case.family))


def check_code(run: Run, line: LineDraft, row: rd.CodeRow) -> None:
    check_code_dates(run, line, row)
    check_code_age(run, line, row)
    check_code_payer(run, line, row)
    answered = answer_keys_of_case_date(run, line)
    for requirement in run.knowledge.code_conditions.get(line.code, []):
        if condition(requirement.requires).keys & answered:
            continue
        if condition(requirement.requires).truth(run.context) is Truth.FALSE:
            answer = "; ".join(
                f"{k}: {show_plain(run.context.get(k))}"
                for k in sorted(condition(requirement.requires).keys)
            )
            severity = "warning" if requirement.verify else requirement.severity
            run.add(
                requirement.rule,
                f"{requirement.message} ({answer}).",
                (line.code,),
                severity=severity,
                citation=requirement.source,
            )
    check_required_modifiers(run, line)
    if (
        row.max_units is not None
        and line.units > row.max_units
        and not mue_replaces_own_limit(run, line.code)
    ):
        run.add(
            "units-exceed",
            f"{line.code} is reported with {line.units} units; this program expects at most {row.max_units} per date of service.",
            (line.code,),
        )


def check_other_family(run: Run, line: LineDraft, row: rd.CodeRow) -> None:
    other = run.reference.families.get(row.family or "")
    if other is None or run.family is None or other.family == run.family.family:
        return
    run.add(
        "code-other-family",
        f"{line.code} ({row.descriptor}) is a code of {other.name}, not of this "
        f"{run.family.name} claim: its coverage, approach, code set and edits are not checked "
        "here. Remove it, or code it on a worksheet of its own family.",
        (line.code,),
        citation=row.source,
    )


def check_addons(run: Run) -> None:
    present = {line.code for line in run.lines}
    for row in run.reference.rows(rd.AddonParentRow):
        if row.addon in present and not present & set(row.parent_list):
            unconfirmed = " (this list of primary codes is not confirmed: verify)" if row.verify else ""
            run.add(
                "addon-without-primary",
                f"{row.addon} is an add-on code reported only with {' or '.join(row.parent_list)}, which is not on the claim{unconfirmed}.",
                (row.addon,),
                citation=row.source,
                severity="warning" if row.verify else None,
            )


def check_required_modifiers(run: Run, line: LineDraft) -> None:
    for row in run.reference.rows(rd.RequiredModifierRow):
        if row.code != line.code or row.payer not in ("*", run.payer_id) or not run.holds(row.when):
            continue
        if not set(row.modifier_list) & set(line.modifiers):
            suffix = " (not confirmed for this product: verify)" if row.verify else ""
            severity: Severity = "warning" if row.verify else row.severity
            run.add(
                row.rule,
                f"{line.code}: {row.message}{suffix}.",
                (line.code,),
                severity=severity,
                citation=row.source,
            )


def check_code_dates(run: Run, line: LineDraft, row: rd.CodeRow) -> None:
    """Against the line's own date when it names one (a visit the day before), else the case's."""
    own = line.entered.date_of_service if line.entered else None
    dos = own or run.case.date_of_service
    if dos is None:
        return
    if row.effective_from and dos < row.effective_from:
        hint, unconfirmed = predecessor_hint(run, line.code)
        run.add(
            "code-not-effective",
            f"{line.code} takes effect {row.effective_from}; the date of service is {dos}.{hint}"
            + (" (The earlier code is the reference's inference: verify.)" if unconfirmed else ""),
            (line.code,),
            citation=row.source,
        )
    elif row.effective_to and dos > row.effective_to:
        run.add(
            "code-not-effective",
            f"{line.code} ended {row.effective_to}; the date of service is {dos}."
            + (f" {row.note}." if row.note else ""),
            (line.code,),
            citation=row.source,
        )
    elif row.verified_through and dos > row.verified_through:
        run.add(
            "verify-reference",
            f"{line.code}: status confirmed only through {row.verified_through}; {row.note or 'verify in the current code book'}.",
            (line.code,),
            citation=row.source,
        )


def check_code_age(run: Run, line: LineDraft, row: rd.CodeRow) -> None:
    if row.age_min is None and row.age_max is None:
        return
    limits = age_limits(row)
    age = run.case.patient.age
    if age is None:
        run.add(
            "age-restricted-code",
            f"{line.code} is limited to patients {limits}; the patient's age is not given.",
            (line.code,),
            severity="warning",
            fix="Enter the patient's age.",
        )
    elif (row.age_min is not None and age < row.age_min) or (
        row.age_max is not None and age > row.age_max
    ):
        run.add(
            "age-restricted-code",
            f"{line.code} ({row.descriptor}) is for patients {limits}; the patient is {age}.",
            (line.code,),
            citation=row.source,
        )


def age_limits(row: rd.CodeRow) -> str:
    if row.age_max == 0:
        return "younger than 1 year"
    if row.age_min is not None and row.age_max is not None:
        return f"aged {row.age_min} to {row.age_max}"
    if row.age_min is not None:
        return f"aged {row.age_min} or over"
    return f"aged {row.age_max} or younger"


def check_code_payer(run: Run, line: LineDraft, row: rd.CodeRow) -> None:
    payer = run.payer
    if payer is None:
        return
    if row.code_set and row.code_set != payer.code_set:
        others = [
            c
            for c, r in run.reference.codes.items()
            if r.code_set == payer.code_set and r.family == row.family
        ]
        hint = f" Use {', '.join(sorted(others))}." if others else ""
        run.add(
            "payer-code-set",
            f"{line.code} belongs to the {run.reference.code_set_name(row.code_set)}; {payer.name} uses the {run.reference.code_set_name(payer.code_set)}.{hint}",
            (line.code,),
            citation=f"{row.source}; {payer.source}",
        )
    if row.is_s_code:
        if payer.accepts_s_codes == "no":
            run.add(
                "payer-code-not-accepted",
                f"{payer.name} does not accept HCPCS S codes such as {line.code}.",
                (line.code,),
                citation=payer.source,
            )
        elif payer.accepts_s_codes == "verify":
            run.add(
                "verify-reference",
                f"Whether {payer.name} accepts the HCPCS S code {line.code} is not confirmed: verify.",
                (line.code,),
                citation=payer.source,
            )


def check_modifiers(run: Run, line: LineDraft, row: rd.CodeRow) -> None:
    counted: set[str] = set()
    for modifier in line.modifiers:
        if modifier in counted:
            run.add(
                "modifier-conflict",
                f"{modifier} appears twice on {line.code}.",
                (line.code, modifier),
            )
            continue
        counted.add(modifier)
        mod = run.reference.modifiers.get(modifier)
        if mod is None or not in_effect(mod, run.case.date_of_service):
            unknown_modifier(run, line, modifier, mod)
            continue
        check_modifier_fit(run, line, row, mod)
    for index, first in enumerate(line.modifiers):
        for second in line.modifiers[index + 1 :]:
            conflict = run.knowledge.conflicts.get(frozenset((first, second)))
            if conflict is not None:
                run.add(
                    "modifier-conflict",
                    f"{first} and {second} on {line.code}: {conflict.reason}.",
                    (line.code, first, second),
                    citation=conflict.source,
                )
    check_modifier_order(run, line)
    for caution in run.knowledge.cautions("modifier", run.case.family):
        if caution.value in line.modifiers and run.holds(caution.when):
            run.merge(
                caution.rule,
                caution.message,
                (line.code, caution.value),
                caution.severity,
                caution.source,
            )


def check_modifier_order(run: Run, line: LineDraft) -> None:
    """Payment (pricing) modifiers first, informational ones after; the anesthesia line has
    its own pricing-first rule (anesthesia.py)."""
    if line.line_kind == "anesthesia":
        return
    known = [run.reference.modifiers.get(m) for m in line.modifiers]
    first_other = next((m.modifier for m in known if m is not None and not m.pricing), None)
    if first_other is None:
        return
    after = line.modifiers[line.modifiers.index(first_other) + 1 :]
    late = [m for m in after if (row := run.reference.modifiers.get(m)) and row.pricing]
    if late:
        run.add(
            "modifier-order",
            f"On {line.code} the payment modifier {late[0]} comes after {first_other}: report "
            "the modifiers that change the payment first, then the informational ones "
            "(a claim-instruction convention not confirmed here: verify with the payer).",
            (line.code, late[0]),
            severity="warning",
        )


def unknown_modifier(run: Run, line: LineDraft, modifier: str, mod: rd.ModifierRow | None) -> None:
    if mod is None:
        run.add(
            "unknown-modifier",
            f"{modifier} on {line.code} is not a modifier in the reference.{hcpcs_modifier_note(run, modifier)}",
            (line.code, modifier),
        )
        return
    span = effective_span(mod)
    note = f" {mod.note}." if mod.note else ""
    run.add(
        "unknown-modifier",
        f"{modifier} ({mod.description}) on {line.code} is in effect only {span}.{note}",
        (line.code, modifier),
        citation=mod.source,
    )


def check_modifier_fit(run: Run, line: LineDraft, row: rd.CodeRow, mod: rd.ModifierRow) -> None:
    code, modifier = line.code, mod.modifier
    if row.line_kind not in mod.line_kind_list:
        run.add(
            "modifier-not-for-line",
            f"{modifier} ({mod.description}) goes on {' or '.join(mod.line_kind_list)} lines; {code} is a {row.line_kind} line.",
            (code, modifier),
            citation=mod.source,
        )
    elif mod.code_class_list and line.kind_of_code not in mod.code_class_list:
        run.add(
            "modifier-not-for-line",
            f"{modifier} ({mod.description}) goes on an evaluation and management visit; "
            f"{code} is not one: put it on the visit's line (FACTS-CLAIMS §5.4).",
            (code, modifier),
            citation=f"{mod.source}; CMS MLN Global Surgery booklet via NGS (FACTS-CLAIMS §5.4)",
        )
    elif mod.kind == "laterality" and row.laterality != "allowed":
        why = (
            "its descriptor already covers one or both sides"
            if row.laterality == "inherent"
            else "it has no left or right side"
        )
        run.add(
            "modifier-not-for-line",
            f"{modifier} ({mod.description}) does not apply to {code}: {why}.",
            (code, modifier),
            citation=row.source,
        )
    exclusion = run.knowledge.exclusions.get((modifier, code))
    if exclusion is not None:
        unconfirmed = " (not confirmed: verify)" if exclusion.verify else ""
        run.add(
            "modifier-not-for-line",
            f"{modifier} on {code}: {exclusion.reason}{unconfirmed}.",
            (code, modifier),
            citation=exclusion.source,
            severity="warning" if exclusion.verify else None,
        )
    claim_type, setting = modifier_side(run), run.case.setting
    if claim_type and not fits_side(mod, claim_type):
        run.add(
            "modifier-claim-type",
            f"{modifier} ({mod.description}) is for {' or '.join(mod.claim_type_list)} claims, not {SIDE_WORDS.get(claim_type, claim_type)}. {mod.note or ''}".strip(),
            (code, modifier),
            citation=mod.source,
        )
    if setting and mod.setting_list and setting not in mod.setting_list:
        run.add(
            "modifier-setting",
            f"{modifier} ({mod.description}) applies only in {' or '.join(mod.setting_list)}, not {setting}.",
            (code, modifier),
            citation=mod.source,
        )
    if mod.needs_documentation:
        run.add(
            "modifier-needs-documentation",
            f"{modifier} ({mod.description}) on {code}: the record must show why.",
            (code, modifier),
            citation=mod.source,
        )


FACILITY_ON_PROFESSIONAL_FORM = "facility-on-professional-form"
SIDE_WORDS = {
    FACILITY_ON_PROFESSIONAL_FORM: "the facility's own claim on the professional form (an "
    "ambulatory surgical center's facility fee follows the facility's modifier rules)",
}


def modifier_side(run: Run) -> str | None:
    """Whose modifier rules a line follows: the claim form's, except that a facility's own
    claim on the professional form (a Medicare ASC) follows the facility's (institutional)."""
    claim = run.claim
    if claim.is_professional and claim.billed_by == "facility":
        return FACILITY_ON_PROFESSIONAL_FORM
    return run.case.claim_type


def fits_side(mod: rd.ModifierRow, side: str) -> bool:
    if side == FACILITY_ON_PROFESSIONAL_FORM:
        return "institutional" in mod.claim_type_list
    return side in mod.claim_type_list


def check_edits(run: Run) -> None:
    codes_present = {line.code for line in run.lines}
    for comprehensive, component, edit in edit_pairs(run):
        first, second = run.lines[comprehensive], run.lines[component]
        if official_pair(run, first.code, second.code):
            continue  # the loaded NCCI file has an edit for the pair: it decides
        apply_edit(run, first, second, edit)
    for line in run.lines:
        if line.origin != "derived":
            continue
        included = [
            e.column2
            for e in run.knowledge.edits_by_column1.get(line.code, [])
            if e.severity == "error" and e.column2 not in codes_present
        ]
        if included:
            run.add(
                "bundled-info",
                f"{line.code} includes {', '.join(included)}: do not report them separately for the same session.",
                (line.code,),
                citation=run.knowledge.edits_by_column1[line.code][0].source,
            )
    status = ncci_status(run)
    if status is not None:
        run.add("ncci-not-loaded", status)


def edit_pairs(run: Run) -> list[tuple[int, int, rd.EditRow]]:
    """(comprehensive line, component line, edit) for each edit in effect, in line order.

    Found through each code's edit partners, so the work grows with the number of lines, not
    with their pairs; a component line is reported once against the first line of each code.
    """
    dos = run.case.date_of_service
    positions: dict[str, list[int]] = {}
    for index, line in enumerate(run.lines):
        positions.setdefault(line.code, []).append(index)
    found: list[tuple[int, int, rd.EditRow]] = []
    for code, at in positions.items():
        for partner in {e.column2 for e in run.knowledge.edits_by_column1.get(code, [])}:
            edit = run.knowledge.edits_by_pair.get((code, partner))
            if edit is None or not in_effect(edit, dos):
                continue
            found += [(at[0] if j != at[0] else at[-1], j, edit)
                      for j in positions.get(partner, []) if j != at[0] or len(at) > 1]
    return sorted(found, key=lambda item: (item[0], item[1]))


def apply_edit(run: Run, comprehensive: LineDraft, component: LineDraft, edit: rd.EditRow) -> None:
    distinct = [
        m
        for m in component.modifiers
        if (mod := run.reference.modifiers.get(m)) and mod.kind in DISTINCT_SERVICE_KINDS
    ]
    if edit.modifier_bypass and distinct:
        run.add(
            "edit-bypassed",
            f"{component.code} with {comprehensive.code}: bypassed with {', '.join(distinct)} ({edit.reason}). The record must show a distinct service.",
            (component.code, comprehensive.code),
            citation=edit.source,
        )
        return
    verify = (
        " This pair is the program's inference: verify with the NCCI file or the payer."
        if edit.verify
        else ""
    )
    bypass = (
        " A distinct-service modifier (59/XE/XS/XP/XU) may bypass it when truly distinct."
        if edit.modifier_bypass
        else ""
    )
    severity: Severity = "warning" if edit.verify and edit.severity == "error" else edit.severity
    run.add(
        "included-service",
        f"{component.code} with {comprehensive.code}: {edit.reason}.{bypass}{verify}",
        (component.code, comprehensive.code),
        severity=severity,
        citation=edit.source,
    )

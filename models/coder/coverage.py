"""Coverage, clinical trial, payer policy findings and the rendering provider taxonomy."""

from __future__ import annotations

import re

from models import refdata as rd
from models.coder.billing import meaning_of, schedule_of_claim, status_of
from models.coder.liability import DENIAL_MODIFIERS, billed_for_denial
from models.coder.state import TRIAL_MODIFIERS, Run, show_plain
from models.conditions import Truth
from models.knowledge import condition
from models.worksheet import CriterionResult, Severity

TAXONOMY_FORMAT = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")
NCT_FORMAT = re.compile(r"^(?:NCT)?(\d{8})$", re.IGNORECASE)


def check_coverage(run: Run) -> None:
    if run.payer is None:
        return
    if run.dormant_policy is not None:
        report_dormant_policy(run, run.dormant_policy)
        return
    position = run.position
    if position is not None:
        report_position(run, position)
    for criterion in run.knowledge.criteria(run.payer_id, run.case.family):
        if condition(criterion.when).truth(run.context) is not Truth.TRUE:
            continue
        evaluate_criterion(run, criterion)
    for auth in run.knowledge.prior_auth(run.payer_id, run.case.family):
        if run.holds(auth.when):
            verb = "requires" if auth.requirement == "required" else "may require"
            suffix = " (policy text not confirmed: verify with the payer)" if auth.verify else ""
            run.add(
                "prior-authorization",
                f"{run.payer.name} {verb} prior authorization: {auth.note}{suffix}.",
                citation=auth.source,
            )


def report_dormant_policy(run: Run, policy: rd.PayerPolicyRow) -> None:
    """A payer policy governs dates of service on or after its effective date only."""
    assert run.payer is not None
    run.add(
        "policy-not-in-effect",
        f"{policy.policy} takes effect {policy.effective_from}; the date of service is "
        f"{run.case.date_of_service}: the policy and its criteria do not apply. Verify coverage "
        f"with {run.payer.name} under the benefit plan and policies in effect on that date.",
        citation=policy.source,
    )


def report_position(run: Run, position: rd.PayerPolicyRow) -> None:
    assert run.payer is not None
    note = f" {position.note}." if position.note else ""
    run.add(
        "coverage-position",
        f"{run.payer.name}: {position.position.replace('-', ' ')} — {position.policy}.{note}",
        citation=position.source,
    )
    if position.position == "investigational":
        advice = (
            "Medicare: give an ABN and report GA (signed) or GZ (none)."
            if run.payer.abn
            else "Get prior authorization or a signed patient waiver before the service."
        )
        suffix = (
            " The current policy statement is not confirmed: verify." if position.verify else ""
        )
        run.add(
            "investigational",
            f"{run.payer.name} considers this investigational ({position.policy}). {advice}{suffix}",
            citation=position.source,
        )
    elif position.position == "verify":
        run.add(
            "verify-reference",
            f"{run.payer.name}: coverage not confirmed — {position.policy}.{note} Verify with the payer.",
            citation=position.source,
        )
    elif position.position == "not-covered":
        report_not_covered(run, position)


def report_not_covered(run: Run, position: rd.PayerPolicyRow) -> None:
    """A Medicare national non-coverage (an NCD) is billed only for a denial: GA with a signed
    ABN, GZ without; otherwise the claim is wrong. Unconfirmed rows and the inpatient facility
    claim (no ABN on Part A) stay warnings."""
    assert run.payer is not None
    why = f"{run.payer.name} does not cover this service ({position.policy})"
    inpatient_facility = run.claim.is_institutional and run.case.setting == "inpatient"
    binding = run.payer.abn and not position.verify and not inpatient_facility
    if binding and denial_modifier_used(run):
        if not status_reports_denial(run):
            billed_for_denial(run, why, position.source)
        return
    advice = (
        " Give an ABN before the service and report GA (signed) or GZ (none) to bill it for a "
        "denial, or do not bill it."
        if binding
        else ""
    )
    run.add(
        "investigational",
        f"{why}.{advice}",
        citation=position.source,
        severity="error" if binding else "warning",
    )


def denial_modifier_used(run: Run) -> bool:
    return any(m in DENIAL_MODIFIERS for line in run.lines for m in line.modifiers)


def status_reports_denial(run: Run) -> bool:
    """A line's payment status (e.g. 48160, status N) already reports the claim for a denial."""
    schedule = schedule_of_claim(run)
    if schedule is None:
        return False
    for line in run.lines:
        row = status_of(run, line, schedule)
        meaning = meaning_of(run, row) if row else None
        if meaning is not None and meaning.medicare == "error" and meaning.denial_modifier_list:
            return True
    return False


def evaluate_criterion(run: Run, criterion: rd.CriterionRow) -> None:
    truth = condition(criterion.test).truth(run.context)
    answer = criterion_answer(run, criterion)
    unanswered = (truth is Truth.UNKNOWN or answer == "not answered"
                  or (criterion.asks == "diagnoses" and not run.case.diagnoses))
    outcome = "met" if truth is Truth.TRUE else "not-answered" if unanswered else "not-met"
    run.criteria.append(
        CriterionResult(
            criterion=criterion.criterion,
            text=criterion.text,
            asks=criterion.asks,
            answer=answer,
            outcome=outcome,
            source=criterion.source,
        )
    )
    if truth is Truth.TRUE:
        return
    assert run.payer is not None
    said = "not answered yet" if unanswered else f"not met (answer: {answer})"
    run.add(
        "coverage-criterion",
        f"{run.payer.name} criterion {said}: {criterion.text}.",
        (criterion.criterion,),
        citation=criterion.source,
    )


def criterion_answer(run: Run, criterion: rd.CriterionRow) -> str:
    if criterion.asks == "diagnoses":
        return ", ".join(run.case.diagnoses) or "none"
    key = criterion.asks.split(".")[-1]
    value = run.context.get(key)
    return "not answered" if value is None else show_plain(value)


def check_trial(run: Run) -> None:
    position = run.position
    trial_only = position is not None and position.position == "clinical-trial-only"
    nct = run.context.get("nct_number")
    if trial_only and not nct:
        assert position is not None
        why = f"{position.policy}: covered only for patients in an approved clinical trial; no NCT number is given"
        if not billed_for_denial(run, why, position.source, trial=True):
            run.add("trial-required", f"{why}.", citation=position.source)
    if not run.context.get("trial"):
        named = nct or run.case.answers.get("nct_number")  # also where the question is Medicare's
        if not named and not trial_only:
            question_trial_marks(run)
        return
    if nct and not NCT_FORMAT.match(str(nct).replace(" ", "")):
        run.add(
            "trial-nct-format",
            f"{nct!r} is not an NCT number: 8 digits, optionally after 'NCT'.",
            ("nct_number",),
        )
    # Q0/Q1 mark outpatient and professional lines; the inpatient facility claim has none.
    inpatient_facility = run.claim.is_institutional and run.case.setting == "inpatient"
    for line in [] if inpatient_facility else run.lines:
        if not any(m in TRIAL_MODIFIERS for m in line.modifiers):
            run.add(
                "trial-modifier",
                f"{line.code} on a clinical-trial claim carries neither Q0 nor Q1.",
                (line.code,),
            )
    if not any(d.code == "Z00.6" for d in run.diagnoses):
        run.add(
            "trial-dx", "Clinical-trial claim without Z00.6 as a secondary diagnosis.", ("Z00.6",)
        )
    elif run.diagnoses[0].code == "Z00.6":
        run.add(
            "trial-dx",
            "Z00.6 is reported as a secondary diagnosis: list the condition treated first.",
            ("Z00.6",),
            severity="warning",
            fix="Move Z00.6 after the condition treated.",
        )


def question_trial_marks(run: Run) -> None:
    """Q0/Q1 and Z00.6 say the service is part of an approved clinical research study; a
    claim that names no study (no NCT number) should not carry them."""
    why = "but this claim names no clinical study (no NCT number): remove it, or give the study"
    for line in run.lines:
        marks = [m for m in line.modifiers if m in TRIAL_MODIFIERS]
        if marks:
            run.add("trial-modifier", f"{line.code} carries {marks[0]} (a service in an approved "
                    f"clinical research study), {why}.", (line.code, marks[0]), severity="warning")
    if any(d.code == "Z00.6" for d in run.diagnoses):
        run.add("trial-dx", f"Z00.6 (encounter in a clinical research program) is coded, {why}.",
                ("Z00.6",), severity="warning")


def check_policy_findings(run: Run) -> None:
    for row in run.knowledge.policy_findings(run.payer_id, run.case.family):
        if run.dormant_policy is not None and row.payer == run.payer_id:
            continue  # the payer's own policy is not in effect yet
        if run.holds(row.when):
            severity: Severity = (
                "warning" if row.verify and row.severity == "error" else row.severity
            )
            suffix = " (Rests on an unconfirmed source: verify.)" if row.verify else ""
            run.add(row.rule, row.message + suffix, citation=row.source, severity=severity)


def check_taxonomy(run: Run) -> None:
    code = run.case.rendering_taxonomy
    if not code:
        return
    code = code.upper()
    if not TAXONOMY_FORMAT.match(code):
        run.add(
            "taxonomy-invalid",
            f"{code!r} is not a taxonomy code: ten characters, three digits first, ending in X.",
            (code,),
        )
        return
    found = run.reference.taxonomy(code)
    family = run.case.family
    cautions = [
        c
        for c in run.knowledge.cautions("taxonomy", family)
        if c.value == code and run.holds(c.when)
    ]
    if found is None:
        run.add(
            "taxonomy-invalid",
            f"{code} is well formed but not in the shipped NUCC list (about 2020): it may be newer; verify it.",
            (code,),
            severity="warning",
        )
    for caution in cautions:
        run.merge(caution.rule, caution.message, (code,), caution.severity, caution.source)
    rows = run.knowledge.expected_taxonomy.get(family, [])
    if found is None or not rows or run.anesthesia_claim or fits(run, code, rows):
        return
    fitting = {r.taxonomy for r in rows if fits(run, r.taxonomy, [r])}
    run.add(
        "taxonomy-unexpected",
        f"{code} ({found.display_name}) is not among the specialties expected for this procedure and approach ({', '.join(sorted(fitting))}).",
        (code,),
    )


def fits(run: Run, code: str, rows: list[rd.TaxonomyExpectedRow]) -> bool:
    """An expected specialty whose condition (e.g. the approach) does not rule it out."""
    return any(
        r.taxonomy == code and condition(r.when).truth(run.context) is not Truth.FALSE for r in rows
    )

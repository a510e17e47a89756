"""Acknowledgements, diagnosis pointers, the justification narrative and the Worksheet."""

from __future__ import annotations

from models.coder.official import hcpcs_descriptor, releases_used
from models.coder.state import Run, show_plain
from models.coder.subjects import answered_findings, unanswered_hint, with_subjects
from models.knowledge import pattern_matches
from models.worksheet import (
    SEVERITY_ORDER,
    Finding,
    Line,
    Worksheet,
    case_digest,
    status_of,
)

MAX_POINTERS = 4


def apply_acknowledgements(run: Run) -> None:
    """Each acknowledgement answers the one finding it names; the others are noted."""
    run.findings = with_subjects(sorted(run.findings, key=_severity_rank), run.case.payer)
    targets = answered_findings(run.case.acknowledged, run.findings)
    by_rule: dict[str, list[Finding]] = {}
    for f in run.findings:
        by_rule.setdefault(f.rule, []).append(f)
    for ack, target in zip(run.case.acknowledged, targets, strict=True):
        reason = ack.reason.strip()
        finding = run.findings[target] if target is not None else None
        if finding is None:
            hint = unanswered_hint(ack, by_rule.get(ack.rule, []))
            run.add(
                "acknowledgement-ignored",
                f"Nothing to acknowledge for {ack.rule}: no such finding on this case{hint}.",
                (ack.rule,),
                severity="info",
            )
        elif not reason:
            run.add(
                "acknowledgement-ignored",
                f"The acknowledgement of {ack.rule} has no reason: a reason is required.",
                (ack.rule,),
            )
        elif finding.severity == "error":
            run.add(
                "acknowledgement-ignored",
                f"{ack.rule} is an error: errors cannot be acknowledged, only fixed.",
                (ack.rule,),
                severity="info",
            )
        elif finding.severity == "warning" and target is not None:
            run.findings[target] = finding.model_copy(
                update={"acknowledged": True, "acknowledgement": reason}
            )


def _severity_rank(finding: Finding) -> int:
    return SEVERITY_ORDER[finding.severity]


def claim_pointers(run: Run) -> tuple[int, ...]:
    """The diagnoses that support the procedure (billable, in the family's groups), first four;
    the same for every line of this claim. Without one, the primary diagnosis."""
    wanted = [g for g in run.knowledge.dx_groups(run.case.family) if run.holds(g.when)]
    chosen = [
        d.pointer
        for d in run.diagnoses
        if d.valid and d.billable and any(pattern_matches(g.pattern, d.code) for g in wanted)
    ]
    if not chosen and run.diagnoses:
        chosen = [1]
    return tuple(chosen[:MAX_POINTERS])


def finish(run: Run) -> Worksheet:
    diagnosis_pointers = claim_pointers(run)
    lines = tuple(
        Line(
            number=number,
            code=draft.code,
            modifiers=tuple(draft.modifiers),
            units=draft.units,
            diagnosis_pointers=diagnosis_pointers,
            descriptor=draft.row.descriptor if draft.row else hcpcs_descriptor(run, draft.code),
            origin=draft.origin,
            role=draft.role,
            path=tuple(draft.path),
            revenue_code=draft.revenue_code,
            revenue_description=draft.revenue_description,
            ndc=draft.ndc,
            ndc_quantity=draft.ndc_quantity,
            ndc_unit=draft.ndc_unit,
        )
        for number, draft in enumerate(run.lines, start=1)
    )
    findings = tuple(with_subjects(sorted(run.findings, key=_severity_rank), run.case.payer))
    meta = run.reference.meta
    return Worksheet(
        case=run.case,
        family_name=run.family.name if run.family else run.case.family,
        payer_name=run.payer.name if run.payer else (run.case.payer or ""),
        coverage_position=run.position.position if run.position else "",
        coverage_policy=run.position.policy if run.position else "",
        lines=lines,
        diagnoses=tuple(run.diagnoses),
        criteria=tuple(run.criteria),
        claim=run.claim_form,
        procedures=tuple(run.procedures),
        findings=findings,
        justification=tuple(justification(run, lines, findings)),
        status=status_of(findings),
        reference_version=meta.reference_version,
        icd10cm_release=meta.icd10cm_release,
        releases=releases_used(run),
        digest=case_digest(run.case, meta.reference_version),
    )


def justification(run: Run, lines: tuple[Line, ...], findings: tuple[Finding, ...]) -> list[str]:
    case = run.case
    answers = ", ".join(
        f"{k.replace('_', ' ')}: {show_plain(v)}" for k, v in case.answers.items() if v is not None
    )
    paragraphs = [
        f"Procedure family: {run.family.name if run.family else case.family}. "
        f"Payer: {run.payer.name if run.payer else case.payer or 'not given'}"
        f"{f' ({run.reference.code_set_name(run.payer.code_set)})' if run.payer else ''}; "
        f"{case.claim_type or 'claim type not given'} claim, {case.setting or 'setting not given'}; "
        f"date of service {case.date_of_service or 'not given'}. Answers: {answers or 'none'}."
    ]
    if run.claim_form.form is not None:
        paragraphs.append(f"Claim form: {run.claim_form.describe()}.")
    for line in lines:
        why = "; ".join(step.text for step in line.path)
        pointers = ", ".join(str(p) for p in line.diagnosis_pointers) or "none"
        paragraphs.append(
            f"Line {line.number}, {line.code} ({line.descriptor or 'not in the reference'}): {why}. Diagnosis pointers: {pointers}."
        )
    for procedure in run.procedures:
        paragraphs.append(
            f"Facility procedure code (ICD-10-PCS) {procedure.code} ({procedure.description}): {procedure.why}."
        )
    if run.position is not None:
        met = sum(1 for c in run.criteria if c.outcome == "met")
        paragraphs.append(
            f"Coverage: {run.position.policy} — {run.position.position.replace('-', ' ')}; {met} of {len(run.criteria)} criteria met."
        )
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = [f for f in findings if f.severity == "warning"]
    acknowledged = sum(1 for f in warnings if f.acknowledged)
    paragraphs.append(
        f"Checks: {errors} error(s), {len(warnings)} warning(s) of which {acknowledged} acknowledged with a reason."
    )
    return paragraphs

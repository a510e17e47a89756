"""The coder: case in, checked worksheet out.

Pure: no Qt, no files, no clock (the date of service is an input). Derives the
claim lines from the case and the reference data, runs every rule and returns
a :class:`~models.worksheet.Worksheet`. The kinds of rules are code here; their
instances are rows of the reference (see :mod:`models.rules`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from models import refdata as rd
from models.case import Case
from models.conditions import Context, ContextValue, Truth
from models.knowledge import Knowledge, condition, knowledge_of, pattern_matches
from models.reference import Reference
from models.rules import RULES
from models.worksheet import (
    SEVERITY_ORDER,
    CriterionResult,
    DiagnosisEntry,
    Finding,
    Line,
    PathStep,
    Severity,
    Worksheet,
    case_digest,
    status_of,
)

DISTINCT_SERVICE_KINDS = ("distinct-service",)
TRIAL_MODIFIERS = ("Q0", "Q1")
TAXONOMY_FORMAT = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")
NCT_FORMAT = re.compile(r"^(?:NCT)?(\d{8})$", re.IGNORECASE)
MAX_POINTERS = 4
MAX_CLAIM_DIAGNOSES = 12


@dataclass
class _LineDraft:
    code: str
    origin: str
    units: int
    modifiers: list[str]
    path: list[PathStep]
    row: rd.CodeRow | None
    role: str = ""


@dataclass
class _Run:
    case: Case
    reference: Reference
    knowledge: Knowledge
    family: rd.FamilyRow | None = None
    payer: rd.PayerRow | None = None
    context: dict[str, ContextValue] = field(default_factory=dict)
    lines: list[_LineDraft] = field(default_factory=list)
    diagnoses: list[DiagnosisEntry] = field(default_factory=list)
    criteria: list[CriterionResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    position: rd.PayerPolicyRow | None = None

    @property
    def family_id(self) -> str:
        return self.case.family

    @property
    def payer_id(self) -> str:
        return self.payer.payer if self.payer else ""

    def add(
        self,
        rule_id: str,
        message: str,
        codes: tuple[str, ...] = (),
        *,
        severity: Severity | None = None,
        citation: str | None = None,
        fix: str | None = None,
    ) -> None:
        rule = RULES[rule_id]
        self.findings.append(
            Finding(
                rule=rule_id,
                severity=severity or rule.severity,
                title=rule.title,
                message=message,
                codes=codes,
                citation=citation if citation is not None else rule.citation,
                fix=fix if fix is not None else rule.fix,
                step=rule.step,
            )
        )

    def merge(
        self, rule_id: str, message: str, codes: tuple[str, ...], severity: Severity, citation: str
    ) -> None:
        """Add a finding, or fold it into an existing one of the same rule and codes."""
        for index, existing in enumerate(self.findings):
            if existing.rule == rule_id and existing.codes == codes:
                stronger = min(existing.severity, severity, key=SEVERITY_ORDER.__getitem__)
                self.findings[index] = existing.model_copy(
                    update={
                        "severity": stronger,
                        "message": f"{existing.message} {message}",
                        "citation": f"{existing.citation}; {citation}",
                    }
                )
                return
        self.add(rule_id, message, codes, severity=severity, citation=citation)

    def holds(self, text: str | None) -> bool:
        return condition(text).holds(self.context)


# ============================================================== public API


def question_context(case: Case, reference: Reference) -> dict[str, ContextValue]:
    """The context that decides which questions apply (case facts, payer facts, answers)."""
    payer = reference.payers.get(case.payer or "")
    context: dict[str, ContextValue] = {
        "family": case.family,
        "payer": case.payer,
        "code_set": payer.code_set if payer else None,
        "clinical_trial_billing": payer.clinical_trial_billing if payer else None,
        "claim_type": case.claim_type,
        "setting": case.setting,
        "age": case.patient.age,
        "dos": case.date_of_service.isoformat() if case.date_of_service else None,
    }
    return context


def applicable_questions(case: Case, reference: Reference) -> list[rd.QuestionRow]:
    """The family's questions that apply, given the answers so far (in order)."""
    context = question_context(case, reference)
    applicable = []
    for question in reference.questions(case.family):
        if condition(question.when).truth(context) is Truth.TRUE:
            applicable.append(question)
            context[question.question] = case.answers.get(question.question)
    return applicable


def check(case: Case, reference: Reference) -> Worksheet:
    """Derive the claim lines and run every rule."""
    run = _Run(case=case, reference=reference, knowledge=knowledge_of(reference))
    _resolve_case(run)
    if run.family is not None:
        _derive(run)
        _check_lines(run)
        _check_edits(run)
        _check_coverage(run)
        _check_trial(run)
        _check_policy_findings(run)
        _check_taxonomy(run)
    _check_diagnoses_for_claim(run)
    _apply_acknowledgements(run)
    return _finish(run)


# ============================================================== case, answers


def _resolve_case(run: _Run) -> None:
    case, reference = run.case, run.reference
    run.family = reference.families.get(case.family)
    if run.family is None:
        known = ", ".join(sorted(reference.families))
        run.add(
            "invalid-input",
            f"Unknown procedure family {case.family!r} (known: {known}).",
            (case.family,),
        )
    if case.payer is None:
        run.add("missing-input", "The payer is missing.")
    else:
        run.payer = reference.payers.get(case.payer)
        if run.payer is None:
            known = ", ".join(sorted(reference.payers))
            run.add(
                "invalid-input", f"Unknown payer {case.payer!r} (known: {known}).", (case.payer,)
            )
    for name, value in (
        ("date of service", case.date_of_service),
        ("claim type", case.claim_type),
        ("setting", case.setting),
    ):
        if value is None:
            run.add("missing-input", f"The {name} is missing.")
    if not case.diagnoses:
        run.add(
            "missing-input",
            "No diagnosis is given: the first diagnosis is the primary one.",
            fix="Add the diagnoses, primary first.",
        )
    run.context = question_context(case, reference)
    _read_diagnoses(run)
    if run.family is not None:
        _read_answers(run)


def _read_answers(run: _Run) -> None:
    valid = _validate_answers(run)
    for question in run.reference.questions(run.case.family):
        applies = condition(question.when).truth(run.context)
        value = run.case.answers.get(question.question)
        if applies is not Truth.TRUE:
            if value is not None and applies is Truth.FALSE:
                run.add(
                    "answer-not-applicable",
                    f"'{question.question}' does not apply here ({question.when}); the answer {_show(value)} is ignored.",
                    (question.question,),
                )
            continue
        if value is None:
            if question.required:
                run.add(
                    "missing-input",
                    f"Required answer missing: {question.prompt} ({question.question}).",
                    (question.question,),
                    fix="Answer the question.",
                )
            continue
        if question.question in valid:
            run.context[question.question] = value


def _validate_answers(run: _Run) -> set[str]:
    """Every answer must name a question of the family and fit its kind, applicable or not."""
    questions = {q.question: q for q in run.reference.questions(run.case.family)}
    valid = set()
    for key, value in run.case.answers.items():
        question = questions.get(key)
        if question is None:
            run.add(
                "invalid-answer",
                f"'{key}' is not a question of the {run.case.family} family.",
                (key,),
                fix="Remove the answer.",
            )
            continue
        problem = _answer_problem(question, value) if value is not None else ""
        if problem:
            run.add("invalid-answer", f"{key}: {problem}.", (key,))
        else:
            valid.add(key)
    return valid


def _answer_problem(question: rd.QuestionRow, value: bool | int | str) -> str:
    if question.kind == "boolean":
        return "" if isinstance(value, bool) else f"{_show(value)} is not true or false"
    if question.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{_show(value)} is not a whole number"
        return "" if value >= 1 else f"{value} is below 1"
    if not isinstance(value, str):
        return f"{_show(value)} is not text"
    if question.kind == "choice" and value not in question.choice_list:
        return f"{value!r} is not one of {', '.join(question.choice_list)}"
    return ""


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return repr(value) if isinstance(value, str) else str(value)


# ============================================================== diagnoses


def _read_diagnoses(run: _Run) -> None:
    groups: set[str] = set()
    for pointer, code in enumerate(run.case.diagnoses, start=1):
        found = run.reference.icd(code)
        valid = found is not None and _dx_effective(run, code)
        run.diagnoses.append(
            DiagnosisEntry(
                pointer=pointer,
                code=code,
                description=found.description if found else "not in ICD-10-CM",
                valid=valid,
                billable=bool(found and found.billable),
            )
        )
    for group in run.knowledge.dx_groups(run.case.family):
        if any(d.valid and pattern_matches(group.pattern, d.code) for d in run.diagnoses):
            groups.add(group.group)
    run.context["dxgroup"] = frozenset(groups)


def _dx_effective(run: _Run, code: str) -> bool:
    dos = run.case.date_of_service
    if dos is None:
        return True
    for row in run.reference.rows(rd.DxEffectiveRow):
        if not pattern_matches(row.pattern, code):
            continue
        if (row.effective_from and dos < row.effective_from) or (
            row.effective_to and dos > row.effective_to
        ):
            return row.verify  # an unconfirmed date is a warning, raised later
    return True


def _check_diagnoses_for_claim(run: _Run) -> None:
    family = run.case.family
    seen: set[str] = set()
    for entry in run.diagnoses:
        if entry.code in seen:
            run.add("dx-duplicate", f"{entry.code} is listed more than once.", (entry.code,))
        seen.add(entry.code)
    if len(run.diagnoses) > MAX_CLAIM_DIAGNOSES:
        run.add(
            "dx-duplicate",
            f"{len(run.diagnoses)} diagnoses: a professional claim (CMS-1500 item 21) holds {MAX_CLAIM_DIAGNOSES}.",
            severity="warning",
            fix="Keep the diagnoses that support the lines.",
        )
    for entry in run.diagnoses:
        _check_one_diagnosis(run, entry)
    for caution in run.knowledge.cautions("dx", family):
        for entry in run.diagnoses:
            if pattern_matches(caution.value, entry.code) and run.holds(caution.when):
                run.merge(
                    caution.rule, caution.message, (entry.code,), caution.severity, caution.source
                )
    _check_dx_pairs(run)
    _check_excludes1(run)
    if run.family is not None and run.diagnoses:
        _check_dx_support(run)
    _check_icd_release(run)


def _check_one_diagnosis(run: _Run, entry: DiagnosisEntry) -> None:
    found = run.reference.icd(entry.code)
    if found is None:
        run.add(
            "dx-invalid",
            f"{entry.code} is not a code in the ICD-10-CM release of the reference ({run.reference.meta.icd10cm_release}).",
            (entry.code,),
        )
        return
    for row in run.reference.rows(rd.DxEffectiveRow):
        if pattern_matches(row.pattern, entry.code) and run.case.date_of_service:
            dos = run.case.date_of_service
            too_early = row.effective_from is not None and dos < row.effective_from
            too_late = row.effective_to is not None and dos > row.effective_to
            if too_early or too_late:
                when = f"from {row.effective_from}" if too_early else f"until {row.effective_to}"
                message = (
                    f"{entry.code} is valid only {when} ({row.note}); the date of service is {dos}."
                )
                if row.verify:
                    run.add(
                        "verify-reference",
                        message + " That date is not confirmed: verify.",
                        (entry.code,),
                        citation=row.source,
                    )
                else:
                    run.add("dx-invalid", message, (entry.code,), citation=row.source)
                return
    if not entry.billable:
        run.add(
            "dx-not-billable",
            f"{entry.code} ({found.description}) has more specific codes beneath it and is not billable.",
            (entry.code,),
        )


def _check_dx_pairs(run: _Run) -> None:
    codes = [d.code for d in run.diagnoses if d.valid]
    for pair in run.reference.rows(rd.DxPairRow):
        first = [c for c in codes if pattern_matches(pair.pattern_a, c)]
        second = [c for c in codes if pattern_matches(pair.pattern_b, c)]
        if first and second:
            run.add(
                pair.rule,
                pair.message,
                (first[0], second[0]),
                severity=pair.severity,
                citation=pair.source,
            )


def _check_excludes1(run: _Run) -> None:
    codes = [d.code for d in run.diagnoses if d.valid]
    if len(codes) < 2:
        return
    reported: set[frozenset[str]] = set()
    for code in codes:
        notes = run.reference.excludes1(run.knowledge.icd_note_items(code))
        for other in codes:
            pair = frozenset((code, other))
            if other == code or pair in reported:
                continue
            compact = other.replace(".", "")
            for note in notes:
                if (
                    note.first <= compact[: len(note.first)]
                    and compact[: len(note.last)] <= note.last
                ):
                    reported.add(pair)
                    run.add(
                        "dx-excludes1",
                        f"{note.item} Excludes1: {note.note} — {code} and {other} are not coded together unless the conditions are unrelated.",
                        (code, other),
                    )
                    break


def _check_dx_support(run: _Run) -> None:
    supporting = [
        g
        for g in run.knowledge.dx_groups(run.case.family)
        if g.role == "supports" and run.holds(g.when)
    ]
    if not supporting:
        return
    matched = [
        (g, d)
        for g in supporting
        for d in run.diagnoses
        if d.valid and pattern_matches(g.pattern, d.code)
    ]
    if not matched:
        wanted = ", ".join(sorted({g.pattern for g in supporting}))
        run.add(
            "dx-not-supporting",
            f"None of the diagnoses supports this procedure; expected one of {wanted}.",
            tuple(d.code for d in run.diagnoses),
            citation="; ".join(sorted({g.source for g in supporting})),
        )
        return
    if all(entry.pointer != 1 for _, entry in matched):
        primary = run.diagnoses[0]
        run.add(
            "dx-not-supporting",
            f"The primary diagnosis {primary.code} does not support this procedure; {', '.join(sorted({e.code for _, e in matched}))} does: list it first.",
            (primary.code,),
            fix="Reorder the diagnoses: the condition that supports the procedure first.",
        )
    for group, entry in matched:
        if group.verify:
            run.add(
                "verify-reference",
                f"{entry.code} ({group.description}) supports the procedure only if the payer accepts it: {group.source}.",
                (entry.code,),
                citation=group.source,
            )


def _check_icd_release(run: _Run) -> None:
    dos = run.case.date_of_service
    release = run.reference.meta.icd10cm_release
    match = re.search(r"(\d{4})$", release)
    if dos is None or match is None:
        return
    year = int(match.group(1))
    start, end = date(year - 1, 10, 1), date(year, 9, 30)
    if not start <= dos <= end:
        run.add(
            "icd-release",
            f"The reference holds the ICD-10-CM release of {release} (fiscal year {start.year + 1}: {start} to {end}); the date of service {dos} falls in another fiscal year: codes added or deleted since may differ.",
        )


# ============================================================== derivation


def _derive(run: _Run) -> None:
    _set_coverage_context(run)
    for row in run.knowledge.derivations(run.case.family):
        if condition(row.when).truth(run.context) is not Truth.TRUE:
            continue
        if row.code is None:
            run.add("derivation-note", row.note, citation=row.source)
            continue
        _add_derived_line(run, row)
    _distribute_case_modifiers(run)
    _apply_auto_modifiers(run)
    for extra in run.case.extra_lines:
        code_row = run.reference.codes.get(extra.code)
        run.lines.append(
            _LineDraft(
                code=extra.code,
                origin="entered",
                units=extra.units,
                modifiers=list(extra.modifiers),
                path=[
                    PathStep(
                        kind="entered",
                        text="Entered by the coder as another code billed on the same date",
                    )
                ],
                row=code_row,
                role=code_row.role if code_row else "",
            )
        )


def _add_derived_line(run: _Run, row: rd.DerivationRow) -> None:
    assert row.code is not None
    code_row = run.reference.codes.get(row.code)
    role = code_row.role if code_row else "primary"
    path = _answer_steps(run, row.when)
    path.append(PathStep(kind="reference", text=f"{row.code}: {row.note}", source=row.source))
    run.lines.append(
        _LineDraft(
            code=row.code,
            origin="derived",
            units=row.units or 1,
            modifiers=[],
            path=path,
            row=code_row,
            role=role,
        )
    )
    run.add("code-chosen", f"{row.code}: {row.note}.", (row.code,), citation=row.source)
    if row.verify:
        run.add(
            "verify-reference",
            f"{row.code} was chosen on a reference row flagged 'verify': {code_row.note if code_row and code_row.note else row.note}.",
            (row.code,),
            citation=row.source,
        )


def _distribute_case_modifiers(run: _Run) -> None:
    """The case's modifiers go on the primary procedure line(s); drug-only modifiers
    (JW/JZ) go on the product line when there is one."""
    primary = [line for line in run.lines if line.role in ("primary", "alternative")]
    products = [line for line in run.lines if line.role == "product"]
    for modifier in run.case.modifiers:
        row = run.reference.modifiers.get(modifier)
        drug_only = row is not None and row.line_kind_list == ("drug",)
        for line in products if drug_only and products else primary:
            line.modifiers.append(modifier)


def _answer_steps(run: _Run, when: str) -> list[PathStep]:
    steps = []
    for clause in condition(when).clauses:
        value = run.context.get(clause.key)
        if clause.key == "code_set" and run.payer:
            steps.append(
                PathStep(
                    kind="payer",
                    text=f"Payer {run.payer.name} uses the {run.reference.code_set_name(run.payer.code_set)}",
                    source=run.payer.source,
                )
            )
        elif clause.key in ("claim_type", "setting"):
            steps.append(PathStep(kind="answer", text=f"{clause.key.replace('_', ' ')}: {value}"))
        elif value is not None and not isinstance(value, frozenset):
            steps.append(
                PathStep(
                    kind="answer", text=f"{clause.key.replace('_', ' ')}: {_show_plain(value)}"
                )
            )
    return steps


def _show_plain(value: ContextValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _apply_auto_modifiers(run: _Run) -> None:
    for auto in run.knowledge.auto_modifiers(run.case.family):
        if not run.holds(auto.when):
            continue
        for line in run.lines:
            if line.role not in auto.role_list:
                continue
            if auto.modifier in TRIAL_MODIFIERS and any(
                m in TRIAL_MODIFIERS for m in line.modifiers
            ):
                continue
            if auto.modifier not in line.modifiers:
                line.modifiers.append(auto.modifier)
                line.path.append(
                    PathStep(
                        kind="reference",
                        text=f"Modifier {auto.modifier}: {auto.reason}",
                        source=auto.source,
                    )
                )


# ============================================================== coverage context


def _set_coverage_context(run: _Run) -> None:
    run.context["trial"] = False
    if run.payer is None:
        return
    for policy in run.knowledge.policies(run.payer_id, run.case.family):
        if condition(policy.when).truth(run.context) is Truth.TRUE:
            run.position = policy
            break
    # A trial claim is one that names its study; without the NCT number the
    # trial-required rule asks for it instead of flagging every trial detail.
    nct = run.context.get("nct_number")
    run.context["trial"] = run.payer.clinical_trial_billing and bool(nct)


def _check_coverage(run: _Run) -> None:
    if run.payer is None:
        return
    position = run.position
    if position is not None:
        _report_position(run, position)
    for criterion in run.knowledge.criteria(run.payer_id, run.case.family):
        if condition(criterion.when).truth(run.context) is not Truth.TRUE:
            continue
        _evaluate_criterion(run, criterion)
    for auth in run.knowledge.prior_auth(run.payer_id, run.case.family):
        if run.holds(auth.when):
            verb = "requires" if auth.requirement == "required" else "may require"
            suffix = " (policy text not confirmed: verify with the payer)" if auth.verify else ""
            run.add(
                "prior-authorization",
                f"{run.payer.name} {verb} prior authorization: {auth.note}{suffix}.",
                citation=auth.source,
            )


def _report_position(run: _Run, position: rd.PayerPolicyRow) -> None:
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
        run.add(
            "investigational",
            f"{run.payer.name} does not cover this service ({position.policy}).",
            citation=position.source,
        )


def _evaluate_criterion(run: _Run, criterion: rd.CriterionRow) -> None:
    truth = condition(criterion.test).truth(run.context)
    outcome = {Truth.TRUE: "met", Truth.FALSE: "not-met", Truth.UNKNOWN: "not-answered"}[truth]
    answer = _criterion_answer(run, criterion)
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
    state = "not met" if truth is Truth.FALSE else "not answered"
    assert run.payer is not None
    run.add(
        "coverage-criterion",
        f"{run.payer.name} criterion {state}: {criterion.text} (answer: {answer}).",
        (criterion.criterion,),
        citation=criterion.source,
    )


def _criterion_answer(run: _Run, criterion: rd.CriterionRow) -> str:
    if criterion.asks == "diagnoses":
        return ", ".join(run.case.diagnoses) or "none"
    key = criterion.asks.split(".")[-1]
    value = run.context.get(key)
    return "not answered" if value is None else _show_plain(value)


# ============================================================== lines


def _check_lines(run: _Run) -> None:
    seen: dict[tuple[str, tuple[str, ...]], _LineDraft] = {}
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
            run.add(
                "unknown-code",
                f"{line.code} is not in the reference (codes of the procedure families and related codes).",
                (line.code,),
            )
            continue
        _check_code(run, line, line.row)
        _check_modifiers(run, line, line.row)
    _check_addons(run)
    for caution in run.knowledge.cautions("code", run.case.family):
        for line in run.lines:
            if line.code == caution.value and run.holds(caution.when):
                run.merge(
                    caution.rule, caution.message, (line.code,), caution.severity, caution.source
                )


def _check_code(run: _Run, line: _LineDraft, row: rd.CodeRow) -> None:
    _check_code_dates(run, line, row)
    _check_code_age(run, line, row)
    _check_code_payer(run, line, row)
    for requirement in run.knowledge.code_conditions.get(line.code, []):
        if condition(requirement.requires).truth(run.context) is Truth.FALSE:
            answer = "; ".join(
                f"{k}: {_show_plain(run.context.get(k))}"
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
    _check_required_modifiers(run, line)
    if row.max_units is not None and line.units > row.max_units:
        run.add(
            "units-exceed",
            f"{line.code} is reported with {line.units} units; this program expects at most {row.max_units} per date of service.",
            (line.code,),
        )


def _check_addons(run: _Run) -> None:
    present = {line.code for line in run.lines}
    for row in run.reference.rows(rd.AddonParentRow):
        if row.addon in present and not present & set(row.parent_list):
            run.add(
                "addon-without-primary",
                f"{row.addon} is an add-on code reported only with {' or '.join(row.parent_list)}, which is not on the claim.",
                (row.addon,),
                citation=row.source,
            )


def _check_required_modifiers(run: _Run, line: _LineDraft) -> None:
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


def _check_code_dates(run: _Run, line: _LineDraft, row: rd.CodeRow) -> None:
    dos = run.case.date_of_service
    if dos is None:
        return
    if row.effective_from and dos < row.effective_from:
        run.add(
            "code-not-effective",
            f"{line.code} takes effect {row.effective_from}; the date of service is {dos}.",
            (line.code,),
            citation=row.source,
        )
    elif row.effective_to and dos > row.effective_to:
        run.add(
            "code-not-effective",
            f"{line.code} ended {row.effective_to}; the date of service is {dos}.",
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


def _check_code_age(run: _Run, line: _LineDraft, row: rd.CodeRow) -> None:
    if row.age_min is None and row.age_max is None:
        return
    limits = _age_limits(row)
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


def _age_limits(row: rd.CodeRow) -> str:
    if row.age_max == 0:
        return "younger than 1 year"
    if row.age_min is not None and row.age_max is not None:
        return f"aged {row.age_min} to {row.age_max}"
    if row.age_min is not None:
        return f"aged {row.age_min} or over"
    return f"aged {row.age_max} or younger"


def _check_code_payer(run: _Run, line: _LineDraft, row: rd.CodeRow) -> None:
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


def _check_modifiers(run: _Run, line: _LineDraft, row: rd.CodeRow) -> None:
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
        if mod is None or not _modifier_effective(run, mod):
            _unknown_modifier(run, line, modifier, mod)
            continue
        _check_modifier_fit(run, line, row, mod)
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
    for caution in run.knowledge.cautions("modifier", run.case.family):
        if caution.value in line.modifiers and run.holds(caution.when):
            run.merge(
                caution.rule,
                caution.message,
                (line.code, caution.value),
                caution.severity,
                caution.source,
            )


def _modifier_effective(run: _Run, mod: rd.ModifierRow) -> bool:
    dos = run.case.date_of_service
    if dos is None:
        return True
    return not (
        (mod.effective_from and dos < mod.effective_from)
        or (mod.effective_to and dos > mod.effective_to)
    )


def _unknown_modifier(
    run: _Run, line: _LineDraft, modifier: str, mod: rd.ModifierRow | None
) -> None:
    if mod is None:
        run.add(
            "unknown-modifier",
            f"{modifier} on {line.code} is not a modifier in the reference.",
            (line.code, modifier),
        )
        return
    span = f"from {mod.effective_from}" if mod.effective_from else f"until {mod.effective_to}"
    note = f" {mod.note}." if mod.note else ""
    run.add(
        "unknown-modifier",
        f"{modifier} ({mod.description}) on {line.code} is in effect only {span}.{note}",
        (line.code, modifier),
        citation=mod.source,
    )


def _check_modifier_fit(run: _Run, line: _LineDraft, row: rd.CodeRow, mod: rd.ModifierRow) -> None:
    code, modifier = line.code, mod.modifier
    if row.line_kind not in mod.line_kind_list:
        run.add(
            "modifier-not-for-line",
            f"{modifier} ({mod.description}) goes on {' or '.join(mod.line_kind_list)} lines; {code} is a {row.line_kind} line.",
            (code, modifier),
            citation=mod.source,
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
        run.add(
            "modifier-not-for-line",
            f"{modifier} on {code}: {exclusion.reason}.",
            (code, modifier),
            citation=exclusion.source,
        )
    claim_type, setting = run.case.claim_type, run.case.setting
    if claim_type and claim_type not in mod.claim_type_list:
        run.add(
            "modifier-claim-type",
            f"{modifier} ({mod.description}) is for {' or '.join(mod.claim_type_list)} claims, not {claim_type}. {mod.note or ''}".strip(),
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


# ============================================================== edits


def _check_edits(run: _Run) -> None:
    dos = run.case.date_of_service
    codes_present = {line.code for line in run.lines}
    for comprehensive in run.lines:
        for component in run.lines:
            if component is comprehensive:
                continue
            edit = run.knowledge.edits_by_pair.get((comprehensive.code, component.code))
            if edit is None or not _edit_in_effect(edit, dos):
                continue
            _apply_edit(run, comprehensive, component, edit)
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
    run.add(
        "ncci-not-loaded",
        "No NCCI file is loaded: pair edits and unit limits are this program's own list; check the current CMS NCCI PTP and MUE files for Medicare claims.",
    )


def _edit_in_effect(edit: rd.EditRow, dos: date | None) -> bool:
    if dos is None:
        return True
    return not (
        (edit.effective_from and dos < edit.effective_from)
        or (edit.effective_to and dos > edit.effective_to)
    )


def _apply_edit(
    run: _Run, comprehensive: _LineDraft, component: _LineDraft, edit: rd.EditRow
) -> None:
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
    run.add(
        "included-service",
        f"{component.code} with {comprehensive.code}: {edit.reason}.{bypass}{verify}",
        (component.code, comprehensive.code),
        severity=edit.severity,
        citation=edit.source,
    )


# ============================================================== trial, policy, taxonomy


def _check_trial(run: _Run) -> None:
    position = run.position
    trial_only = position is not None and position.position == "clinical-trial-only"
    nct = run.context.get("nct_number")
    if trial_only and not nct:
        assert position is not None
        run.add(
            "trial-required",
            f"{position.policy}: covered only for patients in an approved clinical trial; no NCT number is given.",
            citation=position.source,
        )
    if not run.context.get("trial"):
        return
    if nct and not NCT_FORMAT.match(str(nct).replace(" ", "")):
        run.add(
            "trial-nct-format",
            f"{nct!r} is not an NCT number: 8 digits, optionally after 'NCT'.",
            ("nct_number",),
        )
    for line in run.lines:
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


def _check_policy_findings(run: _Run) -> None:
    for row in run.knowledge.policy_findings(run.payer_id, run.case.family):
        if run.holds(row.when):
            severity: Severity = (
                "warning" if row.verify and row.severity == "error" else row.severity
            )
            run.add(row.rule, row.message, citation=row.source, severity=severity)


def _check_taxonomy(run: _Run) -> None:
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
    expected = run.knowledge.expected_taxonomy.get(family, set())
    if found is not None and expected and code not in expected:
        run.add(
            "taxonomy-unexpected",
            f"{code} ({found.display_name}) is not among the specialties expected for this procedure ({', '.join(sorted(expected))}).",
            (code,),
        )


# ============================================================== acknowledgements, result


def _apply_acknowledgements(run: _Run) -> None:
    for ack in run.case.acknowledged:
        reason = ack.reason.strip()
        targets = [
            i
            for i, f in enumerate(run.findings)
            if f.rule == ack.rule and (ack.codes is None or set(ack.codes) <= set(f.codes))
        ]
        if not reason:
            run.add(
                "acknowledgement-ignored",
                f"The acknowledgement of {ack.rule} has no reason: a reason is required.",
                (ack.rule,),
            )
            continue
        if any(run.findings[i].severity == "error" for i in targets):
            run.add(
                "acknowledgement-ignored",
                f"{ack.rule} is an error: errors cannot be acknowledged, only fixed.",
                (ack.rule,),
                severity="info",
            )
        for index in targets:
            finding = run.findings[index]
            if finding.severity == "warning":
                run.findings[index] = finding.model_copy(
                    update={"acknowledged": True, "acknowledgement": reason}
                )


def _pointers(run: _Run, line: _LineDraft) -> tuple[int, ...]:
    wanted = [g for g in run.knowledge.dx_groups(run.case.family) if run.holds(g.when)]
    chosen = [
        d.pointer
        for d in run.diagnoses
        if d.valid and d.billable and any(pattern_matches(g.pattern, d.code) for g in wanted)
    ]
    if not chosen and run.diagnoses:
        chosen = [1]
    return tuple(chosen[:MAX_POINTERS])


def _finish(run: _Run) -> Worksheet:
    lines = tuple(
        Line(
            number=number,
            code=draft.code,
            modifiers=tuple(draft.modifiers),
            units=draft.units,
            diagnosis_pointers=_pointers(run, draft),
            descriptor=draft.row.descriptor if draft.row else "",
            origin=draft.origin,
            role=draft.role,
            path=tuple(draft.path),
        )
        for number, draft in enumerate(run.lines, start=1)
    )
    findings = tuple(sorted(run.findings, key=lambda f: SEVERITY_ORDER[f.severity]))
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
        findings=findings,
        justification=tuple(_justification(run, lines, findings)),
        status=status_of(findings),
        reference_version=meta.reference_version,
        icd10cm_release=meta.icd10cm_release,
        digest=case_digest(run.case, meta.reference_version),
    )


def _justification(run: _Run, lines: tuple[Line, ...], findings: tuple[Finding, ...]) -> list[str]:
    case = run.case
    answers = ", ".join(
        f"{k.replace('_', ' ')}: {_show_plain(v)}" for k, v in case.answers.items() if v is not None
    )
    paragraphs = [
        f"Procedure family: {run.family.name if run.family else case.family}. "
        f"Payer: {run.payer.name if run.payer else case.payer or 'not given'}"
        f"{f' (code set {run.payer.code_set})' if run.payer else ''}; "
        f"{case.claim_type or 'claim type not given'} claim, {case.setting or 'setting not given'}; "
        f"date of service {case.date_of_service or 'not given'}. Answers: {answers or 'none'}."
    ]
    for line in lines:
        why = "; ".join(step.text for step in line.path)
        pointers = ", ".join(str(p) for p in line.diagnosis_pointers) or "none"
        paragraphs.append(
            f"Line {line.number}, {line.code} ({line.descriptor or 'not in the reference'}): {why}. Diagnosis pointers: {pointers}."
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


def context_for_tests(case: Case, reference: Reference) -> Context:
    """The full condition context the rules saw (for tests and explanation)."""
    run = _Run(case=case, reference=reference, knowledge=knowledge_of(reference))
    _resolve_case(run)
    if run.family is not None:
        _set_coverage_context(run)
    return dict(run.context)

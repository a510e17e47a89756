"""Derivation: from answers, payer and reference rows to the claim lines, each with its path."""

from __future__ import annotations

from models import refdata as rd
from models.case import ExtraLine
from models.coder.state import TRIAL_MODIFIERS, LineDraft, Run, show_plain
from models.conditions import Truth
from models.knowledge import condition
from models.worksheet import PathStep


def derive(run: Run) -> None:
    set_coverage_context(run)
    for row in run.knowledge.derivations(run.case.family):
        if condition(row.when).truth(run.context) is not Truth.TRUE:
            continue
        if row.code is None:
            run.add("derivation-note", row.note, citation=row.source)
            continue
        add_derived_line(run, row)
    distribute_case_modifiers(run)
    apply_auto_modifiers(run)
    for extra in run.case.extra_lines:
        code_row = run.reference.codes.get(extra.code)
        run.lines.append(
            LineDraft(
                code=extra.code,
                origin="entered",
                units=extra.units,
                modifiers=list(extra.modifiers),
                path=[
                    PathStep(
                        kind="entered",
                        text=entered_text(extra),
                    )
                ],
                row=code_row,
                role=code_row.role if code_row else "",
                entered=extra,
                entered_revenue_code=extra.revenue_code,
                entered_ndc=extra.ndc,
            )
        )


def entered_text(extra: ExtraLine) -> str:
    """How an entered line is explained: on the case's date unless it names its own."""
    when = f"on {extra.date_of_service}" if extra.date_of_service else "on the same date"
    time = f"; anesthesia time {extra.minutes} minutes" if extra.minutes else ""
    return f"Entered by the coder as another code billed {when}{time}"


def add_derived_line(run: Run, row: rd.DerivationRow) -> None:
    assert row.code is not None
    code_row = run.reference.codes.get(row.code)
    role = code_row.role if code_row else "primary"
    path = answer_steps(run, row.when)
    path.append(PathStep(kind="reference", text=f"{row.code}: {row.note}", source=row.source))
    run.lines.append(
        LineDraft(
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


def distribute_case_modifiers(run: Run) -> None:
    """The case's modifiers go on the primary procedure line(s); drug-only modifiers
    (JW/JZ) go on the product line when there is one."""
    primary = [line for line in run.lines if line.role in ("primary", "alternative")]
    products = [line for line in run.lines if line.role == "product"]
    for modifier in run.case.modifiers:
        row = run.reference.modifiers.get(modifier)
        drug_only = row is not None and row.line_kind_list == ("drug",)
        for line in products if drug_only and products else primary:
            line.modifiers.append(modifier)


def answer_steps(run: Run, when: str) -> list[PathStep]:
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
                PathStep(kind="answer", text=f"{clause.key.replace('_', ' ')}: {show_plain(value)}")
            )
    return steps


def apply_auto_modifiers(run: Run) -> None:
    for auto in run.knowledge.auto_modifiers(run.case.family):
        if not run.holds(auto.when):
            continue
        for line in run.lines:
            if line.role not in auto.role_list:
                continue
            entered = [m for m in line.modifiers if m in TRIAL_MODIFIERS]
            if auto.modifier in TRIAL_MODIFIERS and entered:
                if auto.modifier not in entered:
                    question_trial_modifier(run, line.code, entered[0], auto)
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


def question_trial_modifier(run: Run, code: str, entered: str, auto: rd.AutoModifierRow) -> None:
    run.add(
        "trial-modifier",
        f"{code} carries {entered}, but this program derives {auto.modifier} for it: "
        f"{auto.reason}. Verify against the study's billing plan (coverage analysis).",
        (code, entered),
        severity="warning",
        citation=auto.source,
    )


def set_coverage_context(run: Run) -> None:
    run.context["trial"] = False
    if run.payer is None:
        return
    dos = run.case.date_of_service
    for policy in run.knowledge.policies(run.payer_id, run.case.family):
        if condition(policy.when).truth(run.context) is Truth.TRUE:
            if policy.effective_from and dos and dos < policy.effective_from:
                run.dormant_policy = policy
            else:
                run.position = policy
            break
    # A trial claim is one that names its study; without the NCT number the
    # trial-required rule asks for it instead of flagging every trial detail.
    nct = run.context.get("nct_number")
    run.context["trial"] = run.payer.clinical_trial_billing and bool(nct)

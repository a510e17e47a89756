"""The case facts and answers: which questions apply, missing and malformed input."""

from __future__ import annotations

from models import refdata as rd
from models.case import Case
from models.coder.claim import claim_facts
from models.coder.diagnoses import read_diagnoses
from models.coder.state import Run, show
from models.conditions import ContextValue, Truth
from models.knowledge import condition
from models.reference import Reference


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


def resolve_case(run: Run) -> None:
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
            step="diagnoses",
        )
    run.context = question_context(case, reference)
    run.claim = claim_facts(case, reference)
    run.context["billed_by"] = run.claim.billed_by
    run.context["facility_setting"] = case.setting if run.claim.billed_by == "facility" else None
    read_diagnoses(run)
    if run.family is not None:
        read_answers(run)


def read_answers(run: Run) -> None:
    valid = validate_answers(run)
    for question in run.reference.questions(run.case.family):
        applies = condition(question.when).truth(run.context)
        value = run.case.answers.get(question.question)
        if applies is not Truth.TRUE:
            if value is not None and applies is Truth.FALSE:
                report_not_applicable(run, question, value)
            continue
        if value is None:
            default = run.context.get(question.default_from or "")
            if isinstance(default, str) and default in question.choice_list:
                run.context[question.question] = default
            if question.required:
                run.add(
                    "missing-input",
                    f"Required answer missing: {question.prompt} ({question.question}).",
                    (question.question,),
                    fix="Answer the question.",
                    step="questions",
                )
            continue
        if question.question in valid:
            run.context[question.question] = value


NEUTRAL_CHOICE = "none"


def report_not_applicable(run: Run, question: rd.QuestionRow, value: bool | int | str) -> None:
    """An ignored answer is an info; a choice that names something (a product, an operation,
    a side) under answers that rule its question out contradicts them: a warning."""
    keys = condition(question.when).keys
    questions = {q.question for q in run.reference.questions(run.case.family)}
    contradicts = (
        question.kind == "choice" and value != NEUTRAL_CHOICE and bool(keys) and keys <= questions
    )
    said = "; ".join(f"{key}: {show(run.case.answers.get(key))}" for key in sorted(keys))
    message = (
        f"'{question.question}' is answered {show(value)}, which contradicts the other answers "
        f"({said}; the question applies only when {question.when}): the answer is ignored. "
        "Correct whichever answer is wrong."
        if contradicts
        else f"'{question.question}' does not apply here ({question.when}); the answer {show(value)} is ignored."
    )
    run.add(
        "answer-not-applicable",
        message,
        (question.question,),
        severity="warning" if contradicts else None,
        fix="Correct the answer that is wrong, or remove the one that does not apply."
        if contradicts
        else None,
    )


def validate_answers(run: Run) -> set[str]:
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
        problem = answer_problem(question, value) if value is not None else ""
        if problem:
            run.add("invalid-answer", f"{key}: {problem}.", (key,))
        else:
            valid.add(key)
    return valid


def answer_problem(question: rd.QuestionRow, value: bool | int | str) -> str:
    if question.kind == "boolean":
        return "" if isinstance(value, bool) else f"{show(value)} is not true or false"
    if question.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{show(value)} is not a whole number"
        return "" if value >= 1 else f"{value} is below 1"
    if not isinstance(value, str):
        return f"{show(value)} is not text"
    if question.kind == "choice" and value not in question.choice_list:
        return f"{value!r} is not one of {', '.join(question.choice_list)}"
    return ""

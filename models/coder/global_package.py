"""The global surgical package on the surgeon's claim: visits before and after the operation,
drug administration and anesthesia by the operating surgeon, repeat procedures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models import refdata as rd
from models.coder.state import LineDraft, Run

MAJOR, MINOR, CONTRACTOR = "090", ("000", "010"), "YYY"
POST_DAYS = {"000": 0, "010": 10, "090": 90}
REPEAT_MODIFIERS = ("58", "76", "77", "78", "79")
DISTINCT_MODIFIERS = ("59", "XE", "XS", "XP", "XU")


@dataclass(frozen=True)
class Operation:
    line: LineDraft
    global_days: str
    day: date | None
    source: str
    verify: bool = False


def line_day(run: Run, line: LineDraft) -> date | None:
    entered = line.entered.date_of_service if line.entered else None
    return entered or run.case.date_of_service


def global_row(run: Run, line: LineDraft) -> rd.FeeScheduleRow | None:
    return run.knowledge.fee_schedule.get(line.code)


def operations(run: Run) -> list[Operation]:
    found = []
    for line in run.lines:
        row = global_row(run, line) if not line.kind_of_code else None
        if row is not None and (row.global_days in POST_DAYS or row.global_days == CONTRACTOR):
            day = line_day(run, line)
            found.append(Operation(line, row.global_days, day, row.source, row.verify))
    return found


def offset(run: Run, line: LineDraft, operation: Operation) -> int | None:
    day = line_day(run, line)
    if day is None or operation.day is None:
        return None
    return (day - operation.day).days


def check_global_package(run: Run) -> None:
    claim = run.claim
    if not (claim.is_professional and claim.billed_by == "practitioner"):
        return
    if run.anesthesia_claim:
        return
    for operation in operations(run):
        for line in run.lines:
            if line is operation.line:
                continue
            gap = offset(run, line, operation)
            if gap is None:
                continue
            kind = line.kind_of_code
            if kind == "evaluation-management":
                check_visit(run, line, operation, gap)
            elif kind in ("drug-administration", "anesthesia") and gap == 0:
                check_surgeon_service(run, line, operation, kind)
            elif not kind and line.line_kind == "procedure":
                check_repeat(run, line, operation, gap)
    check_visit_modifiers_have_a_period(run)


def package(operation: Operation) -> str:
    return f"{operation.line.code} (global {operation.global_days})"


def check_visit(run: Run, line: LineDraft, operation: Operation, gap: int) -> None:
    mods, days = set(line.modifiers), operation.global_days
    if days == MAJOR and gap in (-1, 0) and "57" not in mods:
        wrong = " 25 is for minor (000/010-day) procedures." if "25" in mods else ""
        flag(
            run,
            line,
            operation,
            f"an E/M on the day of or the day before the major operation "
            f"{package(operation)} is part of its global package unless it was the decision "
            f"for surgery: add 57 when it was, otherwise do not bill it.{wrong}",
        )
    elif days in MINOR and gap == 0 and "25" not in mods:
        wrong = " 57 is for the decision for a major (090-day) operation." if "57" in mods else ""
        flag(
            run,
            line,
            operation,
            f"an E/M on the day of the minor procedure "
            f"{package(operation)} is part of it unless it is a significant, separately "
            f"identifiable service: add 25 when it is, otherwise do not bill it.{wrong}",
        )
    elif days == CONTRACTOR and gap in (-1, 0) and not mods & {"25", "57"}:
        flag(
            run,
            line,
            operation,
            f"the contractor sets the global period of "
            f"{operation.line.code} (YYY): verify whether this E/M is inside it; a separately "
            "identifiable E/M on the day takes 25, the decision for a major operation 57.",
            severity="warning",
        )
    elif days in POST_DAYS and 0 < gap <= POST_DAYS[days] and "24" not in mods:
        flag(
            run,
            line,
            operation,
            f"a visit {gap} day(s) after {package(operation)} is a "
            "post-operative visit inside the global package (report 99024 to track it); an "
            "unrelated visit takes 24.",
        )


GLOBAL_VISIT_MODIFIERS = {
    "24": "an unrelated visit inside a post-operative period",
    "57": "the decision for a major (090-day) operation on its day or the day before",
}


def period_covers(modifier: str, operation: Operation, gap: int) -> bool:
    """Whether this operation's global period is where the visit's 24 or 57 belongs (a
    contractor-set period (YYY) is given the benefit of the doubt)."""
    if operation.global_days == CONTRACTOR:
        return True
    if modifier == "24":
        return 0 < gap <= POST_DAYS[operation.global_days]
    return operation.global_days == MAJOR and gap in (-1, 0)


def check_visit_modifiers_have_a_period(run: Run) -> None:
    found = operations(run)
    if not found:
        return  # the operation may be on another claim
    for line in run.lines:
        if line.kind_of_code != "evaluation-management" or already_flagged(run, line):
            continue
        for modifier in (m for m in line.modifiers if m in GLOBAL_VISIT_MODIFIERS):
            gaps = [(op, offset(run, line, op)) for op in found]
            if any(gap is None or period_covers(modifier, op, gap) for op, gap in gaps):
                continue
            operation = found[0]
            flag(
                run,
                line,
                operation,
                f"{modifier} marks {GLOBAL_VISIT_MODIFIERS[modifier]}, but no operation on this "
                f"claim puts the visit there ({package(operation)}): drop {modifier} unless the "
                "visit falls in the global period of an operation billed on another claim.",
                severity="warning",
            )


def already_flagged(run: Run, line: LineDraft) -> bool:
    return any(f.rule == "global-package" and line.code in f.codes for f in run.findings)


def check_surgeon_service(run: Run, line: LineDraft, operation: Operation, kind: str) -> None:
    what = "drug administration" if kind == "drug-administration" else "anesthesia"
    if kind == "drug-administration" and set(line.modifiers) & set(DISTINCT_MODIFIERS):
        flag(
            run,
            line,
            operation,
            f"{what} by the operating surgeon on the day of "
            f"{package(operation)} is billed as distinct: the record must show it is unrelated "
            "to the operation.",
            severity="warning",
        )
        return
    flag(
        run,
        line,
        operation,
        f"{what} by the operating surgeon during {package(operation)} is "
        "part of the surgical package (intra-operative services, post-operative pain "
        "management): not reported separately by the surgeon.",
    )


def check_repeat(run: Run, line: LineDraft, operation: Operation, gap: int) -> None:
    if set(line.modifiers) & set(REPEAT_MODIFIERS):
        return
    if line.code == operation.line.code and gap == 0 and line.modifiers != operation.line.modifiers:
        flag(
            run,
            line,
            operation,
            f"{line.code} repeated on the day of {package(operation)}: "
            "a repeat by the same physician takes 76, by another physician 77.",
        )
    elif operation.global_days in POST_DAYS and 0 < gap <= POST_DAYS[operation.global_days]:
        flag(
            run,
            line,
            operation,
            f"{line.code} {gap} day(s) after {package(operation)} falls "
            "in its post-operative period: report 58 (staged or planned), 78 (unplanned return "
            "to the operating room), 79 (unrelated) or, for the same procedure, 76/77.",
        )


def flag(
    run: Run, line: LineDraft, operation: Operation, message: str, severity: str = "error"
) -> None:
    unconfirmed = operation.verify or line.kind_unconfirmed
    if unconfirmed:
        message += " (The global period or the code's kind rests on an inference: verify.)"
    run.add(
        "global-package",
        f"{line.code}: {message}",
        (line.code, operation.line.code),
        severity="warning" if severity == "warning" or unconfirmed else "error",
        citation=f"{operation.source}; CMS MLN Global Surgery booklet via NGS; CPT modifiers "
        "24/25/57/58/76-79 (FACTS-CLAIMS §5.2-5.6)",
    )

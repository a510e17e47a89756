"""What each finding is about (its subject), and which finding each acknowledgement answers.

A subject is stable for a given case: the rule and the codes involved ("included-service:
76937,0585T"), or for a finding about the whole claim the rule and the payer
("prior-authorization:payer=thp", or "…:claim" without a payer). When one case raises two
findings with the same subject (the same code entered twice), the later ones get "#2", "#3"…
so that every subject names exactly one finding.

An acknowledgement answers exactly one finding: the one its stored subject names; an older
acknowledgement without a subject answers the first finding of its rule with exactly its codes
(failing that, the first whose codes include its codes); without codes, the first finding of
its rule that has no codes.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.case import Acknowledgement
from models.worksheet import Finding

NOT_ACKNOWLEDGEABLE = "acknowledgement-ignored"


def base_subject(rule: str, codes: Sequence[str], payer: str | None) -> str:
    if codes:
        return f"{rule}:{','.join(codes)}"
    return f"{rule}:payer={payer}" if payer else f"{rule}:claim"


def with_subjects(findings: Sequence[Finding], payer: str | None) -> list[Finding]:
    """The findings, each with a subject unique among them (existing subjects are kept)."""
    taken = {f.subject for f in findings if f.subject}
    repeats: dict[str, int] = {}
    result: list[Finding] = []
    for finding in findings:
        if not finding.subject:
            base = base_subject(finding.rule, finding.codes, payer)
            subject, number = base, repeats.get(base, 1)
            while subject in taken:
                number += 1
                subject = f"{base}#{number}"
            repeats[base] = number
            taken.add(subject)
            finding = finding.model_copy(update={"subject": subject})
        result.append(finding)
    return result


def answered_findings(
    acknowledgements: Sequence[Acknowledgement], findings: Sequence[Finding]
) -> list[int | None]:
    """For each acknowledgement, the index of the one finding it answers (or None).

    A finding is answered at most once: a second acknowledgement of it answers nothing.
    """
    by_subject: dict[str, int] = {}
    by_rule: dict[str, list[int]] = {}
    for index, finding in enumerate(findings):
        if finding.rule != NOT_ACKNOWLEDGEABLE:
            by_subject[finding.subject] = index
            by_rule.setdefault(finding.rule, []).append(index)
    answered: set[int] = set()
    result: list[int | None] = []
    for ack in acknowledgements:
        target = _target(ack, findings, by_subject, by_rule.get(ack.rule, []), answered)
        if target is not None:
            answered.add(target)
        result.append(target)
    return result


def _target(
    ack: Acknowledgement,
    findings: Sequence[Finding],
    by_subject: dict[str, int],
    same_rule: list[int],
    answered: set[int],
) -> int | None:
    if ack.subject is not None:
        index = by_subject.get(ack.subject)
        ok = index is not None and findings[index].rule == ack.rule and index not in answered
        return index if ok else None
    wanted = tuple(ack.codes or ())
    open_ = [i for i in same_rule if i not in answered]
    exact = [i for i in open_ if findings[i].codes == wanted]
    if exact or not wanted:
        return exact[0] if exact else None
    covering = [i for i in open_ if set(wanted) <= set(findings[i].codes)]
    return covering[0] if covering else None


def unanswered_hint(ack: Acknowledgement, same_rule: Sequence[Finding]) -> str:
    """Why an acknowledgement answers nothing, given the case's findings of its rule."""
    if ack.subject is not None:
        return f" (it names {ack.subject})"
    if same_rule and not ack.codes and all(f.codes for f in same_rule):
        about = "; ".join(",".join(f.codes) for f in same_rule[:5])
        return (
            f"; an acknowledgement without codes answers only a finding without codes, and "
            f"{ack.rule} is about {about} here: acknowledge that finding again"
        )
    return ""

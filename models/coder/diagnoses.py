"""Diagnoses: validity, billability, dates, Excludes1 and guideline pairs, support."""

from __future__ import annotations

import bisect
import re
from datetime import date

from models import refdata as rd
from models.coder.state import Run, effective_span, in_effect
from models.knowledge import pattern_matches
from models.worksheet import DiagnosisEntry

PROFESSIONAL_DIAGNOSES = 12
"""CMS-1500 item 21 A-L / 837P."""
INSTITUTIONAL_DIAGNOSES = 25
"""837I: principal + 24 others."""
PAPER_UB04_DIAGNOSES = 18
"""UB-04 FL67 + FL67A-Q."""
ICD10_COMPLIANCE_DATE = date(2015, 10, 1)
"""ICD-10-CM replaced ICD-9-CM for dates of service from this day (HIPAA code sets, 45 CFR
162.1002(c)): no ICD-10-CM code is valid on a claim for an earlier date."""
ICD10_CITATION = "45 CFR 162.1002(c) (ICD-10-CM compliance date 2015-10-01); CMS ICD-10 transition"


def read_diagnoses(run: Run) -> None:
    groups: set[str] = set()
    for pointer, code in enumerate(run.case.diagnoses, start=1):
        found = run.reference.icd(code, run.case.date_of_service)
        valid = found is not None and dx_effective(run, code) and not before_icd10(run)
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


def before_icd10(run: Run) -> bool:
    dos = run.case.date_of_service
    return dos is not None and dos < ICD10_COMPLIANCE_DATE


def dx_effective(run: Run, code: str) -> bool:
    excluded_by = dx_date_row(run, code)
    return excluded_by is None or excluded_by.verify  # an unconfirmed date: a warning, later


def dx_date_row(run: Run, code: str) -> rd.DxEffectiveRow | None:
    """The effective-date row whose dates leave out the date of service, if any."""
    dos = run.case.date_of_service
    for row in run.reference.rows(rd.DxEffectiveRow):
        if pattern_matches(row.pattern, code) and not in_effect(row, dos):
            return row
    return None


def check_diagnoses_for_claim(run: Run) -> None:
    family = run.case.family
    seen: set[str] = set()
    for entry in run.diagnoses:
        if entry.code in seen:
            run.add("dx-duplicate", f"{entry.code} is listed more than once.", (entry.code,))
        seen.add(entry.code)
    check_dx_limit(run)
    for entry in run.diagnoses:
        check_one_diagnosis(run, entry)
    for caution in run.knowledge.cautions("dx", family):
        for entry in run.diagnoses:
            if pattern_matches(caution.value, entry.code) and run.holds(caution.when):
                run.merge(
                    caution.rule, caution.message, (entry.code,), caution.severity, caution.source
                )
    check_dx_pairs(run)
    check_excludes1(run)
    if run.family is not None and run.diagnoses:
        check_dx_support(run)
    check_icd_release(run)


def check_dx_limit(run: Run) -> None:
    count = len(run.diagnoses)
    if run.claim.is_institutional:
        if count > INSTITUTIONAL_DIAGNOSES:
            run.add(
                "dx-limit",
                f"{count} diagnoses: the institutional claim (837I) holds {INSTITUTIONAL_DIAGNOSES}, the principal and 24 others.",
            )
        elif count > PAPER_UB04_DIAGNOSES:
            run.add(
                "dx-limit",
                f"{count} diagnoses: the 837I holds {INSTITUTIONAL_DIAGNOSES}, but a paper UB-04 only {PAPER_UB04_DIAGNOSES} (FL67 and 67A-Q): send it electronically or keep {PAPER_UB04_DIAGNOSES}.",
                severity="warning",
            )
    elif count > PROFESSIONAL_DIAGNOSES:
        run.add(
            "dx-limit",
            f"{count} diagnoses: the professional claim (CMS-1500 item 21 / 837P) holds {PROFESSIONAL_DIAGNOSES}.",
        )


def check_one_diagnosis(run: Run, entry: DiagnosisEntry) -> None:
    dos = run.case.date_of_service
    if before_icd10(run):
        run.add(
            "dx-invalid",
            f"{entry.code}: ICD-10-CM codes are valid only for dates of service from "
            f"{ICD10_COMPLIANCE_DATE}; on {dos} diagnoses were coded in ICD-9-CM.",
            (entry.code,),
            citation=ICD10_CITATION,
        )
        return
    found = run.reference.icd(entry.code, dos)
    if found is None:
        run.add(
            "dx-invalid",
            f"{entry.code} is not a code in {icd_release_in_force(run)}.",
            (entry.code,),
        )
        return
    row = dx_date_row(run, entry.code)
    if row is not None:
        message = f"{entry.code} is valid only {effective_span(row)} ({row.note}); the date of service is {run.case.date_of_service}."
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
            f"{entry.code} ({found.description}) has more specific codes beneath it in ICD-10-CM {found.release} and is not billable.",
            (entry.code,),
        )


def icd_release_in_force(run: Run) -> str:
    """'ICD-10-CM FY2027 (in force from 2026-10-01)', for findings."""
    release = run.reference.icd_release_for(run.case.date_of_service)
    since = f", in force from {release.effective_from}" if not release.shipped else ""
    shipped = " (the release shipped with the program)" if release.shipped else ""
    return f"{release.label}{shipped}{since}"


def check_dx_pairs(run: Run) -> None:
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


def check_excludes1(run: Run) -> None:
    """Each pair of diagnoses an Excludes1 note keeps apart, once. Each note's range is looked up
    in the sorted codes, so the work grows with the diagnoses, not with their pairs."""
    codes = list(dict.fromkeys(d.code for d in run.diagnoses if d.valid))
    if len(codes) < 2:
        return
    order = {code: index for index, code in enumerate(codes)}
    ranked = sorted((code.replace(".", ""), code) for code in codes)
    keys = [compact for compact, _ in ranked]
    reported: set[frozenset[str]] = set()
    release = run.reference.icd_release_for(run.case.date_of_service).label
    for code in codes:
        excluded: dict[str, rd.Excludes1Row] = {}
        for note in run.reference.excludes1(
            run.knowledge.icd_note_items(code), run.case.date_of_service
        ):
            low = bisect.bisect_left(keys, note.first)
            high = bisect.bisect_right(keys, note.last + "\U0010ffff")
            for _compact, other in ranked[low:high]:
                excluded.setdefault(other, note)
        for other in sorted(excluded, key=order.__getitem__):
            pair = frozenset((code, other))
            if other == code or pair in reported:
                continue
            reported.add(pair)
            note = excluded[other]
            run.add(
                "dx-excludes1",
                f"{note.item} Excludes1 ({release}): {note.note} — {code} and {other} are not coded together unless the conditions are unrelated.",
                (code, other),
            )


def check_dx_support(run: Run) -> None:
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


def check_icd_release(run: Run) -> None:
    dos = run.case.date_of_service
    release = run.reference.icd_release_for(dos).release
    match = re.search(r"(\d{4})", release)
    if dos is None or match is None:
        return
    year = int(match.group(1))
    start, end = date(year - 1, 10, 1), date(year, 9, 30)
    if not start <= dos <= end:
        run.add(
            "icd-release",
            f"The ICD-10-CM release in force for the date of service is {release} (fiscal year {start.year + 1}: {start} to {end}); the date of service {dos} falls in another fiscal year: codes added or deleted since may differ.",
        )

"""Checks against the official files a site loaded: the NCCI PTP edits and MUEs of the
claim's edit set, HCPCS codes on the date of service, and the releases a worksheet used."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from models import refdata as rd
from models.coder.state import LineDraft, Run, in_effect

NOT_PAYABLE_BY_MEDICARE = {
    "I": "not payable by Medicare",
    "M": "non-covered by Medicare",
    "S": "non-covered by Medicare statute",
}


def edit_set_for(run: Run) -> str | None:
    case = run.case
    for row in run.reference.rows(rd.NcciSettingRow):
        if row.claim_type == case.claim_type and row.setting in ("*", case.setting):
            return row.edit_set
    return None


def read_official(run: Run) -> None:
    """The loaded edits and limits for the claim's codes, looked up once."""
    run.edit_set = edit_set_for(run)
    if run.edit_set is None:
        return
    reference, dos = run.reference, run.case.date_of_service
    codes = [line.code for line in run.lines]
    if reference.release_in_use("ncci-ptp", run.edit_set) is not None:
        run.ptp = reference.ptp_edits(run.edit_set, codes)
        run.ptp_pairs = {frozenset((e.column1, e.column2)) for e in run.ptp}
    if reference.release_in_use("ncci-mue", run.edit_set, dos) is not None:
        run.mue = reference.mue_limits(run.edit_set, codes, dos)


def official_pair(run: Run, first: str, second: str) -> bool:
    """Whether the loaded PTP file has an edit for the pair (either way round, any date):
    then it decides, not this program's own list."""
    return run.ptp is not None and frozenset((first, second)) in run.ptp_pairs


def ncci_status(run: Run) -> str | None:
    """What the worksheet must say about NCCI files not loaded (None: both are)."""
    if run.edit_set is None:
        return (
            "No NCCI edit set applies to this claim type and setting: pair edits and unit "
            "limits are this program's own list."
        )
    missing = [
        name
        for name, loaded in (("PTP edits", run.ptp is not None), ("MUE table", run.mue is not None))
        if not loaded
    ]
    if not missing:
        return None
    return (
        f"No NCCI {' or '.join(missing)} of the {run.edit_set} set is loaded: "
        f"{'pair edits' if run.ptp is None else 'unit limits'}"
        f"{' and unit limits' if len(missing) == 2 else ''} are this program's own list; "
        "load the current CMS files with `worksheet reference load ncci-ptp|ncci-mue`."
    )


# --------------------------------------------------------------------------- PTP


def check_ncci_ptp(run: Run) -> None:
    if not run.ptp:
        return
    dos = run.case.date_of_service
    by_code: defaultdict[str, list[LineDraft]] = defaultdict(list)
    for line in run.lines:
        by_code[line.code].append(line)
    for edit in run.ptp:
        if edit.modifier_indicator == 9 or not edit.in_effect(dos):
            continue
        if edit.column1 in by_code and edit.column2 in by_code:
            apply_ptp_edit(run, edit, by_code[edit.column2])


def apply_ptp_edit(run: Run, edit: rd.PtpEdit, column2_lines: list[LineDraft]) -> None:
    pair = f"{edit.column2} with {edit.column1}"
    codes = (edit.column2, edit.column1)
    citation = f"CMS NCCI PTP edits, {edit.edit_set} {edit.release}: {ptp_span(edit)}"
    if edit.modifier_indicator == 0:
        run.add(
            "ncci-ptp",
            f"{pair}: NCCI PTP edit (column 1 {edit.column1}, column 2 {edit.column2}; "
            f"{edit.rationale}). Modifier indicator 0: no modifier bypasses it; "
            f"{edit.column2} is not paid with {edit.column1}.",
            codes,
            citation=citation,
        )
        return
    associated = ncci_modifiers(run)
    used = sorted({m for line in column2_lines for m in line.modifiers if m in associated})
    if used:
        run.add(
            "ncci-ptp",
            f"{pair}: NCCI PTP edit ({edit.rationale}) bypassed with {', '.join(used)} on the "
            f"{edit.column2} line: the record must support a separate service.",
            codes,
            severity="info",
            citation=citation,
        )
        return
    run.add(
        "ncci-ptp",
        f"{pair}: NCCI PTP edit (column 1 {edit.column1}, column 2 {edit.column2}; "
        f"{edit.rationale}). Modifier indicator 1: when clinically justified, one of these "
        f"NCCI-associated modifiers on the {edit.column2} line may apply: "
        f"{modifier_groups(associated)}.",
        codes,
        citation=citation,
    )


def ptp_span(edit: rd.PtpEdit) -> str:
    deleted = f", deleted {edit.deletion}" if edit.deletion else ""
    return f"column 1 {edit.column1} / column 2 {edit.column2}, effective {edit.effective}{deleted}"


def ncci_modifiers(run: Run) -> dict[str, rd.NcciModifierRow]:
    dos = run.case.date_of_service
    return {
        row.modifier: row for row in run.reference.rows(rd.NcciModifierRow) if in_effect(row, dos)
    }


def modifier_groups(associated: dict[str, rd.NcciModifierRow]) -> str:
    groups: defaultdict[str, list[str]] = defaultdict(list)
    for row in associated.values():
        groups[row.group].append(row.modifier)
    return "; ".join(f"{', '.join(mods)} ({group})" for group, mods in groups.items())


# --------------------------------------------------------------------------- MUE


def check_ncci_mue(run: Run) -> None:
    if not run.mue:
        return
    by_code: defaultdict[str, list[LineDraft]] = defaultdict(list)
    for line in run.lines:
        by_code[line.code].append(line)
    for code, limit in run.mue.items():
        lines = by_code[code]
        if limit.mai == 1:
            for line in lines:
                if line.units > limit.units:
                    mue_per_line(run, line, limit)
        else:
            total = sum(line.units for line in lines)
            if total > limit.units:
                mue_per_day(run, code, total, limit)


def mue_citation(limit: rd.MueLimit) -> str:
    return f"CMS NCCI MUE table, {limit.edit_set} {limit.release}: {limit.code} {limit.units} ({limit.mai_text}; {limit.rationale})"


def mue_per_line(run: Run, line: LineDraft, limit: rd.MueLimit) -> None:
    run.add(
        "ncci-mue",
        f"{line.code} is reported with {line.units} units on one line; its MUE is {limit.units} "
        f"per line (MAI 1, claim-line edit): units above it are denied. If more were truly "
        "given (another site, session or side), report them on separate lines of at most "
        f"{limit.units} units with the anatomic modifier, 76/77 or 59/XE/XS/XP/XU that explains "
        "them.",
        (line.code,),
        citation=mue_citation(limit),
    )


def mue_per_day(run: Run, code: str, total: int, limit: rd.MueLimit) -> None:
    kind = (
        "MAI 2, an absolute per-day policy limit: units above it are not paid"
        if limit.mai == 2
        else "MAI 3, a per-day clinical limit: units above it are denied and may be appealed "
        "with documentation of medical necessity"
    )
    run.add(
        "ncci-mue",
        f"{code} is reported with {total} units on the date of service; its MUE is "
        f"{limit.units} per date of service ({kind}).",
        (code,),
        citation=mue_citation(limit),
    )


def mue_replaces_own_limit(run: Run, code: str) -> bool:
    """With an MUE table loaded, the official limit wins where it has one."""
    return run.mue is not None and code in run.mue


# --------------------------------------------------------------------------- HCPCS


def check_hcpcs(run: Run) -> None:
    """Codes of this program's list checked against the loaded HCPCS file: existence on the
    date of service and the Medicare coverage code."""
    reference, dos = run.reference, run.case.date_of_service
    if reference.release_in_use("hcpcs") is None:
        return
    for line in run.lines:
        if line.row is None:
            continue
        absent = reference.code_absent_on(line.code, dos)
        if absent is not None:
            run.add("unknown-code", f"{absent}.", (line.code,), citation=hcpcs_citation(run))
            continue
        found = reference.hcpcs(line.code)
        medicare = run.payer is not None and run.payer.kind == "medicare"
        if found and medicare and found.coverage in NOT_PAYABLE_BY_MEDICARE:
            run.add(
                "hcpcs-coverage",
                f"{line.code} ({found.short_description}) has coverage code {found.coverage} in "
                f"the HCPCS file {found.release}: {NOT_PAYABLE_BY_MEDICARE[found.coverage]}.",
                (line.code,),
                citation=hcpcs_citation(run),
            )


def hcpcs_citation(run: Run) -> str:
    release = run.reference.release_in_use("hcpcs")
    return f"CMS alpha-numeric HCPCS file {release.release if release else ''} ({release.file if release else ''})"


def hcpcs_modifier_note(run: Run, modifier: str) -> str:
    """What the loaded HCPCS file says of a modifier this program does not list."""
    found = run.reference.hcpcs(modifier)
    if found is None or found.kind != "modifier":
        return ""
    state = (
        ""
        if found.exists_on(run.case.date_of_service)
        else "; not in effect on the date of service"
    )
    return f" The HCPCS file {found.release} has it: {found.long_description}{state}."


def hcpcs_descriptor(run: Run, code: str) -> str:
    """The loaded HCPCS file's long description of a code this program does not list."""
    found = run.reference.hcpcs(code)
    return found.long_description if found and found.kind == "code" else ""


# --------------------------------------------------------------------------- releases


def releases_used(run: Run) -> tuple[str, ...]:
    """'ICD-10-CM FY2027', 'NCCI PTP 2026Q4 practitioner', 'HCPCS 2026 Oct' ... as used."""
    reference, dos = run.reference, run.case.date_of_service
    names = [reference.icd_release_for(dos).label]
    if run.edit_set is not None:
        for kind, what in (("ncci-ptp", "NCCI PTP"), ("ncci-mue", "NCCI MUE")):
            release = reference.release_in_use(kind, run.edit_set, dos)
            names.append(_release_name(release, dos) if release else f"{what}: own list")
    for kind in ("hcpcs", "nucc"):
        release = reference.release_in_use(kind, None, dos)
        if release is not None:
            names.append(release.label)
    return tuple(names)


def _release_name(release: rd.OfficialRelease, dos: date | None) -> str:
    starts = release.effective_from
    if dos is not None and starts is not None and dos < starts and release.kind == "ncci-mue":
        return f"{release.label} (starts {starts}, after the date of service)"
    return release.label

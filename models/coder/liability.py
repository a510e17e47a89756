"""Medicare non-covered services billed for a denial (GA / GZ): who is liable."""

from __future__ import annotations

from models.coder.state import Run

DENIAL_MODIFIERS = ("GA", "GZ")
LIABILITY = {
    "GA": "GA says a signed ABN (CMS-R-131) is on file: the beneficiary is liable when "
    "Medicare denies the service",
    "GZ": "GZ says no ABN was obtained: the provider is liable, and GZ lines are denied "
    "automatically",
    "GY": "GY says the service is statutorily excluded (no Medicare benefit category)",
}
CITATION = (
    "Palmetto GBA modifiers to indicate ABN status; Noridian JE-B non-covered vs statutorily "
    "excluded; HCPCS modifier definitions; condition codes 20/21 and occurrence code 32 "
    "(FACTS-CLAIMS §7.1-7.4)"
)
INSTITUTIONAL_NOTE = (
    " On the institutional claim the ABN date goes with occurrence code 32; a claim sent only "
    "to obtain the denial carries condition code 21 (Part A contractors deny GA lines "
    "automatically)."
)
TRIAL_NOTE = (
    " A Medicare Advantage enrollee in a qualifying trial is different: the routine trial costs "
    "are billed to Original Medicare (NCT number, Q0/Q1, Z00.6)."
)


def billed_for_denial(
    run: Run,
    why: str,
    source: str,
    codes: tuple[str, ...] = (),
    allowed: tuple[str, ...] = DENIAL_MODIFIERS,
    *,
    trial: bool = False,
) -> bool:
    """When a Medicare claim for a non-covered service carries a liability modifier that fits,
    add the liability warning (not an error) and say so."""
    if run.payer is None or not run.payer.abn or not allowed:
        return False
    lines = [line for line in run.lines if not codes or line.code in codes]
    used = sorted({m for line in lines for m in line.modifiers if m in allowed})
    if not used:
        return False
    liable = "; ".join(LIABILITY[m] for m in used if m in LIABILITY)
    facility = INSTITUTIONAL_NOTE if run.claim.is_institutional else ""
    run.add(
        "liability-modifier",
        f"{why.rstrip('.')}. Billed with {' and '.join(used)} it is a claim for a denial, not an "
        f"invalid claim: {liable}.{facility}{TRIAL_NOTE if trial else ''}",
        codes,
        citation=f"{source}; {CITATION}",
    )
    return True


def check_unexplained_denial_modifiers(run: Run) -> None:
    """GA/GZ declare an expected denial; when no rule found the service non-covered, the
    modifier asks for a denial of a service this program finds payable."""
    if run.payer is None or any(f.rule == "liability-modifier" for f in run.findings):
        return
    for line in run.lines:
        used = [m for m in line.modifiers if m in DENIAL_MODIFIERS]
        if not used:
            continue
        if run.payer.abn:
            why = (f"nothing on this claim makes it non-covered for {run.payer.name}: "
                   f"{LIABILITY[used[0]]}")
        else:
            why = (f"GA and GZ are Medicare's ABN modifiers and {run.payer.name} is not "
                   "Medicare: verify that it uses them")
        run.add(
            "liability-modifier",
            f"{line.code} carries {used[0]}, but {why}. Remove it unless a denial is expected.",
            (line.code, used[0]),
            citation=CITATION,
        )

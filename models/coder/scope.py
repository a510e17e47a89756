"""Every line recognised: the kind of each code (anesthesia, E/M, drug ...) and codes
outside this program's procedure families."""

from __future__ import annotations

import re

from models import refdata as rd
from models.coder.state import LineDraft, Run

WELL_FORMED = re.compile(r"^(?:[0-9]{5}|[0-9]{4}[FTU]|[A-V][0-9]{4})$")
"""CPT Category I (five digits), Category II/III and PLA (four digits and F, T or U),
HCPCS Level II (a letter A-V and four digits)."""


def classify_lines(run: Run) -> None:
    for line in run.lines:
        line.code_class = run.knowledge.code_class(line.code)


def check_code_outside_scope(run: Run, line: LineDraft) -> None:
    code, dos = line.code, run.case.date_of_service
    if not WELL_FORMED.match(code):
        run.add(
            "unknown-code",
            f"{code} is not a well-formed procedure code (CPT: five digits, or four digits and "
            "F, T or U; HCPCS Level II: a letter and four digits).",
            (code,),
        )
        return
    absent = run.reference.code_absent_on(code, dos)
    if absent is not None:
        run.add(
            "unknown-code",
            f"{absent}: it does not exist on the date of service, or it is mistyped.",
            (code,),
        )
        return
    kind = f" ({line.code_class.description})" if line.code_class else ""
    run.add(
        "code-outside-scope",
        f"{code}{kind} is outside this program's procedure families: not checked by this "
        "program's family rules; verify its validity and edits.",
        (code,),
    )


def predecessor_hint(run: Run, code: str) -> tuple[str, bool]:
    """What the reference says applied before a code took effect, for this payer."""
    kind = run.payer.kind if run.payer else "commercial"
    for row in run.reference.rows(rd.CodePredecessorRow):
        if row.code == code and row.payer_kind == kind:
            return f" Before it: {row.use}. {row.note}.", row.verify
    return "", False

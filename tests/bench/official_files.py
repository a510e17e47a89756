"""Full-size official files in the exact CMS layouts, generated for the benchmarks only."""

from __future__ import annotations

import random
from pathlib import Path

PTP_PREAMBLE = (
    "CPT codes, descriptions and other data only are copyright 2025 American Medical "
    "Association. All rights reserved.\n"
    "Applicable FARS/DFARS restrictions apply.\n"
    "\n"
    "Column 1\tColumn 2\t* = in existence prior to 1996\tEffective Date\t"
    "Deletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\t"
    "PTP Edit Rationale\n"
)
RATIONALES = (
    "Misuse of column two code with column one code",
    "Standards of medical / surgical practice",
    "CPT Manual or CMS manual coding instructions",
    "Mutually exclusive procedures",
)


def write_ptp(path: Path, rows: int = 2_000_000, seed: int = 7) -> int:
    """A practitioner PTP file (ccipra-…) of about `rows` edits, sorted like CMS's."""
    rng = random.Random(seed)
    codes = [f"{n:05d}" for n in range(10021, 99999, 3)] + [f"{n:04d}T" for n in range(1, 999)]
    per_code = max(1, rows // len(codes))
    written = 0
    with path.open("w", encoding="cp1252", newline="\r\n") as out:
        out.write(PTP_PREAMBLE)
        for column1 in codes:
            for column2 in sorted(rng.sample(codes, per_code)):
                if column2 == column1:
                    continue
                deleted = "20240331" if rng.random() < 0.1 else "*"
                out.write(
                    f"{column1}\t{column2}\t{'*' if rng.random() < 0.2 else ''}\t"
                    f"{rng.choice(('19960101', '20100101', '20210101'))}\t{deleted}\t"
                    f"{rng.choice((0, 1, 1, 9))}\t{rng.choice(RATIONALES)}\n"
                )
                written += 1
                if written >= rows:
                    return written
    return written

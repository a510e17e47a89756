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
REAL_CODES = ("0584T", "0585T", "0586T", "0489T", "0490T", "G0341", "G0342", "G0343", "48160")


def ptp_codes() -> list[str]:
    numeric = [f"{n:05d}" for n in range(10021, 99999, 3)]
    return sorted(set(numeric + [f"{n:04d}T" for n in range(1, 999)] + list(REAL_CODES)))


def write_ptp(path: Path, rows: int = 2_000_000, seed: int = 7) -> int:
    """A practitioner PTP file (ccipra-…) of `rows` edits, sorted like CMS's, with the
    preamble and header CMS puts first (Windows-1252, CRLF)."""
    rng = random.Random(seed)
    codes = ptp_codes()
    per_code = rows // len(codes) + 1
    tails = [
        f"\t{prior}\t{start}\t{end}\t{indicator}\t{why}\n"
        for prior in ("", "*")
        for start in ("19960101", "20100101", "20210101")
        for end in ("*", "*", "*", "20240331")
        for indicator in (0, 1, 1, 9)
        for why in RATIONALES
    ]
    written = 0
    with path.open("w", encoding="cp1252", newline="\r\n") as out:
        out.write(PTP_PREAMBLE)
        for column1 in codes:
            partners = sorted(set(rng.sample(codes, per_code)) - {column1})
            take = partners[: rows - written]
            out.write("".join(f"{column1}\t{c2}{rng.choice(tails)}" for c2 in take))
            written += len(take)
            if written >= rows:
                break
    return written

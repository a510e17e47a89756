"""Loading through the reference lifecycle: one atomic rebuild, files added one by one give
the same reference as a full rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.official.load import LoadError, load
from models.reference import Reference
from tests.models.official.conftest import ICD_2027, PTP_PRACTITIONER


def test_one_by_one_equals_a_full_rebuild(tmp_path: Path) -> None:
    from models.lifecycle import rebuild

    named = tmp_path / "one.sqlite"
    load(named, "ncci-ptp", [PTP_PRACTITIONER])
    load(named, "icd10cm", [ICD_2027])  # the reference in use + this file
    incremental = Reference(named).meta.content_digest
    rebuild(named)  # the shipped reference + every file
    assert Reference(named).meta.content_digest == incremental
    assert [r.label for r in Reference(named).official_releases] == [
        "NCCI PTP 2026Q4 practitioner",
        "ICD-10-CM FY2027",
    ]


def test_one_bad_file_of_several_loads_none(tmp_path: Path) -> None:
    bad = tmp_path / "ccioph-v323r0-f2.txt"
    bad.write_bytes(b"Column 1\tColumn 2\n0585T\t76937\t\t2018\t*\t0\tx\n")
    named = tmp_path / "ref.sqlite"
    with pytest.raises(LoadError, match=r"f2.txt:2: malformed row: effective date"):
        load(named, "ncci-ptp", [PTP_PRACTITIONER, bad])
    assert not named.exists()

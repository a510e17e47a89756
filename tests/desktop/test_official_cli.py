"""`worksheet reference load KIND FILE...` and `worksheet reference sources`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from models.paths import examples_dir
from tests.models.official.conftest import (
    HCPCS,
    ICD_2027,
    MUE_PRACTITIONER,
    NUCC,
    PTP_OUTPATIENT,
    PTP_PRACTITIONER,
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_load_sources_and_the_same_file_again(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "reference", "load", "ncci-ptp", str(PTP_PRACTITIONER), str(PTP_OUTPATIENT)
    )
    assert code == 0
    assert "loaded NCCI PTP 2026Q4 practitioner, 6 rows" in out
    assert "loaded NCCI PTP 2026Q4 outpatient, 2 rows" in out
    code, out, _ = run(capsys, "reference", "load", "ncci-ptp", str(PTP_PRACTITIONER))
    assert code == 0 and "already loaded as NCCI PTP 2026Q4 practitioner (no change)" in out
    for kind, path in (("ncci-mue", MUE_PRACTITIONER), ("hcpcs", HCPCS), ("icd10cm", ICD_2027)):
        assert run(capsys, "reference", "load", kind, str(path))[0] == 0
    code, out, _ = run(capsys, "reference", "sources", "--json")
    found = {(s["kind"], s["set"]): s for s in json.loads(out)}
    assert found[("ncci-ptp", "practitioner")]["release"] == "2026Q4"
    assert found[("ncci-ptp", "practitioner")]["rows"] == 6
    assert found[("icd10cm", None)]["effective_from"] == "2026-10-01"
    assert len(found[("hcpcs", None)]["sha256"]) == 64
    code, out, _ = run(capsys, "reference", "sources")
    assert "ncci-mue 2026Q4 practitioner  (in use)" in out and "SHA-256:" in out
    code, out, _ = run(capsys, "reference", "info")
    assert "ICD-10-CM FY2027: from 2026-10-01" in out
    example = examples_dir() / "adipose-bcbs-both-hands.json"
    code, out, _ = run(capsys, "check", str(example), "--json")
    releases = json.loads(out)["releases"]
    assert "NCCI PTP 2026Q4 practitioner" in releases and "HCPCS 2026 Oct" in releases
    code, out, _ = run(capsys, "check", str(example))
    assert "releases used: ICD-10-CM April 1 2026 · NCCI PTP 2026Q4 practitioner" in out
    code, out, _ = run(capsys, "reference", "search", "E10.64", "--date", "2026-03-01")
    assert "E10.64A" in out and "(not valid on that date)" in out


def test_a_bad_file_is_one_message_and_nothing_changes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "reference", "load", "nucc", str(NUCC))[0] == 0
    _, before, _ = run(capsys, "reference", "sources", "--json")
    bad = tmp_path / "HCPC2026_OCT_ANWEB.txt"
    bad.write_bytes(HCPCS.read_bytes().replace(b"J3591", b"J3590"))
    code, out, err = run(capsys, "reference", "load", "hcpcs", str(bad))
    assert code == 2 and out == ""
    assert err.startswith(f"worksheet: {bad}:")
    assert "duplicate key: J3590" in err and "nothing loaded" in err
    assert len(err.strip().splitlines()) == 1
    _, after, _ = run(capsys, "reference", "sources", "--json")
    assert after == before


def test_wrong_kind_and_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "reference", "load", "ncci-mue", str(PTP_PRACTITIONER))
    assert code == 2 and "no MUE column header" in err
    renamed = tmp_path / "edits.txt"
    renamed.write_bytes(PTP_PRACTITIONER.read_bytes())
    code, _, err = run(capsys, "reference", "load", "ncci-ptp", str(renamed))
    assert code == 2 and "--set" in err
    code, out, _ = run(
        capsys,
        "reference",
        "load",
        "ncci-ptp",
        str(renamed),
        "--set",
        "practitioner",
        "--effective",
        "2027-01-01",
    )
    assert code == 0 and "NCCI PTP 2027Q1 practitioner" in out


def test_load_cpt_is_load_cpt(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    licensed = tmp_path / "cpt.csv"
    licensed.write_text("code,descriptor\n0585T,Licensed words for 0585T\n", encoding="utf-8")
    code, out, _ = run(capsys, "reference", "load", "cpt", str(licensed))
    assert code == 0 and "loaded 1 licensed CPT descriptors" in out
    code, out, _ = run(capsys, "reference", "search", "0585T")
    assert "Licensed words for 0585T" in out


def test_no_files_loaded(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "reference", "sources")
    assert code == 0 and "no official files loaded" in out
    assert json.loads(run(capsys, "reference", "sources", "--json")[1]) == []


def test_a_load_rechecks_the_stored_cases(capsys: pytest.CaptureFixture[str]) -> None:
    example = examples_dir() / "adipose-bcbs-both-hands.json"
    assert run(capsys, "cases", "import", str(example))[0] == 0
    code, out, _ = run(capsys, "reference", "load", "ncci-mue", str(MUE_PRACTITIONER))
    assert code == 0 and "re-checked 1 stored cases" in out

"""Each loader reads its official layout and refuses a bad file with one clear message
naming the file, the line and what was expected; nothing is half-loaded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.official import LOADERS, OfficialFileError
from models.official.build import Loaded, build_with
from models.official.hcpcs import release_from_name
from models.official.ncci_ptp import quarter_from_name, set_from_name
from models.reference import Reference
from tests.models.official.conftest import (
    HCPCS,
    ICD_2027,
    MUE_OUTPATIENT,
    MUE_PRACTITIONER,
    NUCC,
    PTP_OUTPATIENT,
    PTP_PRACTITIONER,
)


def describe(kind: str, path: Path, **options: object):  # type: ignore[no-untyped-def]
    return LOADERS[kind].describe(path, options.get("effective"), options.get("edit_set"))  # type: ignore[arg-type]


def refused(kind: str, path: Path, **options: object) -> str:
    with pytest.raises(OfficialFileError) as caught:
        describe(kind, path, **options)
    message = str(caught.value)
    assert message.startswith(str(path))
    return message


def variant_of(source: Path, tmp_path: Path, name: str | None = None, **edits: bytes) -> Path:
    data = source.read_bytes()
    for old, new in edits.items():
        data = data.replace(old.encode(), new)
    target = tmp_path / (name or source.name)
    target.write_bytes(data)
    return target


# ---------------------------------------------------------------- good files


def test_ptp_set_and_quarter_from_the_cms_name() -> None:
    assert set_from_name(PTP_PRACTITIONER) == "practitioner"
    assert set_from_name(PTP_OUTPATIENT) == "outpatient"
    assert quarter_from_name(PTP_PRACTITIONER) == "2026Q4"
    info = describe("ncci-ptp", PTP_PRACTITIONER)
    assert (info.release, info.edit_set, info.rows) == ("2026Q4", "practitioner", 6)
    assert info.effective_from == date(2026, 10, 1)
    assert info.label == "NCCI PTP 2026Q4 practitioner"


def test_ptp_options_override_the_name(tmp_path: Path) -> None:
    renamed = variant_of(PTP_PRACTITIONER, tmp_path, "edits-part1.txt")
    info = describe("ncci-ptp", renamed, effective=date(2027, 1, 1), edit_set="outpatient")
    assert (info.release, info.edit_set) == ("2027Q1", "outpatient")
    assert "--set" in refused("ncci-ptp", renamed, effective=date(2027, 1, 1))
    assert "--effective" in refused("ncci-ptp", renamed, edit_set="practitioner")


def test_mue_set_from_the_header_and_quarter_from_the_name() -> None:
    assert describe("ncci-mue", MUE_PRACTITIONER).edit_set == "practitioner"
    outpatient = describe("ncci-mue", MUE_OUTPATIENT)
    assert (outpatient.edit_set, outpatient.release, outpatient.rows) == ("outpatient", "2026Q4", 2)
    assert "--set says outpatient" in refused("ncci-mue", MUE_PRACTITIONER, edit_set="outpatient")


def test_hcpcs_release_and_continuation_records() -> None:
    assert release_from_name(HCPCS) == ("2026 Oct", date(2026, 10, 1))
    assert release_from_name(Path("HCPC2020_ANWEB_w_disclaimer.txt")) == (
        "2020 Jan",
        date(2020, 1, 1),
    )
    info = describe("hcpcs", HCPCS)
    assert (info.release, info.rows) == ("2026 Oct", 10)


def test_icd_release_from_the_version_and_effective_date() -> None:
    info = describe("icd10cm", ICD_2027)
    assert (info.release, info.effective_from) == ("FY2027", date(2026, 10, 1))
    april = describe("icd10cm", ICD_2027, effective=date(2027, 4, 1))
    assert april.release == "FY2027 from 2027-04-01"


def test_nucc_version_from_the_name() -> None:
    info = describe("nucc", NUCC)
    assert (info.release, info.rows) == ("26.0", 4)


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("kind", "path", "expected"),
    [
        ("ncci-ptp", MUE_PRACTITIONER, "expected an NCCI PTP edit file"),
        ("ncci-ptp", ICD_2027, "not a PTP file"),
        ("ncci-mue", PTP_PRACTITIONER, "no MUE column header"),
        ("hcpcs", PTP_PRACTITIONER, "no HCPCS records"),
        ("icd10cm", HCPCS, "malformed XML"),
        ("nucc", MUE_PRACTITIONER, "expected the NUCC taxonomy CSV"),
    ],
)
def test_wrong_kind(kind: str, path: Path, expected: str) -> None:
    assert expected in refused(kind, path)


def test_truncated_files(tmp_path: Path) -> None:
    ptp = tmp_path / "ccipra-v323r0-f1.txt"
    ptp.write_bytes(PTP_PRACTITIONER.read_bytes()[:-75])
    assert ":10: malformed row: expected 7 tab-separated fields" in refused("ncci-ptp", ptp)
    hcpcs = tmp_path / "HCPC2026_OCT_ANWEB.txt"
    hcpcs.write_bytes(HCPCS.read_bytes()[:-200])
    assert "truncated record" in refused("hcpcs", hcpcs)
    xml = tmp_path / "icd10cm_tabular_2027.xml"
    xml.write_bytes(ICD_2027.read_bytes()[:1500])
    assert "(truncated?)" in refused("icd10cm", xml)
    only_header = tmp_path / "MCR_MUE_PractitionerServices_Eff_10-01-2026.csv"
    only_header.write_bytes(MUE_PRACTITIONER.read_bytes().split(b"0489T")[0])
    assert "no MUE rows" in refused("ncci-mue", only_header)


def test_unexpected_encoding(tmp_path: Path) -> None:
    ptp = variant_of(
        PTP_PRACTITIONER, tmp_path, **{"Mutually exclusive": b"Mutually \x81exclusive"}
    )
    assert ":9: unexpected encoding" in refused("ncci-ptp", ptp)
    utf16 = tmp_path / "ccioph-v323r0-f2.txt"
    utf16.write_bytes(PTP_OUTPATIENT.read_text(encoding="cp1252").encode("utf-16"))
    assert "UTF-16" in refused("ncci-ptp", utf16)
    xml = variant_of(ICD_2027, tmp_path, **{"Abrasion": b"Abr\xe4sion"})
    assert "unexpected encoding" in refused("icd10cm", xml)


def test_malformed_rows(tmp_path: Path) -> None:
    ptp = variant_of(PTP_PRACTITIONER, tmp_path, **{"20270101": b"20271301"})
    assert ":8: malformed row: effective date: expected YYYYMMDD" in refused("ncci-ptp", ptp)
    indicator = variant_of(PTP_PRACTITIONER, tmp_path, **{"*\t1\tStandards": b"*\t2\tStandards"})
    assert "modifier indicator: expected 0, 1 or 9" in refused("ncci-ptp", indicator)
    mue = variant_of(MUE_PRACTITIONER, tmp_path, **{"96372,4": b"96372,four"})
    assert ":8: MUE value: expected a whole number" in refused("ncci-mue", mue)
    hcpcs = variant_of(HCPCS, tmp_path, **{"20150101": b"2015X101"})
    assert "ADD_DT: expected a date YYYYMMDD" in refused("hcpcs", hcpcs)
    xml = variant_of(ICD_2027, tmp_path, **{"<name>E11.9</name>": b"<name>E11.9.9</name>"})
    assert "a <diag> needs a <name> code" in refused("icd10cm", xml)
    nucc = variant_of(NUCC, tmp_path, **{"282N00000X": b"282N0000X"})
    assert ":5: Code: expected a taxonomy code" in refused("nucc", nucc)


def test_duplicate_keys(tmp_path: Path, loaded: Reference, shipped: Reference) -> None:
    hcpcs = variant_of(HCPCS, tmp_path, **{"J3591": b"J3590"})
    assert "duplicate key: J3590 already starts at line" in refused("hcpcs", hcpcs)
    xml = variant_of(ICD_2027, tmp_path, **{"<name>E11.9</name>": b"<name>E10.649</name>"})
    assert "duplicate key: E10.649" in refused("icd10cm", xml)
    nucc = variant_of(NUCC, tmp_path, **{"282N00000X": b"207R00000X"})
    assert "duplicate key: 207R00000X is already at line 2" in refused("nucc", nucc)
    text = PTP_PRACTITIONER.read_bytes()
    doubled = tmp_path / "ccipra-v323r0-f2.txt"
    doubled.write_bytes(text + text.split(b"\r\n")[5] + b"\r\n")
    out = tmp_path / "reference.sqlite"
    with pytest.raises(
        OfficialFileError,
        match=r":11: duplicate key: the edit column 1 0585T .* already at line 6 of ccipra-v323r0-f2",
    ):
        build_with(shipped.path, out, [Loaded.read("ncci-ptp", doubled)])
    assert not out.exists() and list(tmp_path.glob("*.tmp")) == []
    with pytest.raises(OfficialFileError, match=r"f2.txt:5: .* at line 5 of ccipra-v323r0-f1.txt"):
        build_with(loaded.path, out, [Loaded.read("ncci-ptp", doubled)])


def test_a_bad_file_leaves_the_reference_unchanged(tmp_path: Path, loaded: Reference) -> None:
    out = tmp_path / "reference.sqlite"
    out.write_bytes(loaded.path.read_bytes())
    before = out.read_bytes()
    mue = variant_of(MUE_PRACTITIONER, tmp_path, **{"0585T,1": b"0490T,1"})
    with pytest.raises(OfficialFileError, match="duplicate key: 0490T already has an MUE at line"):
        build_with(loaded.path, out, [Loaded.read("ncci-mue", mue)])
    assert out.read_bytes() == before


def test_layout_variants_cms_files_show(tmp_path: Path) -> None:
    rows = PTP_PRACTITIONER.read_bytes().split(b"\r\n")[4:]  # no preamble, no header
    bare = tmp_path / "ccipra-v323r0-f3.txt"
    bare.write_bytes(b"\n".join(rows).replace(b"\t*\t0\tMutually", b"\t\t0\tMutually"))
    assert describe("ncci-ptp", bare).rows == 6
    trimmed = tmp_path / "HCPC2026_OCT_ANWEB.txt"
    trimmed.write_bytes(b"\r\n".join(line.rstrip() for line in HCPCS.read_bytes().split(b"\r\n")))
    assert describe("hcpcs", trimmed).rows == 10
    dated = tmp_path / "practitioner-mue.csv"
    dated.write_bytes(b"Effective 01/01/2027\r\n" + MUE_PRACTITIONER.read_bytes())
    info = describe("ncci-mue", dated)
    assert (info.release, info.effective_from) == ("2027Q1", date(2027, 1, 1))


def test_a_zip_is_refused_with_what_to_do(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "ccipra-v323r0.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(PTP_PRACTITIONER, PTP_PRACTITIONER.name)
    with pytest.raises(OfficialFileError, match="unzip it"):
        Loaded.read("ncci-ptp", archive)
    assert quarter_from_name(Path("ccipra-v324r0-f1.txt")) is None  # no such version

"""`worksheet verify` and `worksheet open` on a worksheet PDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from models.case import load_case
from models.coder import check
from models.paths import examples_dir
from models.reference import Reference, open_reference
from models.worksheet import Worksheet
from reports.pdf import render_pdf

BLOCKED = examples_dir() / "islet-thp-laparoscopic-imaging-blocked.json"


@pytest.fixture(scope="module")
def reference() -> Reference:
    return open_reference()


@pytest.fixture
def worksheet(reference: Reference) -> Worksheet:
    return check(load_case(BLOCKED), reference)


def verify(capsys: pytest.CaptureFixture[str], path: Path, *more: str) -> tuple[int, str, str]:
    code = main(["verify", str(path), *more])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_fresh_worksheet_holds(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pdf = tmp_path / "w.pdf"
    assert main(["render", str(BLOCKED), "-o", str(pdf)]) == 0
    code, out, _ = verify(capsys, pdf)
    assert code == 0 and "holds" in out and "BLOCKED" in out
    code, out, _ = verify(capsys, pdf, "--json")
    report = json.loads(out)
    assert code == 0 and report["holds"] is True
    assert report["status"] == {"printed": "blocked", "current": "blocked", "holds": True}
    assert report["case"]["patient"]["account"] == "ACCT-1001"


def test_a_worksheet_whose_result_changed_says_what(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path, worksheet: Worksheet) -> None:
    printed = worksheet.model_copy(update={
        "status": "ready", "findings": (),
        "lines": tuple(line for line in worksheet.lines if line.code != "76937"),
    })
    pdf = tmp_path / "old.pdf"
    pdf.write_bytes(render_pdf(printed))
    code, out, _ = verify(capsys, pdf)
    assert code == 1
    assert "READY → BLOCKED: new error included-service on" in out and "line 76937 added" in out
    code, out, _ = verify(capsys, pdf, "--json")
    report: dict[str, Any] = json.loads(out)
    assert code == 1 and report["holds"] is False
    assert report["lines"]["holds"] is False and report["digest"]["holds"] is True


def test_a_worksheet_from_another_reference_does_not_hold_its_digest(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, worksheet: Worksheet) -> None:
    printed = worksheet.model_copy(update={"digest": "0" * 64, "reference_version": "2025.1"})
    pdf = tmp_path / "old.pdf"
    pdf.write_bytes(render_pdf(printed))
    code, out, _ = verify(capsys, pdf)
    assert code == 1 and "digest 000000000000 →" in out and "reference 2025.1 →" in out


def test_not_a_worksheet_or_damaged_is_exit_2(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path, worksheet: Worksheet) -> None:
    other = tmp_path / "note.pdf"
    other.write_bytes(b"%PDF-1.4\n% nothing here\n")
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(render_pdf(worksheet)[:3000])
    text = tmp_path / "case.pdf"
    text.write_text("{}")
    for path in (other, cut, text, tmp_path / "missing.pdf"):
        code, _, err = verify(capsys, path)
        assert code == 2 and str(path) in err and "Traceback" not in err, err


def test_open_accepts_a_worksheet_pdf(tmp_path: Path, worksheet: Worksheet) -> None:
    from desktop.library import load_case_or_worksheet

    pdf = tmp_path / "w.pdf"
    pdf.write_bytes(render_pdf(worksheet))
    case, path = load_case_or_worksheet(pdf)
    assert case == worksheet.case and path is None
    case, path = load_case_or_worksheet(BLOCKED)
    assert path == BLOCKED

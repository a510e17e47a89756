"""The command line: exit codes, JSON contract, render batches and atomic output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.paths import examples_dir

EXAMPLES = sorted(examples_dir().glob("*.json"))


def worksheet(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_at_least_ten_examples_cover_payers_and_families():
    cases = [json.loads(p.read_text()) for p in EXAMPLES]
    assert len(cases) >= 10
    assert {c["family"] for c in cases} == {"islet-transplant", "adipose-cells-hands"}
    assert {"medicare", "aetna", "bcbs", "cigna", "uhc", "thp", "other"} <= {
        c["payer"] for c in cases
    }
    assert any(c["payer"] == "medicare" and c["answers"].get("nct_number") for c in cases)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_check_json_contract_and_exit_code(path):
    result = worksheet("check", str(path), "--json")
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert {"status", "lines", "findings", "reference_version", "digest"} <= set(data)
    assert result.returncode == (0 if data["status"] == "ready" else 1)
    for line in data["lines"]:
        assert {"code", "modifiers", "units", "diagnosis_pointers"} <= set(line)
    for finding in data["findings"]:
        assert {"rule", "severity", "message", "codes", "citation", "acknowledged"} <= set(finding)
    expected = path.stem.rsplit("-", 1)[-1]
    if expected in ("blocked", "review"):
        assert data["status"] == expected


def test_readable_report_names_status_and_rules():
    result = worksheet("check", str(examples_dir() / "islet-thp-laparoscopic-imaging-blocked.json"))
    assert result.returncode == 1
    assert "status: BLOCKED" in result.stdout and "included-service" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"family": "islet-transplant", "colour": 1}', "colour: unknown field"),
        ('{"family": "islet-transplant", "date_of_service": "2026-13-01"}', "date_of_service"),
        ('{"family": "no-such-family"}', "Unknown procedure family"),
        ('{"family": "islet-transplant", "payer": "acme"}', "Unknown payer"),
        ('{"family": "islet-transplant", "answers": {"approach": "robotic"}}', "approach"),
        (
            '{"family": "islet-transplant", "answers": {"infusion_number": "two"}}',
            "infusion_number",
        ),
        ('{"family": "islet-transplant", "answers": {"colour": "red"}}', "colour"),
    ],
)
def test_unusable_case_exits_2_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "case.json"
    path.write_text(content)
    result = worksheet("check", str(path), "--json")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_missing_case_file_exits_2(tmp_path):
    result = worksheet("check", str(tmp_path / "nope.json"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_render_folder_of_cases(tmp_path):
    out = tmp_path / "pdfs"
    result = worksheet(
        "render",
        str(examples_dir()),
        "-o",
        str(out),
        "--date",
        "2026-03-01",
        "--coder",
        "Test Coder",
    )
    assert result.returncode == 0, result.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(EXAMPLES)
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert f"rendered {len(EXAMPLES)}, blocked " in result.stdout and "failed 0" in result.stdout


def test_render_is_byte_identical_and_atomic(tmp_path):
    case = examples_dir() / "islet-medicare-trial.json"
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for target in (first, second):
        assert (
            worksheet("render", str(case), "-o", str(target), "--date", "2026-04-21").returncode
            == 0
        )
    assert first.read_bytes() == second.read_bytes()
    if os.geteuid() != 0:
        tmp_path.chmod(0o500)
        try:
            result = worksheet("render", str(case), "-o", str(first), "--date", "2026-04-22")
        finally:
            tmp_path.chmod(0o700)
        assert result.returncode == 2
    missing = worksheet("render", str(case), "-o", str(tmp_path / "no" / "dir.pdf"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert not list(tmp_path.glob(".*.part"))


def test_render_mixed_batch_counts_failures(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    good = examples_dir() / "islet-cigna-tpiat.json"
    out = tmp_path / "out"
    result = worksheet("render", str(good), str(bad), "-o", str(out))
    assert result.returncode == 2
    assert "rendered 1, blocked 0, failed 1" in result.stdout
    assert (out / "islet-cigna-tpiat.pdf").exists() and not (out / "bad.pdf").exists()


def test_reference_commands(tmp_path):
    info = worksheet("reference", "info")
    assert info.returncode == 0 and "ICD-10-CM release" in info.stdout
    search = worksheet("reference", "search", "pain in thigh", "--limit", "3", "--json")
    assert search.returncode == 0
    assert json.loads(search.stdout)[0]["code"].startswith("M79.65")
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"garbage" * 1000)
    bad = worksheet("--reference", str(corrupt), "reference", "info")
    assert bad.returncode == 2 and str(corrupt) in bad.stderr and "Traceback" not in bad.stderr


def test_help_on_every_subcommand():
    for args in (
        ["--help"],
        ["check", "--help"],
        ["render", "--help"],
        ["reference", "--help"],
        ["reference", "build", "--help"],
        ["reference", "search", "--help"],
        ["rules", "--help"],
        ["explain", "--help"],
        ["open", "--help"],
    ):
        assert worksheet(*args).returncode == 0, args


def test_site_loads_licensed_cpt_descriptors(tmp_path):
    licensed = tmp_path / "cpt.csv"
    licensed.write_text("code,descriptor\n0584T,LICENSED TEXT FOR 0584T\n99999,not in the reference\n")
    env = dict(os.environ, WORKSHEET_DATA_DIR=str(tmp_path / "data"), WORKSHEET_REFERENCE=str(tmp_path / "ref.sqlite"))
    loaded = subprocess.run([sys.executable, "-m", "desktop", "reference", "load-cpt", str(licensed)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 2 licensed CPT descriptors" in loaded.stdout
    search = subprocess.run([sys.executable, "-m", "desktop", "reference", "search", "0584T", "--json"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert json.loads(search.stdout)[0]["description"] == "LICENSED TEXT FOR 0584T"
    bad = tmp_path / "bad.csv"
    bad.write_text("code,descriptor\nnot-a-code\n")
    refused = subprocess.run([sys.executable, "-m", "desktop", "reference", "load-cpt", str(bad)],
                             capture_output=True, text=True, env=env, timeout=120)
    assert refused.returncode == 2 and "bad.csv:2" in refused.stderr

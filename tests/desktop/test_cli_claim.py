"""`worksheet check` shows the claim form: the JSON `claim` and `procedures`, the readable report."""

from __future__ import annotations

import json
import subprocess
import sys

from models.paths import examples_dir


def check(name: str, *options: str) -> subprocess.CompletedProcess[str]:
    path = examples_dir() / name
    return subprocess.run(
        [sys.executable, "-m", "desktop", "check", str(path), *options],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_of_an_inpatient_facility_claim() -> None:
    result = check("islet-cigna-tpiat-hospital-inpatient.json", "--json")
    data = json.loads(result.stdout)
    assert result.returncode == 0
    assert data["claim"]["form"] == "institutional"
    assert data["claim"]["type_of_bill"] == "0111" and data["claim"]["place_of_service"] is None
    assert [p["code"] for p in data["procedures"]] == ["3E030U0", "0FTG0ZZ"]
    assert all(p["why"] and p["source"] for p in data["procedures"])
    assert [line["revenue_code"] for line in data["lines"]] == ["0362"]


def test_json_of_a_professional_claim_has_no_tob_no_pcs_no_revenue_codes() -> None:
    data = json.loads(check("islet-medicare-trial.json", "--json").stdout)
    claim = data["claim"]
    assert (claim["form"], claim["place_of_service"], claim["type_of_bill"]) == (
        "professional",
        "21",
        None,
    )
    assert claim["facility_rate"] is True
    assert data["procedures"] == []
    assert all(line["revenue_code"] is None for line in data["lines"])


def test_medicare_asc_on_the_ub04_is_blocked_with_exit_1() -> None:
    result = check("islet-medicare-asc-ub04-blocked.json")
    assert result.returncode == 1
    assert "claim-form:" in result.stdout
    assert "claim: UB-04 / 837I · billed by facility · type of bill 0831" in result.stdout

import json

import pytest

from models.case import Case, CaseError, load_case, normalize_diagnosis, parse_case
from tests.models.conftest import ISLET


def test_diagnoses_with_or_without_dot_are_the_same():
    assert normalize_diagnosis("e10649") == "E10.649"
    assert normalize_diagnosis("E10.649") == "E10.649"
    assert normalize_diagnosis(" k86.1 ") == "K86.1"
    assert normalize_diagnosis("Z00.6") == "Z00.6"


def test_example_case_parses_and_round_trips():
    case = parse_case(json.dumps(ISLET))
    again = parse_case(case.to_file_text())
    assert again == case
    assert again.canonical_json() == case.canonical_json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"colour": "blue"}, "colour"),
        ({"date_of_service": "2026-02-30"}, "date_of_service"),
        ({"claim_type": "dental"}, "claim_type"),
        ({"setting": "home"}, "setting"),
        ({"patient": {"age": "forty"}}, "patient.age"),
        ({"extra_lines": [{"code": "76937", "units": 0}]}, "extra_lines.0.units"),
        ({"extra_lines": [{"code": "<script>"}]}, "extra_lines.0.code"),
        ({"modifiers": ["2"]}, "modifiers.0"),
        ({"schema_version": 2}, "schema_version"),
        ({"answers": {"Bad Key": 1}}, "answers"),
    ],
)
def test_malformed_cases_name_the_field(change, field):
    data = {**ISLET, **change}
    with pytest.raises(CaseError) as caught:
        parse_case(json.dumps(data), "case.json")
    assert field in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_family_is_required():
    data = {k: v for k, v in ISLET.items() if k != "family"}
    with pytest.raises(CaseError, match="family: required field is missing"):
        parse_case(json.dumps(data))


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", "null", '{"family": "x",}'])
def test_bad_json_is_refused_clearly(text):
    with pytest.raises(CaseError, match="case"):
        parse_case(text)


def test_load_case_reports_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(CaseError, match="no such file"):
        load_case(tmp_path / "missing.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CaseError, match="not UTF-8"):
        load_case(binary)
    with pytest.raises(CaseError, match="folder"):
        load_case(tmp_path)


def test_minimal_case_is_accepted():
    case = Case.model_validate({"family": "islet-transplant"})
    assert case.payer is None and case.diagnoses == [] and case.schema_version == 1

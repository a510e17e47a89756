"""Any case the schema accepts is checked without an exception, deterministically."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.case import Case
from models.coder import check

CODES = [
    "0584T",
    "0585T",
    "0586T",
    "G0341",
    "G0342",
    "G0343",
    "S2102",
    "J3590",
    "C9399",
    "48160",
    "48155",
    "0489T",
    "0490T",
    "76937",
    "36440",
    "36425",
    "0350T",
    "49320",
    "49000",
    "01810",
    "99999",
    "A1",
]
MODIFIERS = [
    "22",
    "52",
    "53",
    "59",
    "73",
    "74",
    "Q0",
    "Q1",
    "QR",
    "QX",
    "QW",
    "LT",
    "RT",
    "50",
    "JW",
    "JZ",
    "GA",
    "GZ",
    "KX",
    "XS",
    "ZZ",
]
DX = [
    "E10.649",
    "E10649",
    "E10.64",
    "K86.1",
    "M34.1",
    "M79.64",
    "M79.65",
    "L98.4",
    "L98.A311",
    "Z00.6",
    "Z79.4",
    "L94.0",
    "XYZ",
    "A0",
]
ANSWER_KEYS = [
    "approach",
    "donor",
    "pancreatectomy",
    "product",
    "infusion_number",
    "severe_hypoglycemia",
    "immunosuppression",
    "prior_renal_transplant",
    "insulin_independent_after_previous",
    "nct_number",
    "technology",
    "services",
    "unknown_question",
]
ANSWER_VALUES = st.one_of(
    st.sampled_from(
        [
            "percutaneous",
            "laparoscopic",
            "open",
            "autologous",
            "allogeneic",
            "none",
            "partial",
            "near-total",
            "total",
            "donislecel",
            "standard",
            "xenotransplant",
            "harvest",
            "injection",
            "both",
            "NCT01234567",
            "NCT1",
        ]
    ),
    st.booleans(),
    st.integers(min_value=-2, max_value=6),
    st.none(),
    st.text(max_size=8),
)

cases = st.builds(
    Case,
    family=st.sampled_from(["islet-transplant", "adipose-cells-hands", "unknown-family"]),
    date_of_service=st.one_of(st.none(), st.dates()),
    payer=st.one_of(
        st.none(),
        st.sampled_from(
            ["medicare", "aetna", "bcbs", "cigna", "uhc", "thp", "anthem", "other", "acme"]
        ),
    ),
    claim_type=st.one_of(st.none(), st.sampled_from(["professional", "institutional"])),
    setting=st.one_of(
        st.none(), st.sampled_from(["inpatient", "outpatient-hospital", "asc", "office"])
    ),
    answers=st.dictionaries(st.sampled_from(ANSWER_KEYS), ANSWER_VALUES, max_size=8),
    diagnoses=st.lists(st.sampled_from(DX), max_size=5),
    modifiers=st.lists(st.sampled_from(MODIFIERS), max_size=4),
    extra_lines=st.lists(
        st.builds(
            dict,
            code=st.sampled_from(CODES),
            modifiers=st.lists(st.sampled_from(MODIFIERS), max_size=3),
            units=st.integers(1, 5),
        ),
        max_size=4,
    ),
    rendering_taxonomy=st.one_of(
        st.none(), st.sampled_from(["204F00000X", "2086S0125X", "bad", "207RC0000X", "2085R9999X"])
    ),
    acknowledged=st.lists(
        st.builds(
            dict,
            rule=st.sampled_from(
                ["prior-authorization", "included-service", "verify-reference", "x"]
            ),
            reason=st.sampled_from(["", "ok", " "]),
        ),
        max_size=3,
    ),
    notes=st.text(max_size=50),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_any_accepted_case_checks_deterministically(reference, case):
    first = check(case, reference)
    second = check(Case.model_validate_json(case.model_dump_json()), reference)
    assert first == second
    assert first.status in ("ready", "review", "blocked")
    assert (first.status == "blocked") == any(f.severity == "error" for f in first.findings)
    for line in first.lines:
        assert all(1 <= p <= len(case.diagnoses) for p in line.diagnosis_pointers)

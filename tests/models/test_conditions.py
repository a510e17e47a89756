import pytest

from models.conditions import ConditionError, Truth, parse


@pytest.mark.parametrize(
    ("text", "context", "truth"),
    [
        ("", {}, Truth.TRUE),
        ("approach=percutaneous", {"approach": "percutaneous"}, Truth.TRUE),
        ("approach=percutaneous", {"approach": "open"}, Truth.FALSE),
        ("approach=percutaneous", {}, Truth.UNKNOWN),
        ("pancreatectomy!=near-total|total", {}, Truth.TRUE),
        ("pancreatectomy!=near-total|total", {"pancreatectomy": "total"}, Truth.FALSE),
        ("age>=18", {"age": 18}, Truth.TRUE),
        ("age>=18", {"age": 17}, Truth.FALSE),
        ("infusion_number<=3", {"infusion_number": 4}, Truth.FALSE),
        ("severe_hypoglycemia=true", {"severe_hypoglycemia": True}, Truth.TRUE),
        ("prior_renal_transplant=false", {"prior_renal_transplant": True}, Truth.FALSE),
        ("dxgroup=t1d", {"dxgroup": frozenset({"t1d", "other"})}, Truth.TRUE),
        ("dxgroup=t1d", {"dxgroup": frozenset()}, Truth.FALSE),
        ("dos>=2025-10-01", {"dos": "2025-10-01"}, Truth.TRUE),
        ("dos>=2025-10-01", {"dos": "2025-09-30"}, Truth.FALSE),
        ("a=1; b=2", {"a": "1"}, Truth.UNKNOWN),
        ("a=1; b=2", {"a": "2"}, Truth.FALSE),
        ("a=1; b=2", {"a": 1, "b": 2}, Truth.TRUE),
    ],
)
def test_truth(text, context, truth):
    assert parse(text).truth(context) is truth


@pytest.mark.parametrize("text", ["approach", "a=", "a=|b", "age>=1|2", "A=b"])
def test_malformed_conditions_are_refused(text):
    with pytest.raises(ConditionError):
        parse(text)

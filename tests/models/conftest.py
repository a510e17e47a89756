from __future__ import annotations

import copy
from typing import Any

import pytest

from models.case import Case
from models.coder import check
from models.reference import Reference, open_reference
from models.worksheet import Worksheet

ISLET: dict[str, Any] = {
    "schema_version": 1,
    "family": "islet-transplant",
    "date_of_service": "2026-03-12",
    "payer": "thp",
    "claim_type": "institutional",
    "setting": "outpatient-hospital",
    "patient": {"age": 41, "account": "ACCT-1"},
    "answers": {
        "approach": "percutaneous",
        "donor": "allogeneic",
        "product": "donislecel",
        "infusion_number": 1,
        "severe_hypoglycemia": True,
        "immunosuppression": True,
        "prior_renal_transplant": False,
    },
    "diagnoses": ["E10.649"],
    "modifiers": [],
    "extra_lines": [],
    "rendering_taxonomy": "2085R0204X",
}

ADIPOSE: dict[str, Any] = {
    "schema_version": 1,
    "family": "adipose-cells-hands",
    "date_of_service": "2025-11-18",
    "payer": "bcbs",
    "claim_type": "professional",
    "setting": "office",
    "patient": {"age": 56, "account": "ACCT-2"},
    "answers": {"services": "both"},
    "diagnoses": ["M34.1"],
    "rendering_taxonomy": "2082S0105X",
}

MEDICARE_TRIAL: dict[str, Any] = {
    **ISLET,
    "payer": "medicare",
    "claim_type": "professional",
    "setting": "inpatient",
    "answers": {
        "approach": "percutaneous",
        "donor": "allogeneic",
        "infusion_number": 1,
        "nct_number": "NCT01234567",
    },
    "diagnoses": ["E10.649", "Z00.6"],
}


def variant(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of a base case; `answers` and `patient` changes merge, None removes a key."""
    data = copy.deepcopy(base)
    for key, value in changes.items():
        if key in ("answers", "patient") and isinstance(value, dict):
            merged = {**data.get(key, {}), **value}
            data[key] = {k: v for k, v in merged.items() if v is not None}
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.fixture(scope="session")
def reference() -> Reference:
    return open_reference()


@pytest.fixture(scope="session")
def run(reference: Reference):  # type: ignore[no-untyped-def]
    def _run(data: dict[str, Any]) -> Worksheet:
        return check(Case.model_validate(data), reference)

    return _run


def rules_of(worksheet: Worksheet, severity: str | None = None) -> set[str]:
    return {f.rule for f in worksheet.findings if severity is None or f.severity == severity}

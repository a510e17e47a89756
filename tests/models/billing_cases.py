"""Cases of the whole-claim billing rules (issue 8 part B), as a certified coder writes them."""

from __future__ import annotations

from typing import Any

from tests.models.conftest import ISLET, MEDICARE_TRIAL, variant

SURGEON_INPATIENT = variant(ISLET, claim_type="professional", setting="inpatient")
"""The surgeon's professional claim for an inpatient allogeneic infusion (THP, POS 21)."""

AUTOLOGOUS = {
    "approach": "open",
    "donor": "autologous",
    "pancreatectomy": "total",
    "product": None,
    "infusion_number": None,
    "severe_hypoglycemia": None,
    "immunosuppression": None,
    "prior_renal_transplant": None,
}
TPIAT_CIGNA = variant(
    SURGEON_INPATIENT,
    payer="cigna",
    answers=AUTOLOGOUS,
    diagnoses=["K86.1"],
    rendering_taxonomy="208600000X",
)
TPIAT_MEDICARE = variant(TPIAT_CIGNA, payer="medicare")
MEDICARE_LAP = variant(MEDICARE_TRIAL, answers={"approach": "laparoscopic"})
"""G0342 (090-day global) on a Medicare trial claim, inpatient professional."""
ANESTHESIOLOGIST = variant(
    TPIAT_CIGNA,
    rendering_taxonomy="207L00000X",
    extra_lines=[{"code": "00794", "modifiers": ["AA"], "units": 1, "minutes": 412}],
)

BILLING_PAIRS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "drug-billed-by-facility": (
        variant(SURGEON_INPATIENT, extra_lines=[{"code": "J7517", "units": 4}]),
        variant(ISLET, extra_lines=[{"code": "J7517", "units": 4}]),
    ),
    "payment-status": (TPIAT_MEDICARE, TPIAT_CIGNA),
    "liability-modifier": (variant(TPIAT_MEDICARE, modifiers=["GA"]), TPIAT_MEDICARE),
    "global-package": (
        variant(MEDICARE_LAP, extra_lines=[{"code": "99223", "modifiers": ["Q1"]}]),
        variant(MEDICARE_LAP, extra_lines=[{"code": "99223", "modifiers": ["57", "Q1"]}]),
    ),
    "anesthesia-claim": (
        variant(TPIAT_CIGNA, extra_lines=[{"code": "00794", "modifiers": ["AA"]}]),
        variant(ANESTHESIOLOGIST, payer="medicare"),
    ),
    "policy-not-in-effect": (variant(ISLET, date_of_service="2026-01-23"), ISLET),
    "code-outside-scope": (
        variant(ISLET, extra_lines=[{"code": "36556"}]),
        variant(ISLET, extra_lines=[{"code": "99024"}]),
    ),
}

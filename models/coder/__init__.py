"""The coder: case in, checked worksheet out.

Pure: no Qt, no files, no clock (the date of service is an input). Derives the
claim lines from the case and the reference data, runs every rule and returns
a :class:`~models.worksheet.Worksheet`. The kinds of rules are code here; their
instances are rows of the reference (see :mod:`models.rules`).
"""

from __future__ import annotations

from models.case import Case
from models.coder.anesthesia import check_anesthesia, move_surgical_lines
from models.coder.answers import applicable_questions, question_context, resolve_case
from models.coder.billing import check_drug_lines, check_payment_status
from models.coder.claim_checks import check_claim
from models.coder.coverage import check_coverage, check_policy_findings, check_taxonomy, check_trial
from models.coder.derivation import derive
from models.coder.diagnoses import check_diagnoses_for_claim
from models.coder.global_package import check_global_package
from models.coder.laterality import check_laterality
from models.coder.liability import check_unexplained_denial_modifiers
from models.coder.lines import check_edits, check_lines
from models.coder.official import check_hcpcs, check_ncci_mue, check_ncci_ptp, read_official
from models.coder.result import apply_acknowledgements, finish
from models.coder.scope import classify_lines
from models.coder.state import Run
from models.knowledge import knowledge_of
from models.reference import Reference
from models.worksheet import Worksheet

__all__ = ["applicable_questions", "check", "question_context"]


def check(case: Case, reference: Reference) -> Worksheet:
    """Derive the claim lines and run every rule."""
    run = Run(case=case, reference=reference, knowledge=knowledge_of(reference))
    resolve_case(run)
    if run.family is not None:
        derive(run)
        classify_lines(run)
        move_surgical_lines(run)
        read_official(run)
        check_lines(run)
        check_hcpcs(run)
        check_edits(run)
        check_ncci_ptp(run)
        check_ncci_mue(run)
        check_coverage(run)
        check_trial(run)
        check_policy_findings(run)
        check_taxonomy(run)
        check_drug_lines(run)
        check_anesthesia(run)
        check_payment_status(run)
        check_global_package(run)
        check_unexplained_denial_modifiers(run)
    check_claim(run)
    check_diagnoses_for_claim(run)
    if run.family is not None:
        check_laterality(run)
    apply_acknowledgements(run)
    return finish(run)

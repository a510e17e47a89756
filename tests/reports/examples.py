"""Realistic worksheets for the PDF tests, the benchmark and the docs screenshot."""

from __future__ import annotations

import datetime

from models.case import Case, Patient
from models.worksheet import (
    CriterionResult,
    DiagnosisEntry,
    Finding,
    Line,
    PathStep,
    Status,
    Worksheet,
    case_digest,
)

REFERENCE_VERSION = "2026.11.1"
PREPARED = datetime.date(2026, 3, 18)

ISLET_DESCRIPTOR = (
    "Islet cell transplant into the portal vein, laparoscopic; catheterization, infusion, "
    "imaging, guidance and RS&I included"
)
GUIDANCE_DESCRIPTOR = (
    "Ultrasound guidance for vascular access: site evaluation, vessel patency, real-time "
    "needle entry, recorded (add-on)"
)


def islet_case(**changes: object) -> Case:
    values: dict[str, object] = {
        "family": "islet-transplant",
        "date_of_service": datetime.date(2026, 3, 12),
        "payer": "thp",
        "claim_type": "institutional",
        "setting": "outpatient-hospital",
        "patient": Patient(age=44, account="A-2026-031207"),
        "answers": {"approach": "laparoscopic", "donor": "allogeneic",
                    "severe_hypoglycemia": True, "immunosuppression": True},
        "diagnoses": ["E10.649", "E16.2"],
        "modifiers": ["22"],
        "notes": ("Operative note dated 03/12/2026 documents laparoscopic portal vein access "
                  "and infusion of donislecel; extended operative time (adhesions from prior "
                  "cholecystectomy) supports modifier 22.\n\nAuthorization 55120 confirmed by "
                  "phone with THP utilization management on 03/02/2026."),
    }
    values.update(changes)
    return Case.model_validate(values)


def islet_lines() -> tuple[Line, ...]:
    islet_path = (
        PathStep(kind="answer", text="Approach: laparoscopic", source="Question 'approach'"),
        PathStep(kind="payer", text="The Health Plan bills the CPT Category III islet codes",
                 source="THP medical policy, effective 1/24/2026"),
        PathStep(kind="reference",
                 text="Laparoscopic islet transplant; this payer uses the CPT Category III "
                      "islet codes",
                 source="0585T descriptor (FS-2026); BCBS-RI (openpayer.com)"),
        PathStep(kind="entered", text="Modifier 22 added by the coder (increased procedural "
                                      "services)", source="Case modifiers"),
    )
    guidance_path = (
        PathStep(kind="entered", text="Entered by the coder as an extra line",
                 source="Case extra lines"),
    )
    return (
        Line(number=1, code="0585T", modifiers=("22",), units=1, diagnosis_pointers=(1, 2),
             descriptor=ISLET_DESCRIPTOR, origin="derived", role="primary", path=islet_path),
        Line(number=2, code="76937", units=1, diagnosis_pointers=(1,),
             descriptor=GUIDANCE_DESCRIPTOR, origin="entered", role="add-on",
             path=guidance_path),
    )


def islet_diagnoses() -> tuple[DiagnosisEntry, ...]:
    return (
        DiagnosisEntry(pointer=1, code="E10.649",
                       description="Type 1 diabetes mellitus with hypoglycemia without coma",
                       valid=True, billable=True),
        DiagnosisEntry(pointer=2, code="E16.2", description="Hypoglycemia, unspecified",
                       valid=True, billable=True),
    )


def islet_criteria() -> tuple[CriterionResult, ...]:
    source = "THP medical policy, effective 1/24/2026"
    return (
        CriterionResult(criterion="age-18", text="Age 18 or older", asks="patient.age",
                        answer="44", outcome="met", source=source),
        CriterionResult(criterion="type-1-diabetes", text="Type 1 diabetes (E10.-)",
                        asks="diagnoses", answer="E10.649", outcome="met", source=source),
        CriterionResult(criterion="severe-hypoglycemia",
                        text="Unable to approach target HbA1c because of current repeated "
                             "severe hypoglycemia despite intensive management and education",
                        asks="answers.severe_hypoglycemia", answer="yes", outcome="met",
                        source=source),
        CriterionResult(criterion="immunosuppression",
                        text="Given with concomitant immunosuppression (e.g. mycophenolate, "
                             "sirolimus, tacrolimus)",
                        asks="answers.immunosuppression", answer="", outcome="not-answered",
                        source=source),
    )


INCLUDED_SERVICE = Finding(
    rule="included-service", severity="error", title="Service included in another line",
    message="76937 is part of 0585T on the same claim: imaging, imaging guidance and "
            "radiological supervision and interpretation are included in the islet "
            "transplant code.",
    codes=("0585T", "76937"),
    citation="Descriptor of 0584T-0586T (public CPT table FS-2026)",
    fix="Remove the included code, or document a distinct service and add 59/X{EPSU}.",
    step="lines")
PRIOR_AUTH = Finding(
    rule="prior-authorization", severity="warning", title="Prior authorization",
    message="The payer requires (or may require) prior authorization for this service.",
    codes=("0585T",), citation="THP medical policy, effective 1/24/2026",
    fix="Record the authorization number.", acknowledged=True,
    acknowledgement="Auth 55120 on file", step="coverage")
MODIFIER_22 = Finding(
    rule="modifier-needs-documentation", severity="warning",
    title="Modifier needs documentation",
    message="22, 23, 25, 59, 62, 66, 80-82 and XE/XS/XP/XU are paid only when the record "
            "shows why.",
    codes=("0585T",), citation="CPT Appendix A; NCCI policy manual (59/X{EPSU})",
    fix="Make sure the operative note supports the modifier.", step="modifiers")
CATEGORY_III = Finding(
    rule="category-iii-sunset", severity="info", title="Category III code",
    message="0585T is a Category III code: its sunset date and ASC status are not confirmed.",
    codes=("0585T",), citation="Public CPT table (FS-2026)",
    fix="Check the current CPT book.")

FINDINGS_FOR_STATUS: dict[str, tuple[Finding, ...]] = {
    "blocked": (INCLUDED_SERVICE, PRIOR_AUTH, MODIFIER_22, CATEGORY_III),
    "review": (PRIOR_AUTH, MODIFIER_22, CATEGORY_III),
    "ready": (PRIOR_AUTH, CATEGORY_III),
}

JUSTIFICATION = (
    "The patient has type 1 diabetes with recurrent severe hypoglycemia (E10.649) despite "
    "intensive management. An allogeneic islet infusion (donislecel) was given into the portal "
    "vein by a laparoscopic approach, reported with 0585T under The Health Plan's policy, which "
    "bills the CPT Category III islet codes.",
    "Modifier 22 reflects the documented increased procedural work. Imaging guidance is part "
    "of 0585T and is not reported separately unless a distinct service is documented.",
)


def islet_worksheet(status: Status = "review", **changes: object) -> Worksheet:
    case = changes.pop("case", None) or islet_case()
    assert isinstance(case, Case)
    values: dict[str, object] = {
        "case": case,
        "family_name": "Pancreatic islet cell transplant (portal vein infusion)",
        "payer_name": "The Health Plan",
        "coverage_position": "covered with criteria",
        "coverage_policy": "THP Pancreatic Islet Cell Transplantation",
        "lines": islet_lines(),
        "diagnoses": islet_diagnoses(),
        "criteria": islet_criteria(),
        "findings": FINDINGS_FOR_STATUS[status],
        "justification": JUSTIFICATION,
        "status": status,
        "reference_version": REFERENCE_VERSION,
        "icd10cm_release": "FY2026",
        "digest": case_digest(case, REFERENCE_VERSION),
    }
    values.update(changes)
    return Worksheet.model_validate(values)


def many_lines(count: int) -> tuple[Line, ...]:
    return tuple(
        Line(number=n, code=f"{76000 + n}", modifiers=("59",) if n % 3 == 0 else (),
             units=1 + n % 4, diagnosis_pointers=(1,), descriptor=f"{GUIDANCE_DESCRIPTOR} {n}",
             origin="entered", path=(PathStep(kind="entered", text=f"Extra line {n}"),))
        for n in range(1, count + 1)
    )


def two_page_worksheet() -> Worksheet:
    """A short ready worksheet that fills two pages (the benchmark's subject)."""
    return islet_worksheet("ready", criteria=islet_criteria()[:2], findings=(PRIOR_AUTH,),
                           justification=JUSTIFICATION[:1],
                           case=islet_case(notes="Authorization 55120 on file."))

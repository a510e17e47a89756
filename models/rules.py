"""The catalogue of rules: stable ids, default severity, title, explanation, citation.

The code holds the *kinds* of rules; the reference data holds their instances
(which codes are included in which, which criteria a payer has, ...). A rule's
severity here is its usual one: data rows can set a finding's severity (a
reference row flagged `verify` gives a warning, never a hard error on its own).
"""

from __future__ import annotations

from dataclasses import dataclass

from models.worksheet import Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    explanation: str
    citation: str
    fix: str
    step: str


_RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------------ errors
    Rule(
        "missing-input",
        "error",
        "Required information is missing",
        "The payer, date of service, claim type, setting, at least one diagnosis and every "
        "required answer of the procedure family must be given before the claim lines can be "
        "trusted.",
        "Project rule: the derivation needs these facts (DESIGN.md)",
        "Fill in the missing field.",
        "case",
    ),
    Rule(
        "invalid-input",
        "error",
        "The case names something the reference does not know",
        "The procedure family or payer id is not in the reference database.",
        "Reference tables families and payers",
        "Choose a family and payer from the list.",
        "case",
    ),
    Rule(
        "invalid-answer",
        "error",
        "An answer is not one the question accepts",
        "Choice questions take one of their listed choices, yes/no questions take true or false, "
        "number questions take a whole number.",
        "Reference table questions",
        "Correct the answer.",
        "questions",
    ),
    Rule(
        "unknown-code",
        "error",
        "Code malformed or not in the loaded code set",
        "The code is not a well-formed CPT or HCPCS code, or a loaded code set (a site's "
        "licensed CPT file, an official HCPCS file) says it does not exist on the date of "
        "service. A well-formed code merely outside this program's families is "
        "code-outside-scope (a warning).",
        "Reference table codes",
        "Check the code in the current CPT/HCPCS book; remove or correct it.",
        "lines",
    ),
    Rule(
        "code-not-effective",
        "error",
        "Code not effective on the date of service",
        "The date of service is before the code's effective date or after its end date.",
        "CPT/HCPCS effective dates (reference table codes)",
        "Use the code in effect on the date of service.",
        "lines",
    ),
    Rule(
        "payer-code-set",
        "error",
        "Wrong code set for the payer",
        "Medicare reports the islet transplant with G0341-G0343; commercial payers with the CPT "
        "Category III codes 0584T-0586T. BlueCHiP for Medicare: T codes are invalid, use the G "
        "codes.",
        "WIMIB (CMS CR text); Noridian MM3385; BCBS-RI islet policy update",
        "Use the code of the payer's code set.",
        "lines",
    ),
    Rule(
        "payer-code-not-accepted",
        "error",
        "Code not accepted by the payer",
        "HCPCS S codes (e.g. S2102) are not payable by Medicare; some commercial plans use them.",
        "HCPCS Level II S codes; insuranceclaimdenialappeal.com (S2102)",
        "Remove the code or use the payer's accepted code.",
        "lines",
    ),
    Rule(
        "approach-mismatch",
        "error",
        "Code contradicts the approach",
        "The islet transplant codes differ by approach (percutaneous, laparoscopic, open); a code "
        "entered for another approach than the one answered is wrong.",
        "0584T-0586T descriptors (FS-2026); G0341-G0343 descriptors (WIMIB)",
        "Correct the approach answer or remove the code.",
        "questions",
    ),
    Rule(
        "donor-mismatch",
        "error",
        "Code contradicts the donor type",
        "48160 includes an autologous islet transplant with pancreatectomy; S2102 describes "
        "allogeneic islet tissue.",
        "48160 descriptor (NLM-PDF); S2102 (HCPCS)",
        "Correct the donor answer or remove the code.",
        "questions",
    ),
    Rule(
        "included-service",
        "error",
        "Service included in another line",
        "The code is part of another code on the claim (its descriptor includes it, or it is a "
        "'separate procedure' done as part of a larger one) and is not reported separately. "
        "Where the pair may be bypassed, only a truly distinct service with 59 or XE/XS/XP/XU "
        "qualifies. No NCCI file is loaded: these pairs are this program's own list.",
        "Code descriptors (0584T-0586T, G0341-G0343, 48160); CPT separate-procedure rule",
        "Remove the included code, or document a distinct service and add 59/X{EPSU}.",
        "lines",
    ),
    Rule(
        "ncci-ptp",
        "error",
        "NCCI procedure-to-procedure edit",
        "Two codes on the claim form a CMS NCCI PTP edit in effect on the date of service "
        "(column 1 is paid, column 2 is denied). Modifier indicator 0: no modifier bypasses it. "
        "Indicator 1: an NCCI-associated modifier on the column-2 line may bypass it when "
        "clinically justified, and the record must support it. Indicator 9: the edit does not "
        "apply. The practitioner set applies to professional claims, the hospital outpatient "
        "set to institutional outpatient claims.",
        "CMS Medicare NCCI PTP edits (practitioner ccipra…, hospital outpatient ccioph…), "
        "quarterly files as loaded; NCCI Policy Manual ch. I (modifiers and modifier indicators)",
        "Remove the column-2 code, or when the services were truly separate add the "
        "NCCI-associated modifier that describes why to the column-2 line and document it.",
        "lines",
    ),
    Rule(
        "ncci-mue",
        "error",
        "Units above the NCCI medically unlikely edit",
        "The units exceed the CMS MUE for the code in the table in force on the date of "
        "service. MUE adjudication indicator 1 is a claim-line edit (units above it on one line "
        "are denied; truly separate services go on separate lines with an anatomic modifier or "
        "76, 77, 59 or XE/XS/XP/XU); 2 is an absolute per-day policy limit; 3 is a per-day "
        "clinical limit that may be appealed with documentation.",
        "CMS Medicare NCCI MUE tables (practitioner, outpatient hospital), quarterly files as "
        "loaded",
        "Correct the units, or split truly separate services over lines (MAI 1) with the "
        "modifier that explains them.",
        "lines",
    ),
    Rule(
        "hcpcs-coverage",
        "warning",
        "HCPCS coverage code: not payable by Medicare",
        "The loaded CMS HCPCS file gives the code a Medicare coverage code of I (not payable by "
        "Medicare), M (non-covered by Medicare) or S (non-covered by Medicare statute).",
        "CMS alpha-numeric HCPCS file (COV field), as loaded",
        "Use the code Medicare pays for the service, or obtain the liability notice the payer "
        "requires.",
        "lines",
    ),
    Rule(
        "age-restricted-code",
        "error",
        "Code does not fit the patient's age",
        "Some codes are limited by age: 36440 push transfusion is for age 2 or younger; 36420 "
        "venous cutdown under 1 year; 36425 age 1 or over.",
        "codingahead.com 36420/36425; CPT study guide (36440)",
        "Use the code for the patient's age (venous cutdown in an adult is 36425).",
        "lines",
    ),
    Rule(
        "unknown-modifier",
        "error",
        "Modifier unknown or not in effect",
        "The modifier is not in the reference, or not in effect on the date of service (QA, QR "
        "and QV were discontinued 12/31/2007 and replaced by Q0/Q1).",
        "CPT Appendix A; HCPCS modifiers; CR 5805",
        "Correct or remove the modifier.",
        "modifiers",
    ),
    Rule(
        "modifier-not-for-line",
        "error",
        "Modifier cannot go on this line",
        "Anesthesia-only modifiers (QK, QX, QY, QZ, AA, AD, QS, G8, G9) go on anesthesia lines; "
        "QW on lab lines; JW/JZ on drug lines (not on C9399); LT/RT/50 only where the code "
        "describes one side.",
        "CMS 100-04 ch.12; Novitas QW; Noridian JW/JZ; code descriptors",
        "Remove the modifier from this line.",
        "modifiers",
    ),
    Rule(
        "modifier-claim-type",
        "error",
        "Modifier not valid on this claim type",
        "73 and 74 are facility modifiers (institutional claims); 53 is physician-only.",
        "Novitas/Noridian 73 and 74; hiacode.com 53/73/74",
        "Use 53 on the professional claim, 73/74 on the facility claim.",
        "modifiers",
    ),
    Rule(
        "modifier-setting",
        "error",
        "Modifier not valid in this setting",
        "73 and 74 apply to hospital outpatient and ASC procedures only.",
        "Noridian 73/74; hiacode.com",
        "Remove the modifier or correct the setting.",
        "modifiers",
    ),
    Rule(
        "modifier-conflict",
        "error",
        "Modifiers that cannot go together",
        "Two modifiers on one line contradict each other (e.g. 52+53, 73+74, 22+52, Q0+Q1, "
        "GA+GZ, GA+KX, JW+JZ, two assistant-at-surgery modifiers).",
        "Reference table modifier_conflicts (each row cites its source)",
        "Keep the modifier that describes what happened.",
        "modifiers",
    ),
    Rule(
        "dx-invalid",
        "error",
        "Diagnosis code not valid",
        "The code is not in the ICD-10-CM release of the reference, or not valid on the date of "
        "service.",
        "ICD-10-CM tabular list (simple-icd-10-cm)",
        "Correct the code.",
        "diagnoses",
    ),
    Rule(
        "dx-not-billable",
        "error",
        "Diagnosis code is not billable",
        "Categories and subcategories that have more specific codes beneath them cannot be "
        "reported (e.g. L98.4, M79.64, M79.65).",
        "ICD-10-CM Official Guidelines I.B.2 (level of detail)",
        "Use the most specific (leaf) code.",
        "diagnoses",
    ),
    Rule(
        "excluded-service",
        "error",
        "Excluded service",
        "Bioartificial pancreas devices, ex-situ machine perfusion and islet xenotransplantation "
        "are excluded or investigational, and no islet transplant code describes them.",
        "THP medical policy exclusions; Cigna 0107",
        "Do not bill the service with the islet codes.",
        "questions",
    ),
    Rule(
        "trial-required",
        "error",
        "Clinical trial required",
        "Medicare covers allogeneic islet transplantation only in an NIH-sponsored clinical "
        "trial (NCD 260.3.1); outside a trial it is non-covered. A trial claim needs the NCT "
        "number.",
        "NCD 260.3.1; Noridian MM3385",
        "Enter the study's NCT number, or treat the service as non-covered (ABN, GA/GZ).",
        "trial",
    ),
    Rule(
        "trial-nct-format",
        "error",
        "NCT number malformed",
        "The ClinicalTrials.gov number on a claim is 8 digits (an 'NCT' prefix is accepted here "
        "and dropped on the claim).",
        "CR 8401; resdac.org clinical trial number",
        "Enter NCT followed by 8 digits.",
        "trial",
    ),
    Rule(
        "trial-modifier",
        "error",
        "Clinical-trial modifier missing",
        "Every line of a Medicare clinical-trial claim carries Q0 (investigational service) or "
        "Q1 (routine service).",
        "CR 5805; Noridian Q0/Q1",
        "Add Q0 or Q1 to the line.",
        "modifiers",
    ),
    Rule(
        "dx-laterality",
        "warning",
        "A diagnosis names a side the procedure does not match",
        "A diagnosis of one hand on a procedure of both hands (or of the other hand) is "
        "questioned: the documentation must support each side treated. Which codes name a "
        "side is reference data (dx_laterality).",
        "ICD-10-CM tabular list (codes by side); 0490T descriptor: one or both hands",
        "Answer which hands were treated and code each side that was treated.",
        "diagnoses",
    ),
    Rule(
        "trial-dx",
        "error",
        "Z00.6 missing on a trial claim",
        "A clinical-trial claim reports Z00.6 as a secondary diagnosis.",
        "uclahealth.org compliance FAQ; a2zmedicalbillingservices.com Q0 guide",
        "Add Z00.6 after the condition treated.",
        "diagnoses",
    ),
    Rule(
        "taxonomy-invalid",
        "error",
        "Provider taxonomy code invalid",
        "A taxonomy code is ten characters ending in X. A well-formed code missing from the "
        "shipped NUCC list (about 2020) is reported as a warning: the list may be older than the "
        "code.",
        "NUCC Health Care Provider Taxonomy (shipped list)",
        "Use the rendering provider's NUCC taxonomy code.",
        "case",
    ),
    Rule(
        "code-setting",
        "error",
        "Code does not fit the setting or claim type",
        "Some codes belong to one setting: C9399 is a hospital outpatient/ASC code; 0584T and "
        "0586T are excluded from ASC payment (Addendum EE).",
        "IOM 100-04 ch.17 §90.2-90.3; CMS ASC addenda",
        "Check the setting or the code.",
        "case",
    ),
    Rule(
        "claim-setting",
        "error",
        "Claim type does not fit the setting",
        "Office services are billed on a professional claim; institutional claims come from "
        "facilities.",
        "IOM 100-04 ch.25 and ch.26",
        "Correct the claim type or setting.",
        "case",
    ),
    Rule(
        "pos-setting",
        "error",
        "Place of service does not fit the setting",
        "On the professional form (CMS-1500 item 24B / 837P) the place of service says where the "
        "service happened and decides the facility or non-facility rate: inpatient 21, hospital "
        "outpatient 22 (19 off campus), ambulatory surgical center 24, office 11. A POS that "
        "contradicts the setting pays at the wrong rate and is denied on review. The "
        "institutional form has no POS: it uses the type of bill.",
        "CMS place-of-service code set (CR 9231); IOM 100-04 ch.12 §20.4.2 (FACTS-CLAIMS §1)",
        "Correct the place of service or the setting; leave it out to derive it from the setting.",
        "case",
    ),
    Rule(
        "tob-setting",
        "error",
        "Type of bill does not fit the setting",
        "On the institutional form (UB-04 FL4 / 837I) the type of bill names the facility and "
        "the kind of care: hospital inpatient 011x, hospital outpatient 013x (a critical access "
        "hospital's outpatient 085x), ambulatory surgery center 083x. A type of bill that "
        "contradicts the setting is returned. The professional form has no type of bill.",
        "NUBC UB-04 FL4 type of bill (First Coast bill-type tool); Noridian JE CAH billing guide "
        "(FACTS-CLAIMS §2.1, §2.2)",
        "Correct the type of bill or the setting; leave it out to derive it from the setting.",
        "case",
    ),
    Rule(
        "claim-form",
        "error",
        "Claim form does not fit who bills",
        "Practitioners bill on the professional form; hospitals bill their facility services on "
        "the institutional form (UB-04 / 837I). A Medicare ambulatory surgical center bills its "
        "facility fee on the professional form with POS 24, never on the UB-04 (commercial payers "
        "may take an ASC's UB-04, type of bill 083x).",
        "IOM 100-04 ch.14 (ASC claims on CMS-1500), ch.25 and ch.26 (FACTS-CLAIMS §2.3)",
        "Correct the claim type, the setting or who bills (billed_by).",
        "case",
    ),
    Rule(
        "revenue-code",
        "error",
        "Revenue code does not fit the line",
        "Every line of an institutional claim carries a revenue code (UB-04 FL42) of the kind of "
        "charge: operating room 036x for a procedure, 0636 for a drug that needs its HCPCS code "
        "and NDC, and so on. A revenue code of another kind (a drug under an operating-room code) "
        "is wrong; one this program does not list is a warning to verify.",
        "NUBC revenue codes (public revenue-code reference list; FACTS-CLAIMS §2.4-§2.6); "
        "reference table revenue_codes",
        "Use a revenue code of the line's kind, or leave it out to derive it.",
        "lines",
    ),
    Rule(
        "dx-limit",
        "error",
        "More diagnoses than the claim form holds",
        "The professional form holds 12 diagnoses (CMS-1500 item 21 A-L / 837P, at most 4 "
        "pointers per line); the 837I holds the principal diagnosis and 24 others (25; the paper "
        "UB-04 holds 18). Diagnoses beyond the form's limit are not sent.",
        "CMS-1500 item 21; 837P/837I HI segments; UB-04 FL67 (FACTS-CLAIMS §2.13)",
        "Keep the diagnoses that support the lines, within the form's limit.",
        "diagnoses",
    ),
    Rule(
        "ndc-format",
        "error",
        "NDC cannot be reported in the 11-digit form",
        "Claims carry the 11-digit NDC in the 5-4-2 form with qualifier N4: a 10-digit label NDC "
        "(4-4-2, 5-3-2 or 5-4-1) is padded with a leading zero in its short segment. Without the "
        "hyphens a 10-digit NDC cannot be padded (the short segment is unknown).",
        "X12 RFI #2151 (837P/837I loop 2410 LIN/CTP); NUCC CMS-1500 24A convention "
        "(FACTS-CLAIMS §3.1-§3.4)",
        "Enter the NDC as printed on the package, with its hyphens, or the 11-digit form.",
        "lines",
    ),
    Rule(
        "duplicate-line",
        "error",
        "Same code reported twice",
        "The same code with the same modifiers appears on two lines (often an entered line that "
        "repeats a derived one).",
        "Project rule",
        "Remove the duplicate or report units.",
        "lines",
    ),
    Rule(
        "addon-without-primary",
        "error",
        "Add-on code without its primary code",
        "An add-on code is reported only with the primary code it adds to (15772 with 15771, "
        "15774 with 15773).",
        "Reference table addon_parents (CPT add-on rules)",
        "Add the primary code or remove the add-on.",
        "lines",
    ),
    Rule(
        "drug-billed-by-facility",
        "error",
        "Drug line on a practitioner's facility claim",
        "A drug or biological line on a practitioner's claim for a service in a facility (POS "
        "19, 21, 22, 24: billed_by practitioner) is wrong: the facility supplied the product "
        "and bills it on its own claim (institutional, or a Medicare ASC's professional-form "
        "claim billed by the facility). J3590 belongs only on the claim of a professional who "
        "bought the product, in the office (POS 11).",
        "IOM 100-04 ch.17 (drugs incident to a physician's service are bought by the "
        "physician); FACTS §0 (Lantidra)",
        "Remove the drug line from the practitioner's claim; the facility bills it.",
        "lines",
    ),
    Rule(
        "payment-status",
        "error",
        "Payment status of the code does not allow this claim",
        "Each code has a payment status per fee schedule: the Medicare physician fee schedule "
        "status on practitioners' claims (48160 status N non-covered, anesthesia status J, S "
        "codes status I), the OPPS inpatient-only list on the hospital's outpatient claim only "
        "(never on the surgeon's claim), the ASC excluded list (Addendum EE) on the ASC's claim. "
        "For Medicare a non-payable status is an error unless the line is billed for a denial "
        "(GA/GZ: see liability-modifier); for other payers a warning to verify. A major "
        "operation without a non-facility value billed in the office is questioned. Rows "
        "resting on unconfirmed sources give warnings.",
        "Reference tables payment_status and payment_meanings (PPRRVU22; CMS ASC addenda; "
        "OPPS status indicators; FACTS-CLAIMS §4)",
        "Remove the line, bill it for a denial with GA or GZ, or correct the setting.",
        "lines",
    ),
    Rule(
        "global-package",
        "error",
        "Service inside the global surgical package",
        "On the surgeon's claim: an E/M on the day of or the day before a 090-day procedure "
        "without 57, on the day of a 000/010-day procedure without 25, or inside the "
        "post-operative period without 24; drug administration or anesthesia by the operating "
        "surgeon; a repeat or further procedure in the post-operative period without "
        "58/76/77/78/79. Global days per code are reference data (YYY: the contractor decides, "
        "a warning). An extra line's own date (`date_of_service`) places it before or after "
        "the operation; without it the line is on the case's date.",
        "Reference table fee_schedule (PPRRVU22 global days); CMS MLN Global Surgery booklet "
        "via NGS; FACTS-CLAIMS §5",
        "Add the modifier the record supports (57, 25, 24, 58, 76-79), or remove the line.",
        "lines",
    ),
    Rule(
        "anesthesia-claim",
        "error",
        "Anesthesia code on the wrong claim or incomplete",
        "Anesthesia codes (00100-01999) go on the anesthesia provider's claim only — a claim "
        "whose rendering taxonomy is anesthesiology, a CRNA or an anesthesiologist assistant "
        "(reference table provider_roles) and that carries an anesthesia code (an anesthesia "
        "taxonomy on a claim without one is questioned). There each line carries a pricing "
        "modifier first "
        "(AA, AD, QK, QX, QY, QZ) that is the rendering provider's own (anesthesiologist AA, "
        "AD, QK, QY; CRNA QX, QZ) and the time: minutes for Medicare (extra line `minutes`); "
        "other payers' time units are a verify warning. The surgeon's derived codes are not "
        "lines of that claim; the crosswalk to an anesthesia code is a verify hint. On the "
        "surgeon's or the facility's claim an anesthesia code is an error, and modifier 47 on "
        "the surgeon's code is flagged for Medicare (not paid separately).",
        "NGS anesthesia billing; Noridian JF modifier 47 and anesthesia pages; PPRRVU22 status "
        "J (FACTS-CLAIMS §6)",
        "Move the anesthesia code to the anesthesia provider's claim; add the pricing modifier "
        "first and the minutes.",
        "lines",
    ),
    # ---------------------------------------------------------------- warnings
    Rule(
        "liability-modifier",
        "warning",
        "Non-covered service billed for a denial",
        "A Medicare non-covered service (an allogeneic islet transplant outside an approved "
        "trial, a status-N code such as 48160) billed with GA (signed ABN on file: the "
        "beneficiary is liable) or GZ (no ABN: the provider is liable, denied automatically) is "
        "a claim for a denial, not an invalid claim. Medicare Advantage enrollees in a "
        "qualifying trial are different: the routine trial costs go to Original Medicare.",
        "Palmetto GBA ABN modifiers; Noridian JE-B; HCPCS GA/GZ/GY definitions; Noridian "
        "MM3385 (FACTS-CLAIMS §7)",
        "Keep the signed ABN (CMS-R-131) with the record; expect the denial.",
        "coverage",
    ),
    Rule(
        "policy-not-in-effect",
        "warning",
        "Payer policy not in effect on the date of service",
        "A payer policy governs dates of service on or after its effective date (THP's islet "
        "policy: 1/24/2026). Before it the policy and its criteria do not apply: verify "
        "coverage with the payer.",
        "Cigna and Anthem policy instructions (FACTS-CLAIMS §14.1); THP policy header",
        "Verify coverage with the payer for that date and record the answer.",
        "coverage",
    ),
    Rule(
        "code-outside-scope",
        "warning",
        "Code outside this program's procedure families",
        "A well-formed CPT or HCPCS code that the reference does not hold is not an error: it "
        "is not checked by this program's family rules; verify its validity and edits. Only "
        "when a loaded code set (a site's licensed CPT file, an official HCPCS file) says the "
        "code does not exist on the date of service is it unknown-code; a malformed code is "
        "always unknown-code.",
        "Reference tables codes and code_classes; loaded code sets",
        "Check the code in the current CPT/HCPCS book and its edits, then acknowledge.",
        "lines",
    ),
    Rule(
        "code-other-family",
        "warning",
        "Code of another procedure family",
        "A line carries a code of another of this program's procedure families (an islet "
        "transplant code on an adipose-cell claim, or the reverse): the worksheet checks the "
        "case's own family only, so that code's coverage, approach, payer code set and pair "
        "edits are not checked. It is usually the wrong family or a wrong code.",
        "Reference tables families and codes",
        "Remove the code, or code it on a worksheet of its own family.",
        "lines",
    ),
    Rule(
        "dx-not-supporting",
        "warning",
        "No diagnosis supports the procedure",
        "None of the diagnoses is in the groups that support medical necessity for this "
        "procedure family and donor type (e.g. E10.- for allogeneic islets, K86.0/K86.1 for "
        "autologous, M34.- for scleroderma of the hands).",
        "Reference table dx_groups",
        "Add the diagnosis that supports the procedure, first.",
        "diagnoses",
    ),
    Rule(
        "coverage-criterion",
        "warning",
        "Coverage criterion not met or not answered",
        "The payer covers the service only when each criterion of its policy holds; each unmet "
        "or unanswered criterion is listed.",
        "Reference table coverage_criteria (payer policies)",
        "Answer the question, document the criterion, or expect a denial.",
        "coverage",
    ),
    Rule(
        "investigational",
        "warning",
        "Payer considers the service investigational",
        "The payer's policy calls the service experimental, investigational or unproven.",
        "Reference table payer_policies",
        "Get prior authorization or a signed waiver; for Medicare an ABN with GA (or GZ without).",
        "coverage",
    ),
    Rule(
        "payer-policy-conflict",
        "warning",
        "The payer's policy contradicts itself",
        "THP's policy both covers allogeneic transplant with donislecel under criteria and calls "
        "it investigational in another section.",
        "THP medical policy, effective 1/24/2026",
        "Verify with the payer and record the answer.",
        "coverage",
    ),
    Rule(
        "prior-authorization",
        "warning",
        "Prior authorization",
        "The payer requires (or may require) prior authorization for this service.",
        "Reference table prior_auth",
        "Record the authorization number.",
        "coverage",
    ),
    Rule(
        "modifier-needs-documentation",
        "warning",
        "Modifier needs documentation",
        "22, 23, 25, 59, 62, 66, 80-82 and XE/XS/XP/XU are paid only when the record shows why.",
        "CPT Appendix A; NCCI policy manual (59/X{EPSU})",
        "Make sure the operative note supports the modifier.",
        "modifiers",
    ),
    Rule(
        "taxonomy-unexpected",
        "warning",
        "Provider taxonomy unexpected for the procedure",
        "The rendering provider's specialty is not one expected to perform this procedure.",
        "Reference table taxonomy_expected (CMS specialty crosswalk)",
        "Check the rendering provider.",
        "case",
    ),
    Rule(
        "verify-reference",
        "warning",
        "Decision rests on an unconfirmed reference row",
        "A code, date, edit or policy row used here is flagged 'verify' in the reference: no "
        "source reachable when it was written confirmed it.",
        "FACTS.md standing orders (UNCONFIRMED / inference rows)",
        "Verify with the payer or the current CPT/HCPCS book, then acknowledge with what you "
        "found.",
        "review",
    ),
    Rule(
        "known-confusion",
        "warning",
        "A code often confused with another",
        "Published coding summaries get some codes wrong (36440 is not a cutdown, 0350T is not "
        "adipose processing, M79.65 is the thigh, ...).",
        "FACTS.md §9 (errors in published summaries)",
        "Check the code against its descriptor.",
        "lines",
    ),
    Rule(
        "units-exceed",
        "warning",
        "Units above the usual maximum",
        "The units exceed this program's per-day maximum for the code (NCCI MUE files are not "
        "loaded).",
        "Reference table codes (max_units)",
        "Check the units.",
        "lines",
    ),
    Rule(
        "dx-excludes1",
        "warning",
        "Excludes1 diagnosis pair",
        "The tabular list says the two conditions are not coded together (Excludes1), unless "
        "they are unrelated.",
        "ICD-10-CM tabular list Excludes1 notes; Official Guidelines I.A.12.a",
        "Keep one code, or document that the conditions are unrelated.",
        "diagnoses",
    ),
    Rule(
        "modifier-order",
        "warning",
        "A payment modifier after an informational one",
        "Payers read the first modifier positions for pricing: modifiers that change the "
        "payment (22, 26, TC, 50, 51, 52, 53, 62, 66, 73, 74, 78, 80-82, AS) go before "
        "informational ones (59, XE/XS/XP/XU, RT/LT, F/T digits, Q0/Q1, GA/GZ, KX). Which "
        "modifiers price is reference data (modifiers.csv, column pricing).",
        "CMS-1500 / 837P modifier sequencing convention of Medicare contractors (not confirmed "
        "in this project's sources: verify)",
        "Put the payment modifier first.",
        "lines",
    ),
    Rule(
        "dx-combination",
        "warning",
        "Diagnosis combination to check",
        "A coding guideline discourages the combination, or asks for a companion code or an "
        "order (postpancreatectomy diabetes: E89.1, then E13.- and Z90.41-).",
        "Reference table dx_pairs; ICD-10-CM guideline I.C.4.a.6.b.i",
        "Check the guideline and remove the extra code.",
        "diagnoses",
    ),
    Rule(
        "product-label",
        "warning",
        "Outside the product label",
        "The use described is outside the donislecel (Lantidra) label.",
        "Lantidra label",
        "Document the reason; expect payer review.",
        "questions",
    ),
    Rule(
        "dx-duplicate",
        "warning",
        "Diagnosis listed twice",
        "A diagnosis is listed twice (more diagnoses than the claim form holds is dx-limit).",
        "CMS-1500 instructions (IOM 100-04 ch.26)",
        "Remove the repeated or extra codes.",
        "diagnoses",
    ),
    Rule(
        "ndc-missing",
        "warning",
        "NDC missing on a drug line",
        "A not-otherwise-classified drug or biological (J3590, C9399 ...) is priced from its NDC: "
        "the line needs the 11-digit NDC with qualifier N4, the quantity and the unit (UN, ML, "
        "GR, ME, F2) — 837P/837I loop 2410 (LIN, CTP), the shaded area of CMS-1500 item 24A, "
        "UB-04 FL43 — besides the drug name and dose in the claim note.",
        "X12 RFI #2151; NUCC 24A convention; Palmetto GBA unlisted drugs; IOM 100-04 ch.17 "
        "§90.2-90.3 (FACTS-CLAIMS §3)",
        "Enter the NDC, quantity and unit of the product (drug in the case, ndc on an extra line).",
        "lines",
    ),
    Rule(
        "modifier-required",
        "warning",
        "A modifier the payer requires is missing",
        "Some payers require a modifier on certain lines, e.g. Medicare JW or JZ on drugs from "
        "single-dose containers.",
        "Reference table required_modifiers",
        "Add the required modifier.",
        "modifiers",
    ),
    Rule(
        "acknowledgement-ignored",
        "warning",
        "Acknowledgement not applied",
        "An acknowledgement needs a non-empty reason, and errors cannot be acknowledged.",
        "Project rule (DESIGN.md)",
        "Give a reason, or fix the error.",
        "review",
    ),
    # -------------------------------------------------------------------- info
    Rule(
        "code-chosen",
        "info",
        "Why this code",
        "How the answers and payer led to the code.",
        "Reference table derivations",
        "",
        "lines",
    ),
    Rule(
        "derivation-note",
        "info",
        "Derivation note",
        "Something the derivation decided not to add, and why.",
        "Reference table derivations",
        "",
        "lines",
    ),
    Rule(
        "bundled-info",
        "info",
        "What the code includes",
        "Services included in a line's code: not reported separately.",
        "Reference table edits",
        "",
        "lines",
    ),
    Rule(
        "edit-bypassed",
        "info",
        "Pair edit bypassed with a modifier",
        "A distinct-service modifier bypasses a pair edit that allows it.",
        "Reference table edits",
        "",
        "lines",
    ),
    Rule(
        "ncci-not-loaded",
        "info",
        "No NCCI file loaded",
        "Pair edits are this program's own list, not the CMS NCCI PTP or MUE files.",
        "Project rule",
        "",
        "review",
    ),
    Rule(
        "trial-billing",
        "info",
        "Clinical-trial claim data",
        "Where the NCT number and trial indicators go on the claim.",
        "CR 8401; CR 5805",
        "",
        "trial",
    ),
    Rule(
        "documentation",
        "info",
        "Documentation note",
        "What the medical record should show for this claim, and how to code what has no code of its own.",
        "Reference table policy_findings",
        "",
        "review",
    ),
    Rule(
        "icd-release",
        "info",
        "ICD-10-CM release and date of service",
        "The reference holds one ICD-10-CM release; a date of service in another fiscal year may "
        "use codes added or deleted since.",
        "simple-icd-10-cm tabular list",
        "",
        "diagnoses",
    ),
    Rule(
        "answer-not-applicable",
        "info",
        "Answer not used",
        "An answer was given to a question that does not apply to this case; it is ignored.",
        "Reference table questions",
        "",
        "questions",
    ),
    Rule(
        "coverage-position",
        "info",
        "Payer coverage position",
        "The payer's policy for this procedure and donor type.",
        "Reference table payer_policies",
        "",
        "coverage",
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]

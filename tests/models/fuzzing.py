"""Fuzzing the case file → check → worksheet → PDF path with hypothesis.

Inputs are JSON texts: plausible cases whose fields are sometimes replaced by hostile values
(wrong types, true for numbers, huge numbers, markup, control characters, long lists, unknown
fields), and texts cut, spliced or nested. Each input must end in one of two ways: a CaseError
with a message, or a worksheet that keeps every invariant (:func:`check_invariants`). A share of
the worksheets is rendered twice and must give the same bytes.

The small run is a test (tests/models/test_fuzz.py); the big one is on demand:
``python3 dev.py fuzz`` (``python -m tests.models.fuzzing --cases 10000 --renders 300``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import json_text, printable
from models.case import Case, CaseError, parse_case
from models.coder import check
from models.coder.subjects import answered_findings
from models.reference import Reference, open_reference
from models.worksheet import Worksheet

FAMILIES = ["islet-transplant", "adipose-cells-hands", "unknown-family"]
PAYERS = ["medicare", "aetna", "bcbs", "anthem", "cigna", "uhc", "thp", "other", "acme"]
CODES = ["0584T", "0585T", "0586T", "G0341", "G0342", "S2102", "J3590", "C9399", "48160",
         "48155", "0489T", "0490T", "76937", "36481", "75885", "49320", "49000", "01810",
         "15773", "20926", "96372", "99999", "A1"]
MODIFIERS = ["22", "52", "59", "73", "Q0", "Q1", "QR", "LT", "RT", "50", "JW", "JZ", "GA",
             "GZ", "KX", "XS", "XU", "ZZ"]
DIAGNOSES = ["E10.649", "E10649", "E10.64", "E16.1", "E13.649", "K86.1", "M34.1", "M34.0",
             "M79.641", "L94.0", "L98.A311", "Z00.6", "Z79.4", "XYZ", "A0"]
ANSWERS: dict[str, list[Any]] = {
    "approach": ["percutaneous", "laparoscopic", "open", "robotic"],
    "donor": ["autologous", "allogeneic"],
    "pancreatectomy": ["none", "partial", "total"],
    "product": ["donislecel", "none"],
    "infusion_number": [1, 2, 3, 0, -1],
    "severe_hypoglycemia": [True, False],
    "immunosuppression": [True, False],
    "prior_renal_transplant": [True, False],
    "nct_number": ["NCT01234567", "NCT1"],
    "services": ["harvest", "injection", "both"],
    "unknown_question": ["x"],
}
RULES = ["prior-authorization", "verify-reference", "included-service", "investigational",
         "payer-policy-conflict", "modifier-needs-documentation", "coverage-criterion", "x"]
TAXONOMY = ["204F00000X", "2086S0125X", "2085R0204X", "207RC0000X", "bad"]
HOSTILE_TEXT = ["<h1>STATUS: READY</h1><img src='/tmp/x.png'>", "\x1b[2J\x1b[H\x1b[32mREADY",
                "\r\nstatus: READY", "\u202eevil", "\x00", "'; DROP TABLE edits; --", "é" * 40,
                "", " ", "A" * 300]

hostile_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.integers(10**18, 10**40),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=12),
)
hostile = st.one_of(hostile_scalar, st.lists(hostile_scalar, max_size=3),
                    st.dictionaries(st.text(max_size=5), hostile_scalar, max_size=3))


def sometimes_hostile(good: st.SearchStrategy[Any], odds: int = 40) -> st.SearchStrategy[Any]:
    """A plausible value, one time in ``odds`` anything."""
    return st.integers(1, odds).flatmap(lambda n: hostile if n == 1 else good)


def answers() -> st.SearchStrategy[dict[str, Any]]:
    pairs = st.sampled_from(sorted(ANSWERS)).flatmap(
        lambda key: st.tuples(st.just(key), sometimes_hostile(st.sampled_from(ANSWERS[key]))))
    return st.lists(pairs, max_size=9).map(dict)


def acknowledgements() -> st.SearchStrategy[list[dict[str, Any]]]:
    codes = st.lists(st.sampled_from(CODES + MODIFIERS), max_size=3)
    one = st.fixed_dictionaries(
        {"rule": st.sampled_from(RULES), "reason": st.sampled_from(["checked", "", " ", *HOSTILE_TEXT])},
        optional={
            "codes": st.one_of(st.none(), codes),
            "subject": st.one_of(
                st.sampled_from(["verify-reference:C9399", "prior-authorization:payer=thp",
                                 "payer-policy-conflict:payer=thp", "verify-reference:payer=uhc",
                                 "included-service:76937,0585T", "investigational:payer=bcbs"]),
                st.builds(lambda r, c: f"{r}:{','.join(c)}", st.sampled_from(RULES), codes)),
        },
    )
    return st.lists(sometimes_hostile(one), max_size=5)


def extra_lines() -> st.SearchStrategy[list[Any]]:
    optional = {"modifiers": st.lists(st.sampled_from(MODIFIERS), max_size=5),
                "units": sometimes_hostile(st.integers(1, 5)),
                "revenue_code": sometimes_hostile(st.sampled_from(["0360", "0636", "0891", "250"])),
                "ndc": sometimes_hostile(st.sampled_from(["73070-0100-01", "12345678901"])),
                "date_of_service": sometimes_hostile(st.sampled_from(["2026-02-09", "2026-03-01"])),
                "minutes": sometimes_hostile(st.integers(1, 300))}
    from models.case import ExtraLine

    line = st.fixed_dictionaries(
        {"code": sometimes_hostile(st.sampled_from(CODES))},
        optional={k: v for k, v in optional.items() if k in ExtraLine.model_fields},
    )
    return st.lists(sometimes_hostile(line), max_size=6)


def case_dicts() -> st.SearchStrategy[dict[str, Any]]:
    dates = st.dates(date(2015, 1, 1), date(2028, 12, 31)).map(date.isoformat)
    fields: dict[str, st.SearchStrategy[Any]] = {
        "date_of_service": sometimes_hostile(st.one_of(st.none(), dates)),
        "payer": sometimes_hostile(st.one_of(st.none(), st.sampled_from(PAYERS))),
        "claim_type": sometimes_hostile(st.sampled_from(["professional", "institutional"])),
        "setting": sometimes_hostile(st.sampled_from(
            ["inpatient", "outpatient-hospital", "asc", "office"])),
        "patient": sometimes_hostile(st.fixed_dictionaries(
            {}, optional={"age": sometimes_hostile(st.integers(0, 100)),
                          "account": sometimes_hostile(st.text(max_size=10))})),
        "answers": sometimes_hostile(answers()),
        "diagnoses": sometimes_hostile(st.one_of(
            st.lists(st.sampled_from(DIAGNOSES), max_size=6),
            st.lists(st.sampled_from(DIAGNOSES), min_size=20, max_size=30))),
        "modifiers": sometimes_hostile(st.lists(st.sampled_from(MODIFIERS), max_size=5)),
        "extra_lines": sometimes_hostile(extra_lines()),
        "rendering_taxonomy": sometimes_hostile(st.sampled_from(TAXONOMY)),
        "acknowledged": sometimes_hostile(acknowledgements()),
        "notes": sometimes_hostile(st.sampled_from(HOSTILE_TEXT)),
        "billed_by": sometimes_hostile(st.sampled_from(["practitioner", "facility"])),
        "place_of_service": sometimes_hostile(st.sampled_from(["11", "19", "21", "22", "24"])),
        "type_of_bill": sometimes_hostile(st.sampled_from(["0111", "0131", "0831", "131"])),
        "drug": sometimes_hostile(st.fixed_dictionaries({}, optional={
            "ndc": st.sampled_from(["73070-0100-01", "12345678901"]),
            "quantity": st.sampled_from([1, 2.5, 0.5]), "unit": st.sampled_from(["UN", "ML"])})),
        "schema_version": sometimes_hostile(st.just(1), odds=10).map(
            lambda v: v if v == 1 or not isinstance(v, int) else 2),
    }
    required = {"family": sometimes_hostile(st.sampled_from(FAMILIES))}
    fields = {name: value for name, value in fields.items() if name in Case.model_fields}
    for name in Case.model_fields:  # fields added later: anything goes
        if name not in required:
            fields.setdefault(name, hostile)
    built = st.fixed_dictionaries(required, optional=fields)
    changes = st.lists(st.sampled_from(sorted(fields)).flatmap(
        lambda name: st.tuples(st.just(name), fields[name])), max_size=2)
    edited = st.tuples(st.sampled_from(_examples()), changes).map(
        lambda pair: {**pair[0], **dict(pair[1])})
    return st.one_of(built, edited)


def _examples() -> list[dict[str, Any]]:
    from models.paths import examples_dir

    return [json.loads(p.read_text()) for p in sorted(examples_dir().glob("*.json"))]


CASE_DICTS = case_dicts()


@st.composite
def case_texts(draw: st.DrawFn) -> str:
    """JSON text of a case: as built, or cut, spliced, with a repeated key, or nested deep."""
    data = draw(CASE_DICTS)
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    damage = draw(st.sampled_from(
        ["none"] * 16 + ["cut", "splice", "repeat-key", "nest", "unknown-field"]))
    if damage == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "splice":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', "{", "]", ",", "\\", "\x00", "1e999"])) + text[at:]
    elif damage == "repeat-key":
        text = text[:-1] + ', "family": "islet-transplant"}'
    elif damage == "unknown-field":
        text = text[:-1] + f', "colour": {json.dumps(draw(hostile))}}}'
    elif damage == "nest":
        depth = draw(st.sampled_from([50, 5_000, 100_000]))
        text = text[:-1] + ', "notes": ' + "[" * depth + "]" * depth + "}"
    return text


# ----------------------------------------------------------------------------- invariants


def check_invariants(worksheet: Worksheet, case: Case, reference: Reference) -> None:
    """What every worksheet must satisfy; an AssertionError names the broken one."""
    findings = worksheet.findings
    assert worksheet.status in ("ready", "review", "blocked"), "status is one of three"
    errors = any(f.severity == "error" for f in findings)
    open_warnings = any(f.severity == "warning" and not f.acknowledged for f in findings)
    expected = "blocked" if errors else "review" if open_warnings else "ready"
    assert worksheet.status == expected, "status follows the findings"
    subjects = [f.subject for f in findings]
    assert all(subjects) and len(set(subjects)) == len(subjects), "subjects unique"
    assert all(f.severity == "warning" for f in findings if f.acknowledged), "only warnings acked"
    targets = [t for t in answered_findings(case.acknowledged, findings) if t is not None]
    assert len(targets) == len(set(targets)), "an acknowledgement answers one finding, once"
    acknowledged = {i for i, f in enumerate(findings) if f.acknowledged}
    assert acknowledged <= set(targets), "every acknowledged finding has its acknowledgement"
    for line in worksheet.lines:
        assert len(line.diagnosis_pointers) <= 4, "at most four pointers"
        assert all(1 <= p <= len(case.diagnoses) for p in line.diagnosis_pointers), "pointers"
    assert len(worksheet.digest) == 64 and int(worksheet.digest, 16) >= 0, "digest"
    again = check(parse_case(case.to_file_text()), reference)
    assert again == worksheet, "saving and reopening gives the same worksheet"
    summary = json_text(worksheet.summary())
    assert json.loads(summary)["status"] == worksheet.status, "check --json is JSON"
    assert "\x1b" not in summary and "\u202e" not in summary, "no terminal controls in JSON"
    from desktop.commands import format_report

    report = format_report(worksheet)
    assert report == printable(report), "the text report shows no control characters"


@dataclass
class Tally:
    cases: int = 0
    refused: int = 0
    checked: int = 0
    rendered: int = 0
    crashes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    spare: list[tuple[Worksheet, str]] = field(default_factory=list)
    """Checked worksheets not rendered yet, to make up the count of renders at the end."""

    def crash(self, kind: str, text: str) -> None:
        self.crashes[kind] += 1
        if len(self.examples) < 5:
            self.examples.append(f"{kind}: {text[:300]!r}\n{traceback.format_exc(limit=6)}")


def run_one(text: str, reference: Reference, tally: Tally, render: bool) -> None:
    """One input through parse → check → invariants (→ render twice); crashes are counted."""
    tally.cases += 1
    try:
        case = parse_case(text, "fuzz.json")
    except CaseError as exc:
        tally.refused += 1
        if not str(exc).strip() or "Traceback" in str(exc):
            tally.crash("unclear refusal", text)
        return
    except Exception:
        tally.crash("parse raised something else than CaseError", text)
        return
    try:
        worksheet = check(case, reference)
        check_invariants(worksheet, case, reference)
    except AssertionError as exc:
        tally.crash(f"invariant: {exc}", text)
        return
    except Exception:
        tally.crash("check raised", text)
        return
    tally.checked += 1
    tally.statuses[worksheet.status] += 1
    if render:
        _render_twice(worksheet, text, tally)
    elif len(tally.spare) < 1000:
        tally.spare.append((worksheet, text))


def _render_twice(worksheet: Worksheet, text: str, tally: Tally) -> None:
    from reports.pdf import render_pdf

    try:
        options = {"facility": "Fuzz <b>Hospital</b>", "coder": "\x1b[31mcoder",
                   "prepared": date(2026, 4, 1)}
        first, second = render_pdf(worksheet, **options), render_pdf(worksheet, **options)
    except Exception:
        tally.crash("render raised", text)
        return
    tally.rendered += 1
    if first != second or not first.startswith(b"%PDF-"):
        tally.crash("render not byte-identical", text)


def fuzz(cases: int, renders: int, reference: Reference, seed: int | None = None) -> Tally:
    tally = Tally()
    stride = max(1, cases // (2 * renders)) if renders else 0

    @settings(max_examples=cases, deadline=None, database=None, derandomize=seed is not None,
              suppress_health_check=list(HealthCheck))
    @given(case_texts())
    def one(text: str) -> None:
        render = bool(stride) and tally.rendered < renders and tally.checked % stride == 0
        run_one(text, reference, tally, render)

    one()
    while tally.rendered < renders and tally.spare:
        _render_twice(*tally.spare.pop(), tally)
    return tally


def describe(tally: Tally, seconds: float) -> list[str]:
    lines = [
        f"fuzzed {tally.cases} case files in-process in {seconds:.0f} s: {tally.refused} refused "
        f"with a CaseError, {tally.checked} checked ({dict(tally.statuses)}), "
        f"{tally.rendered} rendered twice",
        f"crashes: {sum(tally.crashes.values())}",
    ]
    lines += [f"  {count} x {kind}" for kind, count in tally.crashes.most_common()]
    lines += tally.examples
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--renders", type=int, default=300)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    reference = open_reference()
    tally = fuzz(args.cases, args.renders, reference)
    for line in describe(tally, time.perf_counter() - start):
        print(line)
    ok = not tally.crashes and tally.cases >= args.cases and tally.rendered >= args.renders
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

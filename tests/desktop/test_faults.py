"""Fault injection: each failure of the hardening issue (#10), reproduced as a test.

Test names start with the item they cover (item02_…, item03_…); items 1, 5 and 7 (the reference's
content digest, named references, licensed CPT as a build input) are tested with the reference.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main as worksheet_main
from models.case import Case, parse_case
from models.coder import check
from models.reference import Reference
from tests.desktop.actions import click, settle
from tests.desktop.conftest import EXAMPLES

AETNA = json.loads((EXAMPLES / "islet-aetna-donislecel-precert.json").read_text())


def case_with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data.update(changes)
    return data


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = worksheet_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------- 2. acknowledgement subjects


def mixed_rule_case(reference: Reference) -> tuple[Case, str]:
    """A case whose rule R has two code-specific warnings and one about the payer."""
    case = parse_case(json.dumps(case_with(AETNA, extra_lines=[{"code": "0490T"}])))
    warnings = [f for f in check(case, reference).findings if f.severity == "warning"]
    for rule in {f.rule for f in warnings}:
        coded = [f for f in warnings if f.rule == rule and f.codes]
        if len(coded) >= 2 and any(f.rule == rule and not f.codes for f in warnings):
            return case, rule
    raise AssertionError("no rule with code-specific and payer-level warnings on this case")


def test_item02_every_finding_has_a_unique_stable_subject(reference: Reference) -> None:
    case, _rule = mixed_rule_case(reference)
    findings = check(case, reference).findings
    subjects = [f.subject for f in findings]
    assert all(subjects) and len(set(subjects)) == len(subjects)
    assert subjects == [f.subject for f in check(case, reference).findings]
    twice = case.model_copy(update={"diagnoses": ["E10.649", "E10.649", "L94.0", "L94.0"]})
    repeated = [f.subject for f in check(twice, reference).findings]
    assert len(set(repeated)) == len(repeated)


def test_item02_subject_is_in_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check", "--json", str(EXAMPLES / "islet-uhc-verify.json"))
    findings = json.loads(out)["findings"]
    assert code == 1 and all(f["subject"].startswith(f["rule"] + ":") for f in findings)


def test_item02_acknowledgement_answers_exactly_one_finding(reference: Reference) -> None:
    case, rule = mixed_rule_case(reference)
    findings = check(case, reference).findings
    coded = [f for f in findings if f.rule == rule and f.codes]
    payer_level = next(f for f in findings if f.rule == rule and not f.codes)
    acks = [{"rule": rule, "subject": f.subject, "codes": list(f.codes), "reason": f"reason {i}"}
            for i, f in enumerate(coded)]
    acks.append({"rule": rule, "subject": payer_level.subject, "reason": "payer reason"})
    answered = check(case.model_copy(update={"acknowledged": [
        *case.acknowledged, *parse_case(json.dumps({"family": "x", "acknowledged": acks})).acknowledged
    ]}), reference)
    reasons = {f.subject: f.acknowledgement for f in answered.findings if f.rule == rule}
    assert reasons == {**{f.subject: f"reason {i}" for i, f in enumerate(coded)},
                       payer_level.subject: "payer reason"}


def test_item02_old_acknowledgement_without_codes_answers_only_a_finding_without_codes(
    reference: Reference,
) -> None:
    case, rule = mixed_rule_case(reference)
    old = parse_case(json.dumps(case_with(
        json.loads(case.model_dump_json()), acknowledged=[{"rule": rule, "reason": "old file"}]
    )))
    findings = [f for f in check(old, reference).findings if f.rule == rule]
    assert [f.acknowledged for f in findings] == [not f.codes for f in findings]


def test_item02_unmatched_acknowledgement_stays_visible(reference: Reference) -> None:
    case, rule = mixed_rule_case(reference)
    stale = case.model_copy(update={"acknowledged": parse_case(json.dumps({
        "family": "x", "acknowledged": [{"rule": rule, "subject": f"{rule}:99999", "reason": "r"}]
    })).acknowledged})
    ignored = [f for f in check(stale, reference).findings if f.rule == "acknowledgement-ignored"]
    assert ignored and f"{rule}:99999" in ignored[0].message
    assert not any(f.acknowledged for f in check(stale, reference).findings)


def test_item02_gui_reason_never_spreads_to_another_finding(
    qtbot: Any, window: Any, scripted: Any, reference: Reference, tmp_path: Path
) -> None:
    case, rule = mixed_rule_case(reference)
    path = tmp_path / "mixed.json"
    path.write_text(case.to_file_text())
    assert window.open_path(path)
    window.go_to("review")
    review = window.pages["review"]
    worksheet = settle(qtbot, window)
    targets = [f for f in worksheet.findings if f.rule == rule and f.codes][:2]
    targets.append(next(f for f in worksheet.findings if f.rule == rule and not f.codes))
    for number, finding in enumerate(targets):
        scripted.reason = f"reason {number}"
        assert review.select_finding(rule, subject=finding.subject)
        click(qtbot, review.acknowledge)
        settle(qtbot, window)
    shown = {f.subject: f.acknowledgement for f in window.worksheet.findings if f.rule == rule}
    assert [shown[f.subject] for f in targets] == ["reason 0", "reason 1", "reason 2"]
    stored = [(a.subject, a.reason) for a in window.doc.case.acknowledged if a.rule == rule]
    assert stored == [(f.subject, f"reason {n}") for n, f in enumerate(targets)]
    assert review.select_finding(rule, subject=targets[0].subject)
    click(qtbot, review.withdraw)
    after = {f.subject: f.acknowledged for f in settle(qtbot, window).findings if f.rule == rule}
    assert [after[f.subject] for f in targets] == [False, True, True]

"""Every rule is documented, and every rule id the data names exists."""

import subprocess
import sys

from models import refdata as rd
from models.rules import RULES


def test_every_rule_is_documented():
    for rule in RULES.values():
        assert rule.title and len(rule.explanation) > 30, rule.id
        assert rule.citation, rule.id
        assert rule.step in {
            "case",
            "questions",
            "diagnoses",
            "modifiers",
            "lines",
            "coverage",
            "trial",
            "review",
        }
        if rule.severity != "info":
            assert rule.fix, rule.id


def test_rule_ids_in_reference_data_exist(reference):
    named = {r.rule for r in reference.rows(rd.PolicyFindingRow)}
    named |= {r.rule for r in reference.rows(rd.CodeConditionRow)}
    named |= {r.rule for r in reference.rows(rd.CautionRow)}
    named |= {r.rule for r in reference.rows(rd.DxPairRow)}
    assert named <= set(RULES), named - set(RULES)


def test_rules_and_explain_commands_cover_every_rule():
    listed = subprocess.run(
        [sys.executable, "-m", "desktop", "rules"], capture_output=True, text=True, check=True
    )
    for rule_id in RULES:
        assert rule_id in listed.stdout
    explained = subprocess.run(
        [sys.executable, "-m", "desktop", "explain", "trial-nct-format"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "8 digits" in explained.stdout and "CR 8401" in explained.stdout
    unknown = subprocess.run(
        [sys.executable, "-m", "desktop", "explain", "no-such-rule"], capture_output=True, text=True
    )
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr

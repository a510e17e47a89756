"""The reference data indexed for the coder: rows grouped by family and payer,
conditions parsed once. Built once per open reference."""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, TypeVar

from models import refdata as rd
from models.conditions import Condition, parse
from models.reference import Reference, RowT

T = TypeVar("T")


@lru_cache(maxsize=4096)
def condition(text: str | None) -> Condition:
    return parse(text)


def pattern_matches(pattern: str, code: str) -> bool:
    """Diagnosis/code patterns: 'E10.-' any E10 code, 'E10.64-' any below E10.64, 'K86.1' exact."""
    if pattern.endswith("-"):
        stem = pattern[:-1].rstrip(".")
        return code == stem or code.startswith(stem)
    return code == pattern


def _in_scope(value: str, wanted: str) -> bool:
    return value in ("*", wanted)


@dataclass
class Knowledge:
    reference: Reference
    edits_by_pair: dict[tuple[str, str], rd.EditRow] = field(default_factory=dict)
    edits_by_column1: dict[str, list[rd.EditRow]] = field(default_factory=dict)
    conflicts: dict[frozenset[str], rd.ModifierConflictRow] = field(default_factory=dict)
    exclusions: dict[tuple[str, str], rd.ModifierExclusionRow] = field(default_factory=dict)
    code_conditions: dict[str, list[rd.CodeConditionRow]] = field(default_factory=dict)
    expected_taxonomy: dict[str, list[rd.TaxonomyExpectedRow]] = field(default_factory=dict)
    icd_blocks: list[tuple[str, str, str]] = field(default_factory=list)
    """Blocks of categories with Excludes1 notes, as (first category, last category, item)."""
    scoped_rows: dict[tuple[type, object], list[Any]] = field(default_factory=dict)
    """Memo of the rows in scope of a family or payer (see _scoped)."""
    code_classes: dict[str, rd.CodeClassRow | None] = field(default_factory=dict)
    """Memo of code → its class range (None: in no range)."""

    @classmethod
    def build(cls, reference: Reference) -> Knowledge:
        knowledge = cls(reference)
        by_column1: defaultdict[str, list[rd.EditRow]] = defaultdict(list)
        for edit in reference.rows(rd.EditRow):
            knowledge.edits_by_pair[(edit.column1, edit.column2)] = edit
            by_column1[edit.column1].append(edit)
        knowledge.edits_by_column1 = dict(by_column1)
        for conflict in reference.rows(rd.ModifierConflictRow):
            knowledge.conflicts[frozenset((conflict.modifier_a, conflict.modifier_b))] = conflict
        for excl in reference.rows(rd.ModifierExclusionRow):
            knowledge.exclusions[(excl.modifier, excl.code)] = excl
        by_code: defaultdict[str, list[rd.CodeConditionRow]] = defaultdict(list)
        for row in reference.rows(rd.CodeConditionRow):
            by_code[row.code].append(row)
        knowledge.code_conditions = dict(by_code)
        taxonomy: defaultdict[str, list[rd.TaxonomyExpectedRow]] = defaultdict(list)
        for expected in reference.rows(rd.TaxonomyExpectedRow):
            taxonomy[expected.family].append(expected)
        knowledge.expected_taxonomy = dict(taxonomy)
        for item in reference.icd_block_items():
            first, _, last = item.partition("-")
            knowledge.icd_blocks.append((first, last, item))
        for text in _all_condition_texts(reference):
            condition(text)
        return knowledge

    def icd_note_items(self, code: str) -> list[str]:
        """The tabular items whose notes apply to a code: its block(s), category, subcategories."""
        compact = code.replace(".", "")
        category = compact[:3]
        items = [item for first, last, item in self.icd_blocks if first <= category <= last]
        items.append(category)
        items += [f"{category}.{compact[3:n]}" for n in range(4, len(compact) + 1)]
        return items

    @cached_property
    def payment_status(self) -> dict[tuple[str, str], rd.PaymentStatusRow]:
        return {(r.code, r.schedule): r for r in self.reference.rows(rd.PaymentStatusRow)}

    @cached_property
    def payment_meanings(self) -> dict[tuple[str, str], rd.PaymentMeaningRow]:
        return {(r.schedule, r.status): r for r in self.reference.rows(rd.PaymentMeaningRow)}

    @cached_property
    def fee_schedule(self) -> dict[str, rd.FeeScheduleRow]:
        return {r.code: r for r in self.reference.rows(rd.FeeScheduleRow)}

    def code_class(self, code: str) -> rd.CodeClassRow | None:
        if code not in self.code_classes:
            rows = self.reference.rows(rd.CodeClassRow)
            self.code_classes[code] = next((r for r in rows if r.contains(code)), None)
        return self.code_classes[code]

    # -- rows in scope -------------------------------------------------------

    def derivations(self, family: str) -> list[rd.DerivationRow]:
        return self._scoped(rd.DerivationRow, family, lambda r: r.family == family)

    def auto_modifiers(self, family: str) -> list[rd.AutoModifierRow]:
        return self._scoped(rd.AutoModifierRow, family, lambda r: r.family == family)

    def policies(self, payer: str, family: str) -> list[rd.PayerPolicyRow]:
        return self._scoped(
            rd.PayerPolicyRow, (payer, family), lambda r: r.payer == payer and r.family == family
        )

    def prior_auth(self, payer: str, family: str) -> list[rd.PriorAuthRow]:
        return self._scoped(
            rd.PriorAuthRow, (payer, family), lambda r: r.payer == payer and r.family == family
        )

    def criteria(self, payer: str, family: str) -> list[rd.CriterionRow]:
        found = self._scoped(
            rd.CriterionRow, (payer, family), lambda r: r.payer == payer and r.family == family
        )
        return sorted(found, key=lambda r: r.order)

    def policy_findings(self, payer: str, family: str) -> list[rd.PolicyFindingRow]:
        return self._scoped(
            rd.PolicyFindingRow,
            (payer, family),
            lambda r: _in_scope(r.family, family) and _in_scope(r.payer, payer),
        )

    def dx_groups(self, family: str) -> list[rd.DxGroupRow]:
        return self._scoped(rd.DxGroupRow, family, lambda r: _in_scope(r.family, family))

    def cautions(self, kind: str, family: str) -> list[rd.CautionRow]:
        return self._scoped(
            rd.CautionRow, (kind, family), lambda r: r.kind == kind and _in_scope(r.family, family)
        )

    def _scoped(self, model: type[RowT], key: object, keep: Callable[[RowT], bool]) -> list[RowT]:
        """The rows of a table in scope of a family/payer, selected once per reference."""
        memo_key = (model, key)
        found = self.scoped_rows.get(memo_key)
        if found is None:
            found = [r for r in self.reference.rows(model) if keep(r)]
            self.scoped_rows[memo_key] = found
        return list(found)


def _all_condition_texts(reference: Reference) -> list[str | None]:
    texts: list[str | None] = []
    texts += [r.when for r in reference.rows(rd.QuestionRow)]
    texts += [r.when for r in reference.rows(rd.DerivationRow)]
    texts += [r.when for r in reference.rows(rd.PayerPolicyRow)]
    texts += [r.when for r in reference.rows(rd.CriterionRow)]
    texts += [r.test for r in reference.rows(rd.CriterionRow)]
    texts += [r.when for r in reference.rows(rd.PolicyFindingRow)]
    texts += [r.requires for r in reference.rows(rd.CodeConditionRow)]
    texts += [r.when for r in reference.rows(rd.DxGroupRow)]
    texts += [r.when for r in reference.rows(rd.CautionRow)]
    texts += [r.when for r in reference.rows(rd.PriorAuthRow)]
    texts += [r.when for r in reference.rows(rd.AutoModifierRow)]
    texts += [r.when for r in reference.rows(rd.TaxonomyExpectedRow)]
    return texts


def per_reference(build: Callable[[Reference], T]) -> Callable[[Reference], T]:
    """``build`` made once per open reference (kept while the reference lives)."""
    made: weakref.WeakKeyDictionary[Reference, T] = weakref.WeakKeyDictionary()

    def of(reference: Reference) -> T:
        found = made.get(reference)
        if found is None:
            found = made[reference] = build(reference)
        return found

    return of


knowledge_of = per_reference(Knowledge.build)
"""The Knowledge of an open reference, built on first use."""

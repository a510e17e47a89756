"""The condition language of the reference data.

Reference rows say *when* they apply with a short, reviewable expression::

    approach=percutaneous; code_set=cpt-cat3; pancreatectomy!=near-total|total
    age>=18
    dxgroup=t1d-hypoglycemia

Clauses are joined by ``;`` (all must hold). Operators: ``=`` and ``!=`` take
``|``-separated alternatives; ``>=``, ``<=``, ``>``, ``<`` compare numbers, or
ISO dates as text. A key missing from the context makes ``=`` and comparisons
*unknown* and ``!=`` true. Booleans are written ``true`` / ``false``. A context
value that is a set (e.g. the diagnosis groups matched) satisfies ``=`` when
any member is among the alternatives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

ContextValue = str | int | bool | frozenset[str] | None
Context = Mapping[str, ContextValue]

_CLAUSE = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(!=|>=|<=|=|>|<)\s*(.+?)\s*$")


class ConditionError(ValueError):
    """A condition in the reference data cannot be parsed."""


class Truth(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Clause:
    key: str
    op: str
    values: tuple[str, ...]
    lowered: frozenset[str] = field(init=False, repr=False, compare=False)
    """The alternatives in lower case, computed once: conditions are evaluated on every check."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "lowered", frozenset(v.lower() for v in self.values))

    def evaluate(self, context: Context) -> Truth:
        value = context.get(self.key)
        if value is None:
            return Truth.TRUE if self.op == "!=" else Truth.UNKNOWN
        if self.op in ("=", "!="):
            matched = _matches(value, self.values, self.lowered)
            return _truth(matched if self.op == "=" else not matched)
        return _truth(_compare(value, self.op, self.values[0]))

    def __str__(self) -> str:
        return f"{self.key}{self.op}{'|'.join(self.values)}"


@dataclass(frozen=True)
class Condition:
    clauses: tuple[Clause, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(clause.key for clause in self.clauses)

    def truth(self, context: Context) -> Truth:
        """All clauses: FALSE wins over UNKNOWN, UNKNOWN over TRUE."""
        unknown = False
        for clause in self.clauses:
            result = clause.evaluate(context)
            if result is Truth.FALSE:
                return Truth.FALSE
            unknown = unknown or result is Truth.UNKNOWN
        return Truth.UNKNOWN if unknown else Truth.TRUE

    def holds(self, context: Context) -> bool:
        return self.truth(context) is Truth.TRUE

    def __str__(self) -> str:
        return "; ".join(str(clause) for clause in self.clauses)


def parse(text: str | None) -> Condition:
    """Parse a condition; an empty text is the condition that always holds."""
    clauses: list[Clause] = []
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        match = _CLAUSE.match(part)
        if match is None:
            raise ConditionError(f"cannot read condition clause {part.strip()!r}")
        key, op, raw = match.groups()
        values = tuple(v.strip() for v in raw.split("|"))
        if any(not v for v in values):
            raise ConditionError(f"empty alternative in {part.strip()!r}")
        if op not in ("=", "!=") and len(values) != 1:
            raise ConditionError(f"{op} takes one value in {part.strip()!r}")
        clauses.append(Clause(key, op, values))
    return Condition(tuple(clauses))


def _truth(flag: bool) -> Truth:
    return Truth.TRUE if flag else Truth.FALSE


def _as_text(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _matches(value: ContextValue, alternatives: tuple[str, ...], lowered: frozenset[str]) -> bool:
    if isinstance(value, frozenset):
        return any(member in alternatives for member in value)
    assert value is not None
    return _as_text(value).lower() in lowered


def _compare(value: ContextValue, op: str, bound: str) -> bool:
    if isinstance(value, frozenset | bool) or value is None:
        return False
    if _is_int(str(value)) and _is_int(bound):
        return _ordered(int(value), op, int(bound))
    return _ordered(str(value), op, bound)


def _ordered(left: Any, op: str, right: Any) -> bool:
    if op == ">=":
        return bool(left >= right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left < right)


def _is_int(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+", text.strip()))

"""The GUI's only doors to the coder and the report, both imported on first use.

Nothing here decides anything about codes: it calls ``models.coder`` and
``reports.pdf`` and hands their results to the widgets.
"""

from __future__ import annotations

import importlib
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.case import Case
    from models.refdata import QuestionRow
    from models.reference import Reference
    from models.worksheet import Worksheet


class CoderUnavailable(RuntimeError):
    """The coder module cannot be imported (it is not installed or is broken)."""


def _module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise CoderUnavailable(f"{name} cannot be loaded: {exc}") from None


def check(case: Case, reference: Reference) -> Worksheet:
    worksheet: Worksheet = _module("models.coder").check(case, reference)
    return worksheet


def applicable_questions(case: Case, reference: Reference) -> list[QuestionRow]:
    """The family's questions that apply to this case, in order (the coder decides)."""
    coder = _module("models.coder")
    try:
        found: list[QuestionRow] = coder.applicable_questions(case, reference)
    except AttributeError:
        raise CoderUnavailable("models.coder has no applicable_questions()") from None
    return found


def render_pdf(worksheet: Worksheet, *, facility: str, coder: str, prepared: date) -> bytes:
    """The worksheet PDF; reportlab loads here, on first use."""
    data: bytes = _module("reports.pdf").render_pdf(
        worksheet, facility=facility, coder=coder, prepared=prepared
    )
    return data

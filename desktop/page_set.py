"""The step pages, each built the first time it is needed.

Start-up builds only the page the coder sees first; the others are built on
first use (opening the step, or asking ``pages[step]``) or, once the window
is ready, one per idle moment. Iterating the set gives the pages built so
far: those are the only ones that show the case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.pages.base import StepPage


def page_type(step: str) -> type[StepPage]:
    """One page class; importing only its module (the case page must not pull in the rest)."""
    import importlib

    module = importlib.import_module(f"desktop.pages.{MODULES[step]}")
    found: type[StepPage] = getattr(module, CLASSES[step])
    return found


MODULES = {"case": "case_page", "questions": "questions_page", "diagnoses": "diagnoses_page",
           "modifiers": "modifiers_page", "lines": "lines_page", "coverage": "coverage_page",
           "trial": "trial_page", "review": "review_page"}
CLASSES = {"case": "CasePage", "questions": "QuestionsPage", "diagnoses": "DiagnosesPage",
           "modifiers": "ModifiersPage", "lines": "LinesPage", "coverage": "CoveragePage",
           "trial": "TrialPage", "review": "ReviewPage"}


class PageSet:
    """``pages[step]`` builds the page if needed; iteration yields the built ones."""

    def __init__(self, steps: tuple[str, ...], build: Callable[[str], StepPage]) -> None:
        self._steps = steps
        self._build = build
        self._built: dict[str, StepPage] = {}
        self._building: set[str] = set()

    def __getitem__(self, step: str) -> StepPage:
        page = self._built.get(step)
        if page is None:
            if step not in self._steps:
                raise KeyError(step)
            if step in self._building:
                raise RuntimeError(f"the {step} page was asked for while it was being built")
            self._building.add(step)
            try:
                page = self._built[step] = self._build(step)
            finally:
                self._building.discard(step)
        return page

    def get(self, step: str) -> StepPage | None:
        return self[step] if step in self._steps else None

    def built(self, step: str) -> StepPage | None:
        return self._built.get(step)

    def values(self) -> list[StepPage]:
        return list(self._built.values())

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._built))

    def __len__(self) -> int:
        return len(self._built)

    def __bool__(self) -> bool:
        return True

    def missing(self) -> list[str]:
        return [s for s in self._steps if s not in self._built]

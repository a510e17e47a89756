"""The case library in the application: opening worksheets, the store, the worklist.

window.py stays a shell: it calls into here for what concerns stored cases.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.case import Case


def load_case_or_worksheet(path: Path) -> tuple[Case, Path | None]:
    """A case file, or the case a worksheet PDF carries (then there is no case file yet)."""
    from models.case import load_case
    from reports.attachment import is_pdf, load_worksheet_case

    if is_pdf(path):
        case, _printed = load_worksheet_case(path)
        return case, None
    return load_case(path), path

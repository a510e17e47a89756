"""The worksheet PDF: `render_pdf` returns the bytes, `write_pdf` saves them atomically.

reportlab is imported on first use (inside `render_pdf`), so importing this module
costs the application nothing at start-up.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from models.atomic import atomic_write_bytes
from models.worksheet import Worksheet


def render_pdf(worksheet: Worksheet, *, facility: str = "", coder: str = "",
               prepared: datetime.date | None = None) -> bytes:
    """The worksheet as a US Letter PDF; same worksheet and options give the same bytes.

    `prepared` is the date printed as "Date prepared" (callers pass today's date);
    None leaves the field blank for a hand-written date.
    """
    from reports.document import build_pdf
    from reports.sections import Options

    return build_pdf(worksheet, Options(facility=facility, coder=coder, prepared=prepared))


def write_pdf(path: Path, worksheet: Worksheet, *, facility: str = "", coder: str = "",
              prepared: datetime.date | None = None) -> None:
    """Render and write atomically: on failure (models.atomic.OutputError) nothing changes."""
    data = render_pdf(worksheet, facility=facility, coder=coder, prepared=prepared)
    atomic_write_bytes(Path(path), data)

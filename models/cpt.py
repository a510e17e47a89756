"""A site's licensed CPT descriptors: the ``cpt`` kind of reference addition."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from models.additions import Addition, register_applier
from models.reference import read_licensed_descriptors, set_licensed_descriptors

KIND = "cpt"


@register_applier(KIND)
def apply_licensed_cpt(conn: sqlite3.Connection, path: Path, addition: Addition) -> None:
    set_licensed_descriptors(conn, read_licensed_descriptors(path))


def load_licensed_cpt(named: Path | None, source: Path) -> tuple[Path, int]:
    """Check the file, add it (replacing an earlier one) and rebuild the reference in use;
    returns that reference's path and the number of descriptors read. Raises SourceDataError
    for a malformed file, ReferenceUnavailable or AdditionsError when nothing could be written."""
    from models.lifecycle import install_addition

    descriptors = read_licensed_descriptors(source)
    path = install_addition(named, KIND, source, rows=len(descriptors))
    return path, len(descriptors)

"""Official code files a site loads: HCPCS, ICD-10-CM, NCCI PTP and MUE, NUCC (licensed CPT
descriptors: :mod:`models.cpt`). One module per kind; each parses its file streaming with line numbers, validates every
row and writes the rows into a reference database being built (never the one in use).

Each module has ``describe(path, effective, edit_set) -> FileInfo`` (a full validating pass)
and ``apply(connection, path, info, sha256, name)`` (writes the rows; a bad row raises
:class:`OfficialFileError` and the half-built database is discarded by the caller).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Protocol

from models.official import hcpcs, icd10cm, ncci_mue, ncci_ptp, nucc
from models.official.common import KINDS, FileInfo, OfficialFileError, sha256_of

__all__ = ["KINDS", "LOADERS", "FileInfo", "Loader", "OfficialFileError", "sha256_of"]


class Loader(Protocol):
    KIND: str

    def describe(self, path: Path, effective: date | None, edit_set: str | None) -> FileInfo: ...

    def apply(
        self, conn: sqlite3.Connection, path: Path, info: FileInfo, sha256: str, name: str
    ) -> None: ...


LOADERS: dict[str, Loader] = {
    module.KIND: module for module in (hcpcs, icd10cm, ncci_ptp, ncci_mue, nucc)
}

"""Validate official files, and build a reference with them (tests and benchmarks build one
directly; the program goes through :mod:`models.official.load` and the lifecycle)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from models.official import LOADERS
from models.official.common import FileInfo, OfficialFileError, sha256_of


@dataclass(frozen=True)
class Loaded:
    """One official file, parsed and validated."""

    path: Path
    info: FileInfo
    sha256: str

    @classmethod
    def read(
        cls, kind: str, path: Path, effective: date | None = None, edit_set: str | None = None
    ) -> Loaded:
        """Parse and validate the whole file (nothing is written)."""
        if not path.is_file():
            raise OfficialFileError(path, None, "no such file")
        info = LOADERS[kind].describe(path, effective, edit_set)
        return cls(path, info, sha256_of(path))


def apply_all(conn: sqlite3.Connection, files: Sequence[Loaded]) -> None:
    for loaded in files:
        LOADERS[loaded.info.kind].apply(
            conn, loaded.path, loaded.info, loaded.sha256, loaded.path.name
        )


def build_with(base: Path, out: Path, files: Sequence[Loaded]) -> Path:
    """`base` + the files' rows → `out`, atomically; on any error `out` is unchanged."""
    from models.reference import derive

    return derive(out, base, lambda conn: apply_all(conn, files), {})

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
        cls,
        kind: str,
        path: Path,
        effective: date | None = None,
        edit_set: str | None = None,
        *,
        quick: bool = False,
    ) -> Loaded:
        """Parse and validate the whole file (nothing is written). ``quick``: a kind whose
        files are millions of rows only counts them; the build checks each row."""
        if not path.is_file():
            raise OfficialFileError(path, None, "no such file")
        if _starts_with(path, b"PK\x03\x04"):
            raise OfficialFileError(
                path,
                None,
                "a zip archive (or an XLSX workbook): unzip it and load the text "
                "or CSV file(s) CMS puts inside",
            )
        module = LOADERS[kind]
        describe = (
            getattr(module, "describe_quickly", module.describe) if quick else module.describe
        )
        return cls(path, describe(path, effective, edit_set), sha256_of(path))


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(magic)) == magic
    except OSError as exc:
        raise OfficialFileError(path, None, f"cannot read the file ({exc.strerror})") from None


def apply_all(conn: sqlite3.Connection, files: Sequence[Loaded]) -> None:
    for loaded in files:
        LOADERS[loaded.info.kind].apply(
            conn, loaded.path, loaded.info, loaded.sha256, loaded.path.name
        )


def build_with(base: Path, out: Path, files: Sequence[Loaded]) -> Path:
    """`base` + the files' rows → `out`, atomically; on any error `out` is unchanged."""
    from models.reference import derive

    return derive(out, base, lambda conn: apply_all(conn, files), {})

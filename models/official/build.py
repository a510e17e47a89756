"""Build a reference with official files: a copy of a base reference plus each file's rows,
written to a temporary file beside the target and renamed into place only when complete."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from models.official import LOADERS
from models.official.common import FileInfo, OfficialFileError, sha256_of


@dataclass(frozen=True)
class Loaded:
    """One official file as the reference build takes it."""

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
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".building", dir=out.parent)
    os.close(fd)
    temp = Path(name)
    try:
        shutil.copyfile(base, temp)
        conn = sqlite3.connect(temp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            apply_all(conn, files)
            conn.commit()
        finally:
            conn.close()
        os.replace(temp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return out

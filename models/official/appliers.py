"""Registers each official-file kind with the reference lifecycle (:mod:`models.additions`):
how an addition's stored file writes its rows into a reference being built."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from models.additions import Addition, Applier, register_applier
from models.official import LOADERS
from models.official.common import FileInfo


def release_of(addition: Addition) -> str:
    """The release an addition records; NCCI PTP parts carry their part after it
    ('2026Q4 f1') so that parts of one quarter do not replace each other."""
    return addition.release.split(" ")[0] if addition.kind == "ncci-ptp" else addition.release


def info_of(addition: Addition) -> FileInfo:
    return FileInfo(
        addition.kind,
        release_of(addition),
        addition.effective,
        addition.set or None,
        addition.rows,
    )


def _applier(kind: str) -> Applier:
    def apply(conn: sqlite3.Connection, path: Path, addition: Addition) -> None:
        name = addition.original_name or addition.file
        LOADERS[kind].apply(conn, path, info_of(addition), addition.sha256, name)

    return apply


for _kind in LOADERS:
    register_applier(_kind)(_applier(_kind))

"""Files a site adds to the reference (licensed CPT, NCCI PTP/MUE, HCPCS, ICD-10-CM, NUCC).

The contract every loader follows:

- An addition is a copy of the loaded file in an *additions folder* plus one entry of its
  manifest (``manifest.json``): kind, file name, sha256, release label, effective date, set
  (e.g. the NCCI practitioner or hospital edits) and row count.
- The folder is ``<user data dir>/additions/`` for the default reference and
  ``<reference>.additions/`` beside a reference named with ``--reference`` or
  ``WORKSHEET_REFERENCE`` (see :func:`additions_dir`).
- Each kind registers in :data:`APPLIERS` how it writes its rows into a reference database
  being built (an open, writable ``sqlite3.Connection``); a module that registers appliers is
  listed in :data:`APPLIER_MODULES` so a build can import it.
- :mod:`models.lifecycle` builds the reference in use from the shipped one plus every addition
  (to a temporary file, renamed into place only when complete): ``install_addition`` stores a
  file, records it and rebuilds; nothing else writes the folder.

Adding the same kind, set and release again replaces the earlier file.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from models.paths import MANIFEST_NAME
from models.paths import additions_dir as additions_dir  # kept here for its callers

FOLDER_MODE = 0o700
FILE_MODE = 0o600


class AdditionsError(Exception):
    """The additions folder or its manifest cannot be used; the message names the file."""


class Addition(BaseModel):
    """One loaded file, as the manifest records it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    file: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    release: str = ""
    effective: date | None = None
    set: str = ""
    rows: int = Field(default=0, ge=0)
    original_name: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """Additions with the same key replace each other."""
        return (self.kind, self.set, self.release)

    @property
    def label(self) -> str:
        parts = [self.kind, self.set, self.release]
        return " ".join(p for p in parts if p)


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    manifest_version: int = 1
    additions: tuple[Addition, ...] = ()

    def digest(self) -> str:
        """Changes whenever an addition is added, replaced or removed."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    def of_kind(self, kind: str) -> list[Addition]:
        return [a for a in self.additions if a.kind == kind]

    def with_addition(self, addition: Addition) -> Manifest:
        kept = tuple(a for a in self.additions if a.key != addition.key)
        return Manifest(additions=(*kept, addition))

    def without_kind(self, kind: str) -> Manifest:
        return Manifest(additions=tuple(a for a in self.additions if a.kind != kind))


Applier = Callable[[sqlite3.Connection, Path, Addition], None]
APPLIERS: dict[str, Applier] = {}
# Modules that register appliers when imported (one line per loader module).
APPLIER_MODULES: list[str] = ["models.cpt", "models.official.appliers"]


def register_applier(kind: str) -> Callable[[Applier], Applier]:
    def register(applier: Applier) -> Applier:
        APPLIERS[kind] = applier
        return applier

    return register


def load_appliers() -> None:
    for module in APPLIER_MODULES:
        importlib.import_module(module)


def read_manifest(folder: Path) -> Manifest:
    """The folder's manifest; an empty one when there is none yet."""
    path = folder / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Manifest()
    except OSError as exc:
        raise AdditionsError(f"cannot read {path} ({exc.strerror})") from None
    try:
        return Manifest.model_validate_json(text)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise AdditionsError(
            f"{path} is damaged ({where}: {problem['msg']}); load the files again"
        ) from None


def write_manifest(folder: Path, manifest: Manifest) -> None:
    text = json.dumps(manifest.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
    _write_atomically(folder / MANIFEST_NAME, lambda handle: handle.write(text.encode()))


def store_file(
    folder: Path,
    kind: str,
    source: Path,
    *,
    release: str = "",
    effective: date | None = None,
    set: str = "",
    rows: int = 0,
) -> Addition:
    """Copy ``source`` into the folder (atomically) and return its manifest entry; the
    manifest itself is written by :func:`record`."""
    try:
        digest = _sha256_of(source)
    except OSError as exc:
        raise AdditionsError(f"cannot read {source} ({exc.strerror})") from None
    name = f"{kind}-{digest[:16]}{''.join(source.suffixes[-1:]).lower()}"
    target = folder / name
    if not target.is_file():
        with source.open("rb") as original:
            _write_atomically(target, lambda handle: shutil.copyfileobj(original, handle))
    return Addition(
        kind=kind,
        file=name,
        sha256=digest,
        release=release,
        effective=effective,
        set=set,
        rows=rows,
        original_name=source.name,
    )


def record(folder: Path, manifest: Manifest) -> None:
    """Write the manifest and delete files it no longer names."""
    write_manifest(folder, manifest)
    named = {a.file for a in manifest.additions} | {MANIFEST_NAME}
    for path in folder.iterdir():
        if path.is_file() and path.name not in named and not path.name.startswith("."):
            with contextlib.suppress(OSError):
                path.unlink()


def apply_all(conn: sqlite3.Connection, folder: Path, manifest: Manifest) -> None:
    """Write every addition's rows into the reference being built, in manifest order."""
    load_appliers()
    for addition in manifest.additions:
        applier = APPLIERS.get(addition.kind)
        if applier is None:
            raise AdditionsError(
                f"{folder / MANIFEST_NAME}: this version of the program cannot load "
                f"{addition.kind!r} files ({addition.original_name or addition.file})"
            )
        path = folder / addition.file
        try:
            actual = _sha256_of(path)
        except OSError as exc:
            raise AdditionsError(f"cannot read {path} ({exc.strerror}); load it again") from None
        if actual != addition.sha256:
            raise AdditionsError(f"{path} changed after it was loaded; load it again")
        applier(conn, path, addition)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_atomically(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    folder = path.parent
    try:
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise AdditionsError(f"cannot write {path} ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, FILE_MODE)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise AdditionsError(f"cannot write {path} ({exc.strerror})") from None


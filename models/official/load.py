"""`worksheet reference load KIND FILE...` and `worksheet reference sources`: validate the
files, add them to the reference in use through the lifecycle (one atomic rebuild), and tell
what is loaded."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from models import additions as adds
from models.official.build import Loaded
from models.official.common import KINDS, OfficialFileError
from models.refdata import OfficialRelease
from models.reference import Reference


class LoadError(Exception):
    """A load that changed nothing: the message says why."""


@dataclass(frozen=True)
class LoadReport:
    reference: Path | None
    lines: tuple[str, ...]


def load(
    named: Path | None,
    kind: str,
    files: Sequence[Path],
    effective: date | None = None,
    edit_set: str | None = None,
) -> LoadReport:
    """Validate every file first (nothing is written when one is bad); files loaded before
    are a no-op that says so; the others go in with one rebuild of the reference in use."""
    if kind not in KINDS:
        raise LoadError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    if kind == "cpt":
        return _load_cpt(named, files)
    try:
        loaded = [Loaded.read(kind, path, effective, edit_set, quick=True) for path in files]
    except OfficialFileError as exc:
        raise LoadError(f"{exc} (nothing loaded)") from None
    known = _loaded_shas(named, kind)
    lines = [
        f"{item.path}: already loaded as {item.info.label} (no change)"
        for item in loaded
        if item.sha256 in known
    ]
    new = _distinct([item for item in loaded if item.sha256 not in known])
    if not new:
        return LoadReport(None, tuple(lines))
    path = _install(named, new)
    lines += [f"{item.path}: loaded {item.info.label}, {item.info.rows} rows" for item in new]
    return LoadReport(path, tuple(lines))


def _distinct(items: list[Loaded]) -> list[Loaded]:
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.sha256 not in seen:
            seen.add(item.sha256)
            kept.append(item)
    return kept


def _loaded_shas(named: Path | None, kind: str) -> set[str]:
    try:
        manifest = adds.read_manifest(adds.additions_dir(named))
    except adds.AdditionsError as exc:
        raise LoadError(str(exc)) from None
    return {a.sha256 for a in manifest.of_kind(kind)}


def _install(named: Path | None, items: list[Loaded]) -> Path:
    from models.lifecycle import Install, install_additions
    from models.reference import ReferenceUnavailable

    plan = [
        Install(
            item.info.kind,
            item.path,
            release=_manifest_release(item),
            effective=item.info.effective_from,
            set=item.info.edit_set or "",
            rows=item.info.rows,
        )
        for item in items
    ]
    try:
        return install_additions(named, plan)
    except OfficialFileError as exc:
        where = _original(exc.path, items)
        where += f":{exc.line}" if exc.line else ""
        raise LoadError(
            f"{where}: {exc.problem} (nothing loaded; the reference in use is unchanged)"
        ) from None
    except (ReferenceUnavailable, adds.AdditionsError) as exc:
        raise LoadError(f"{exc} (nothing loaded)") from None


def _original(stored: Path, items: list[Loaded]) -> str:
    """The file the user named, for an error the build found in its stored copy."""
    for item in items:
        if stored.name.startswith(f"{item.info.kind}-{item.sha256[:16]}"):
            return str(item.path)
    return str(stored)


def _manifest_release(item: Loaded) -> str:
    """NCCI PTP files come in parts: each part its own addition ('2026Q4 f1')."""
    if item.info.kind != "ncci-ptp":
        return item.info.release
    part = re.search(r"-(f\d+)", item.path.name.lower())
    return f"{item.info.release} {part.group(1) if part else item.sha256[:8]}"


def _load_cpt(named: Path | None, files: Sequence[Path]) -> LoadReport:
    from models.cpt import load_licensed_cpt
    from models.reference import ReferenceUnavailable, SourceDataError

    if len(files) != 1:
        raise LoadError("load cpt takes one file (CSV code,descriptor)")
    try:
        path, count = load_licensed_cpt(named, files[0])
    except (ReferenceUnavailable, SourceDataError, adds.AdditionsError) as exc:
        raise LoadError(str(exc)) from None
    return LoadReport(path, (f"loaded {count} licensed CPT descriptors into {path}",))


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    kind: str
    file: str
    release: str
    edit_set: str | None
    effective_from: date | None
    effective_to: date | None
    rows: int
    sha256: str
    status: str

    @property
    def window(self) -> str:
        start = f"from {self.effective_from}" if self.effective_from else "always"
        end = f" to {self.effective_to}" if self.effective_to else " until replaced"
        return start + end

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "file": self.file,
            "release": self.release,
            "set": self.edit_set,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "rows": self.rows,
            "sha256": self.sha256,
            "status": self.status,
        }


def sources(reference: Reference) -> list[Source]:
    """Each loaded official file with the window its release governs: from its effective
    date until the day before the next release of the same kind and set."""
    found = list(reference.official_releases)
    return [
        Source(
            kind=r.kind,
            file=r.file,
            release=r.release,
            edit_set=r.edit_set,
            effective_from=r.effective_from,
            effective_to=_window_end(r, found),
            rows=r.rows,
            sha256=r.sha256,
            status=r.status,
        )
        for r in found
    ]


def _window_end(release: OfficialRelease, every: list[OfficialRelease]) -> date | None:
    if release.effective_from is None:
        return None
    later = sorted(
        r.effective_from
        for r in every
        if r.kind == release.kind
        and r.edit_set == release.edit_set
        and r.status == "in use"
        and r.effective_from is not None
        and r.effective_from > release.effective_from
    )
    return later[0] - timedelta(days=1) if later else None

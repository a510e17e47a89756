"""Which reference database is in use, and when it is built.

- A reference *named* with ``--reference`` or ``WORKSHEET_REFERENCE`` is used as it is: it is
  never rebuilt implicitly (an archived or a site's reference keeps its data); only
  ``worksheet --reference PATH reference build`` (or loading a file into it) rebuilds it, from
  the shipped reference plus its own additions folder. A missing one is built (that destroys
  nothing).
- The *shipped* reference is built from the program's sources: prebuilt and read-only in an
  install, rebuilt when stale in a developer checkout.
- With additions loaded (:mod:`models.additions`), the default reference is
  ``<user data dir>/reference.sqlite``: the shipped reference plus every addition, rebuilt when
  the manifest or the shipped reference changes.
- Every reference carries a digest of its tables; it is verified the first time a file is
  opened (remembered per file identity in the user's cache folder, so start-up stays light).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from models.paths import (
    additions_dir,
    default_manifest_path,
    is_source_checkout,
    licensed_cpt_path,
    named_reference_path,
    shipped_reference_path,
    user_cache_dir,
    user_reference_path,
)
from models.reference import (
    Reference,
    ReferenceUnavailable,
    SourceDataError,
    build,
    derive,
    is_stale,
)

if TYPE_CHECKING:
    from models import additions as adds

VERIFIED_NAME = "verified-references.json"
VERIFIED_KEPT = 32


def open_current(path: Path | None = None, *, build_if_needed: bool = True) -> Reference:
    """The reference in use, verified: the named one, else the default one."""
    named = path or named_reference_path()
    if named is not None:
        if build_if_needed and not named.exists():
            rebuild(named)
        return verified(Reference(named))
    return _open_default(build_if_needed)


def current_path(path: Path | None = None) -> Path:
    """The file :func:`open_current` opens (without building or opening anything)."""
    from models import additions as adds

    named = path or named_reference_path()
    if named is not None:
        return named
    with contextlib.suppress(adds.AdditionsError):
        if adds.read_manifest(additions_dir(None)).additions:
            return user_reference_path()
    return shipped_reference_path()


def _open_default(build_if_needed: bool) -> Reference:
    shipped = ensure_shipped(build_if_needed)
    if not default_manifest_path().exists() and not licensed_cpt_path().exists():
        return verified(Reference(shipped))  # no additions: models.additions stays unloaded
    folder = additions_dir(None)
    manifest = _manifest(folder)
    if build_if_needed:
        manifest = _migrate_legacy_cpt(folder, manifest)
    if not manifest.additions:
        return verified(Reference(shipped))
    target = user_reference_path()
    if build_if_needed and _needs_build(target, shipped, manifest):
        _build_with_additions(target, shipped, folder, manifest)
    return verified(Reference(target))


def ensure_shipped(build_if_needed: bool = True) -> Path:
    """The shipped reference; a developer checkout rebuilds it when missing or stale."""
    shipped = shipped_reference_path()
    if not is_source_checkout():
        if not shipped.is_file():
            raise ReferenceUnavailable(
                f"the program's reference database is missing from its install ({shipped}): "
                "reinstall the program"
            )
        return shipped
    if build_if_needed and (not shipped.exists() or is_stale(shipped)):
        try:
            build(shipped)
        except SourceDataError as exc:
            raise ReferenceUnavailable(f"cannot build the reference database: {exc}") from None
        _remember_built(shipped)
    return shipped


def rebuild(named: Path | None = None) -> Path:
    """Rebuild on request: a named reference from the shipped one plus its additions; the
    default one from the sources (in a checkout) and the user's additions."""
    if named is None and is_source_checkout():
        shipped = shipped_reference_path()
        try:
            build(shipped)
        except SourceDataError as exc:
            raise ReferenceUnavailable(f"cannot build the reference database: {exc}") from None
        _remember_built(shipped)
    shipped = ensure_shipped()
    folder = additions_dir(named)
    manifest = _manifest(folder)
    if named is None and not manifest.additions:
        return shipped
    target = named or user_reference_path()
    _build_with_additions(target, shipped, folder, manifest)
    return target


def install_addition(
    named: Path | None,
    kind: str,
    source: Path,
    *,
    release: str = "",
    effective: date | None = None,
    set: str = "",
    rows: int = 0,
) -> Path:
    """Store a loaded file as an addition of the named (or default) reference and rebuild that
    reference with it; the manifest is written only once the rebuilt reference is in place.
    Returns the reference's path. Loaders call this after validating the file."""
    item = Install(kind, source, release=release, effective=effective, set=set, rows=rows)
    return install_additions(named, [item])


@dataclass(frozen=True)
class Install:
    """A validated file to add, with what the manifest records of it."""

    kind: str
    source: Path
    release: str = ""
    effective: date | None = None
    set: str = ""
    rows: int = 0


def install_additions(named: Path | None, items: list[Install]) -> Path:
    """Several files added at once: one rebuild, and none of them recorded unless it
    succeeds."""
    from models import additions as adds

    folder = additions_dir(named)
    before = manifest = _manifest(folder)
    added: list[adds.Addition] = []
    for item in items:
        addition = adds.store_file(
            folder,
            item.kind,
            item.source,
            release=item.release,
            effective=item.effective,
            set=item.set,
            rows=item.rows,
        )
        added = [a for a in added if a.key != addition.key] + [addition]
        manifest = manifest.with_addition(addition)
    target = named or user_reference_path()
    shipped = ensure_shipped()
    replaces = {a.key for a in before.additions} & {a.key for a in added}
    if before.additions and not replaces and not _needs_build(target, shipped, before):
        # only new files: the reference in use plus them (each file is applied once)
        _build_with_additions(target, shipped, folder, manifest, base=target, only=added)
    else:
        _build_with_additions(target, shipped, folder, manifest)
    adds.record(folder, manifest)
    return target


def remove_additions(
    named: Path | None, kind: str, *, release: str | None = None, set: str | None = None
) -> Path:
    """Drop the additions of a kind (optionally one release or set) and rebuild the named (or
    default) reference without them. Returns the reference's path."""
    from models import additions as adds

    folder = additions_dir(named)
    manifest = _manifest(folder)
    kept = tuple(
        a
        for a in manifest.additions
        if not (
            a.kind == kind
            and (release is None or a.release == release)
            and (set is None or a.set == set)
        )
    )
    remaining = adds.Manifest(additions=kept)
    shipped = ensure_shipped()
    target = named or user_reference_path()
    if named is not None or remaining.additions:
        _build_with_additions(target, shipped, folder, remaining)
    adds.record(folder, remaining)
    return target if (named is not None or remaining.additions) else shipped


def loaded_additions(path: Path | None = None) -> list[adds.Addition]:
    """The additions of the named (or default) reference, for display."""
    from models import additions as adds

    named = path or named_reference_path()
    with contextlib.suppress(adds.AdditionsError):
        return list(adds.read_manifest(additions_dir(named)).additions)
    return []


# ------------------------------------------------------------------ building


def _manifest(folder: Path) -> adds.Manifest:
    from models import additions as adds

    try:
        return adds.read_manifest(folder)
    except adds.AdditionsError as exc:
        raise ReferenceUnavailable(str(exc)) from None


def _needs_build(target: Path, shipped: Path, manifest: adds.Manifest) -> bool:
    if not target.is_file():
        return True
    try:
        current, base = Reference(target), Reference(shipped)
    except ReferenceUnavailable:
        return True
    try:
        return (
            current.meta_value("base_digest") != base.meta.content_digest
            or current.meta_value("additions_digest") != manifest.digest()
        )
    finally:
        current.close()
        base.close()


def _build_with_additions(
    target: Path,
    shipped: Path,
    folder: Path,
    manifest: adds.Manifest,
    *,
    base: Path | None = None,
    only: list[adds.Addition] | None = None,
) -> None:
    """``target`` = ``base`` (the shipped reference) + the manifest's additions (or only the
    ``only`` ones, when ``base`` already holds the others), recorded as the whole manifest."""
    from models import additions as adds

    shipped_reference = Reference(shipped)
    base_digest = shipped_reference.meta.content_digest
    shipped_reference.close()
    applied = manifest if only is None else adds.Manifest(additions=tuple(only))
    loaded = [
        {
            "kind": a.kind,
            "set": a.set,
            "release": a.release,
            "effective": a.effective.isoformat() if a.effective else "",
            "rows": a.rows,
            "file": a.original_name,
        }
        for a in manifest.additions
    ]
    meta = {
        "base_digest": base_digest,
        "additions_digest": manifest.digest(),
        "additions": json.dumps(loaded, sort_keys=True),
    }
    private = target == user_reference_path()  # a site's (named) reference is shared
    try:
        if private:
            target.parent.mkdir(mode=adds.FOLDER_MODE, parents=True, exist_ok=True)
        derive(target, base or shipped, lambda conn: adds.apply_all(conn, folder, applied), meta)
        if private:
            target.chmod(adds.FILE_MODE)  # licensed descriptors stay with this user
    except (adds.AdditionsError, SourceDataError) as exc:
        raise ReferenceUnavailable(f"cannot build the reference database {target}: {exc}") from None
    except OSError as exc:
        raise ReferenceUnavailable(f"cannot write {target.parent} ({exc.strerror})") from None
    _remember_built(target)


def _migrate_legacy_cpt(folder: Path, manifest: adds.Manifest) -> adds.Manifest:
    """Earlier versions kept a licensed CPT file beside the user's data: it becomes an addition."""
    from models import additions as adds

    legacy = licensed_cpt_path()
    if not legacy.is_file() or manifest.of_kind("cpt"):
        return manifest
    from models.reference import read_licensed_descriptors

    try:
        rows = len(read_licensed_descriptors(legacy))
        addition = adds.store_file(folder, "cpt", legacy, rows=rows)
        manifest = manifest.with_addition(addition)
        adds.record(folder, manifest)
        legacy.unlink()
    except (SourceDataError, adds.AdditionsError, OSError) as exc:
        raise ReferenceUnavailable(
            f"cannot use the licensed CPT file {legacy}: {exc}. Load it again with "
            "`worksheet reference load-cpt FILE`"
        ) from None
    return manifest


# ------------------------------------------------------------------ verification


def verified(reference: Reference) -> Reference:
    """The reference, once its content digest matched (checked once per file identity)."""
    try:
        key, identity = _identity(reference)
    except OSError as exc:
        reference.close()
        raise ReferenceUnavailable(f"cannot read {reference.path} ({exc.strerror})") from None
    remembered = _read_verified()
    if remembered.get(key) == identity:
        return reference
    try:
        reference.verify_content()
    except ReferenceUnavailable:
        reference.close()
        raise
    _remember(remembered, key, identity)
    return reference


def _identity(reference: Reference) -> tuple[str, str]:
    stat = reference.path.stat()
    identity = (
        f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:"
        f"{reference.meta.content_digest}"
    )
    return str(reference.path.resolve()), identity


def _remember_built(path: Path) -> None:
    """A file this process has just built carries the digest it computed."""
    try:
        reference = Reference(path)
    except ReferenceUnavailable:
        return
    try:
        key, identity = _identity(reference)
    except OSError:
        return
    finally:
        reference.close()
    _remember(_read_verified(), key, identity)


def _read_verified() -> dict[str, str]:
    try:
        data = json.loads((user_cache_dir() / VERIFIED_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def _remember(remembered: dict[str, str], key: str, identity: str) -> None:
    """Best effort: a user without a writable cache folder verifies on every start."""
    remembered.pop(key, None)
    remembered[key] = identity
    kept = dict(list(remembered.items())[-VERIFIED_KEPT:])
    folder = user_cache_dir()
    text = json.dumps(kept, indent=1)
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = folder / f".{VERIFIED_NAME}.{os.getpid()}.part"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, folder / VERIFIED_NAME)

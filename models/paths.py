"""Where the program's files live. Environment variables override each place
(tests point them at temporary folders so they never touch the user's data)."""

from __future__ import annotations

import os
from pathlib import Path

import resources

APP_NAME = "cell-therapy-worksheet"
RESOURCES = Path(resources.__file__).resolve().parent


def reference_sources_dir() -> Path:
    return RESOURCES / "reference"


def examples_dir() -> Path:
    return RESOURCES / "examples"


def shipped_reference_path() -> Path:
    """The reference built from the program's own sources: prebuilt and read-only in an
    install, rebuilt when stale in a developer checkout."""
    return RESOURCES / "reference.sqlite"


def named_reference_path() -> Path | None:
    """A reference the user named with WORKSHEET_REFERENCE (the CLI's --reference wins)."""
    override = os.environ.get("WORKSHEET_REFERENCE")
    return Path(override) if override else None


def default_reference_path() -> Path:
    return named_reference_path() or shipped_reference_path()


def is_source_checkout() -> bool:
    """True in a developer checkout (editable install), False in an installed wheel or a
    bundle: only a checkout may rebuild the shipped reference."""
    return (RESOURCES.parent / "pyproject.toml").is_file()


def user_data_dir() -> Path:
    override = os.environ.get("WORKSHEET_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def user_cache_dir() -> Path:
    """Things the program can recompute (e.g. which reference files it has verified)."""
    override = os.environ.get("WORKSHEET_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def user_reference_path() -> Path:
    """The default reference with the user's additions applied (built only when there are some)."""
    return user_data_dir() / "reference.sqlite"


def licensed_cpt_path() -> Path:
    """Where versions before the additions folder kept a site's licensed CPT descriptor file
    (migrated into the additions on first use)."""
    return user_data_dir() / "licensed-cpt-descriptors.csv"


ADDITIONS_SUFFIX = ".additions"
MANIFEST_NAME = "manifest.json"


def additions_dir(named: Path | None) -> Path:
    """The additions folder of a named reference, or of the default one when ``named`` is None."""
    if named is None:
        return user_data_dir() / "additions"
    return named.with_name(named.name + ADDITIONS_SUFFIX)


def default_manifest_path() -> Path:
    """The manifest of the default reference's additions (absent until one is loaded)."""
    return additions_dir(None) / MANIFEST_NAME

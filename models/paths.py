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


def default_reference_path() -> Path:
    override = os.environ.get("WORKSHEET_REFERENCE")
    return Path(override) if override else RESOURCES / "reference.sqlite"


def user_data_dir() -> Path:
    override = os.environ.get("WORKSHEET_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def licensed_cpt_path() -> Path:
    """A site's licensed CPT descriptor file, loaded with `worksheet reference load-cpt`."""
    return user_data_dir() / "licensed-cpt-descriptors.csv"

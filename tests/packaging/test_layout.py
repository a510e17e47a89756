"""Quick guards for the wheel (the install test in dev.py builds and installs it)."""

from __future__ import annotations

import subprocess
import sys

from tests.packaging.installed import PACKAGES, ROOT


def test_every_folder_with_modules_is_a_package():
    """Package discovery finds folders with an __init__.py: one without would be left out."""
    for package in PACKAGES:
        for module in (ROOT / package).rglob("*.py"):
            if "__pycache__" in module.parts:
                continue
            assert (module.parent / "__init__.py").is_file(), module.parent


def test_version_is_printed():
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.startswith("worksheet 0.")

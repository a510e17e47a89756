"""Benchmark: the desktop bundle's size and start-up beside the development install's
(only when `python3 dev.py bundle` has built it: building takes minutes)."""

from __future__ import annotations

from tests.packaging.bundle import BUNDLE, figures


def run() -> list[str]:
    if not (BUNDLE / "worksheet-app").is_file():
        return ["== bundle: not built (python3 dev.py bundle builds it and prints these figures)"]
    return ["== bundle: one-folder PyInstaller application", *figures(BUNDLE)]

"""Benchmark: the wheel and the installed program (figures of the install test)."""

from __future__ import annotations

from tests.packaging.installed import install_and_exercise


def run() -> list[str]:
    return ["== install: wheel built, installed read-only, run as an unprivileged user",
            *install_and_exercise()]

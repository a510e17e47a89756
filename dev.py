#!/usr/bin/env python3
"""Set-up and task runner: `python3 dev.py run`, `python3 dev.py test` (also `bench`, `fuzz`).

Needs only Python 3.11 and pip (and apt, as root, for Qt's system libraries on a
bare Debian machine). Each task creates what it needs when missing — the
virtual environment, the editable install, the reference database — and is
quick when nothing changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
STAMP = VENV / ".installed-pyproject"

# Debian packages with the shared libraries Qt needs (offscreen for the tests, xcb for a real
# screen, QtPdf for the preview), from `ldd` on the PySide6 plugins and `dpkg -S`, plus a font.
QT_SYSTEM_PACKAGES = (
    "libegl1",
    "libgl1",
    "libopengl0",
    "libglib2.0-0",
    "libdbus-1-3",
    "libfontconfig1",
    "libfreetype6",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libx11-xcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libgssapi-krb5-2",
    "fonts-dejavu-core",
)
# The install test makes its virtual environment with Debian's own interpreter (one that an
# unprivileged user can run).
INSTALL_TEST_PACKAGES = ("python3", "python3-venv")
# The tests start a throwaway PostgreSQL server (the team's case store backend).
TEST_SYSTEM_PACKAGES = ("postgresql",)


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    completed = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def missing_system_packages(wanted: tuple[str, ...] = QT_SYSTEM_PACKAGES) -> list[str]:
    if shutil.which("dpkg-query") is None:
        return []
    listed = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\n", *wanted],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    installed = {line.split()[0] for line in listed.splitlines() if line.endswith(" installed")}
    return [pkg for pkg in wanted if pkg not in installed]


def ensure_system_packages(wanted: tuple[str, ...] = QT_SYSTEM_PACKAGES) -> None:
    packages = missing_system_packages(wanted)
    if not packages:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(f"note: these system packages are missing: {' '.join(packages)}")
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, env=env)


def ensure_venv() -> None:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    if not (BIN / "python").exists():
        run(sys.executable, "-m", "venv", VENV)
    run(BIN / "python", "-m", "pip", "install", "-q", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "-q", "-e", ".[test]")
    STAMP.write_text(digest)


def ensure_reference() -> None:
    run(BIN / "worksheet", "reference", "info", "--quiet")


def task_run(args: list[str]) -> None:
    ensure_system_packages()
    ensure_venv()
    ensure_reference()
    os.execv(BIN / "worksheet", [str(BIN / "worksheet"), *args])


def task_test(args: list[str]) -> None:
    ensure_system_packages(QT_SYSTEM_PACKAGES + TEST_SYSTEM_PACKAGES + INSTALL_TEST_PACKAGES)
    ensure_venv()
    run(BIN / "ruff", "check", ".")
    run(BIN / "mypy")
    ensure_reference()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run(BIN / "pytest", "-q", "-p", "no:cacheprovider", *args, env=env)
    if not args:  # the whole suite: also the installed program
        task_install_test([])


def task_install_test(args: list[str]) -> None:
    ensure_system_packages(INSTALL_TEST_PACKAGES)
    ensure_venv()
    run(BIN / "python", "-m", "tests.packaging.installed", *args)


def task_bench(args: list[str]) -> None:
    ensure_system_packages(QT_SYSTEM_PACKAGES + TEST_SYSTEM_PACKAGES)
    ensure_venv()
    ensure_reference()
    run(BIN / "python", "-m", "tests.bench", *args)


def task_bundle(args: list[str]) -> None:
    """A one-folder desktop bundle (PyInstaller, packaging/worksheet.spec), then its smoke test."""
    ensure_system_packages()
    ensure_system_packages(INSTALL_TEST_PACKAGES)
    ensure_venv()
    ensure_reference()
    run(BIN / "python", "-m", "pip", "install", "-q", "pyinstaller>=6.10")
    out = ROOT / "build" / "bundle"
    run(BIN / "pyinstaller", "--noconfirm", "--log-level", "WARN", "--distpath", out / "dist",
        "--workpath", out / "work", ROOT / "packaging" / "worksheet.spec")
    run(BIN / "python", "-m", "tests.packaging.bundle", *args)


def task_fuzz(args: list[str]) -> None:
    """The big fuzz run (10,000 case files, 300 rendered twice); a small one is in the tests."""
    ensure_venv()
    ensure_reference()
    run(BIN / "python", "-m", "tests.models.fuzzing", *args)


TASKS = {
    "run": task_run,
    "test": task_test,
    "bench": task_bench,
    "fuzz": task_fuzz,
    "install-test": task_install_test,
    "bundle": task_bundle,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(f"usage: python3 dev.py {{{'|'.join(TASKS)}}} [args...]")
        sys.exit(2)
    TASKS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()

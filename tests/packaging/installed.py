"""The install test: the program as a site's IT installs it and an ordinary user runs it.

Builds the wheel (its build step prebuilds the reference), checks that it holds every module
and data file of the source tree, installs it (not editable) into a fresh virtual environment
made with Debian's /usr/bin/python3, makes the install read-only and, as an unprivileged user
(``nobody`` when run as root, with HOME in a temporary folder), runs ``worksheet --version``,
``reference info``, ``check`` and ``render`` on an example and opens the window offscreen to
its first paint. Prints the figures (wheel size, install time, first and warm check).

Run by ``python3 dev.py test`` after the unit tests; alone: ``python3 dev.py install-test``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("desktop", "models", "reports", "resources")
SYSTEM_PYTHON = Path("/usr/bin/python3")
EXAMPLE = "islet-thp-laparoscopic-imaging-blocked.json"


class InstallTestFailed(Exception):
    pass


def source_files() -> set[str]:
    """Every file the install must carry: modules and the data files."""
    wanted: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix == ".py" or relative.startswith(
                ("resources/reference/", "resources/examples/", "resources/icons/")
            ):
                wanted.add(relative)
    wanted.add("resources/reference.sqlite")
    return wanted


def build_wheel(folder: Path) -> Path:
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder), str(ROOT)])
    wheels = sorted(folder.glob("*.whl"))
    if len(wheels) != 1:
        raise InstallTestFailed(f"expected one wheel in {folder}, found {wheels}")
    return wheels[0]


def compare_with_sources(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        mode = archive.getinfo("resources/reference.sqlite").external_attr >> 16
    missing = sorted(source_files() - names)
    if missing:
        raise InstallTestFailed("the wheel lacks: " + ", ".join(missing))
    if mode & 0o222:
        raise InstallTestFailed("the wheel's reference database is writable")


def run(
    command: Sequence[str | Path], env: dict[str, str] | None = None, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, env=env, timeout=timeout
    )
    if result.returncode != 0:
        raise InstallTestFailed(
            f"{' '.join(str(c) for c in command)} exited {result.returncode}:\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    return result


class User:
    """Runs commands as the unprivileged user, in a clean environment."""

    def __init__(self, home: Path, bin_dir: Path) -> None:
        self.home = home
        self.bin_dir = bin_dir
        self.as_root = os.geteuid() == 0
        runtime = home / "runtime"
        runtime.mkdir(mode=0o700)
        if self.as_root:
            shutil.chown(home, "nobody")
            shutil.chown(runtime, "nobody")
        self.env = {
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_RUNTIME_DIR": str(runtime),
        }

    def run(self, *args: str, expect: Sequence[int] = (0,)) -> tuple[str, float]:
        prefix = ["runuser", "-u", "nobody", "--"] if self.as_root else []
        command = [*prefix, "env", "-i", *(f"{k}={v}" for k, v in self.env.items()), *args]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        elapsed = time.perf_counter() - start
        if result.returncode not in expect or "Traceback" in result.stderr:
            raise InstallTestFailed(
                f"{' '.join(args)} exited {result.returncode} as "
                f"{'nobody' if self.as_root else 'this user'}:\n{result.stdout[-2000:]}\n"
                f"{result.stderr[-3000:]}"
            )
        return result.stdout, elapsed


def checkout_digest() -> str:
    out = run([sys.executable, "-m", "desktop", "reference", "info"]).stdout
    return digest_in(out)


def digest_in(info: str) -> str:
    for line in info.splitlines():
        if line.startswith("content digest:"):
            return line.split()[2]
    raise InstallTestFailed(f"no content digest in `reference info`:\n{info}")


def exercise(user: User, venv: Path) -> dict[str, float]:
    worksheet = str(venv / "bin" / "worksheet")
    version, _ = user.run(worksheet, "--version")
    if not version.startswith("worksheet "):
        raise InstallTestFailed(f"unexpected --version output: {version!r}")
    example = user.home / EXAMPLE
    shutil.copyfile(ROOT / "resources" / "examples" / EXAMPLE, example)
    example.chmod(0o644)
    _, first_check = user.run(worksheet, "check", str(example), expect=(1,))
    _, warm_check = user.run(worksheet, "check", str(example), expect=(1,))
    info, _ = user.run(worksheet, "reference", "info")
    if digest_in(info) != checkout_digest():
        raise InstallTestFailed("the wheel's reference differs from the checkout's build")
    if str(venv) not in info:
        raise InstallTestFailed(f"the installed program does not use its prebuilt reference:\n{info}")
    pdf = user.home / "worksheet.pdf"
    user.run(worksheet, "render", str(example), "-o", str(pdf))
    if not pdf.read_bytes().startswith(b"%PDF"):
        raise InstallTestFailed("render wrote no PDF")
    user.env["WORKSHEET_BENCH_EXIT_ON_PAINT"] = "1"
    painted, first_paint = user.run(str(venv / "bin" / "worksheet-app"))
    del user.env["WORKSHEET_BENCH_EXIT_ON_PAINT"]
    if "painted" not in painted:
        raise InstallTestFailed(f"the window did not report its first paint: {painted!r}")
    built, _ = user.run(worksheet, "reference", "build")
    if "nothing to build" not in built:
        raise InstallTestFailed(f"`reference build` in an install: {built!r}")
    licensed = user.home / "cpt.csv"
    licensed.write_text("code,descriptor\n0585T,SITE LICENSED WORDING\n", encoding="utf-8")
    licensed.chmod(0o644)
    loaded, _ = user.run(worksheet, "reference", "load-cpt", str(licensed))
    if str(user.home) not in loaded:
        raise InstallTestFailed(f"the licensed CPT file did not go to the user's data: {loaded}")
    user.run(worksheet, "check", str(example), expect=(1,))
    checked, licensed_check = user.run(worksheet, "check", str(example), expect=(1,))
    if "SITE LICENSED WORDING" not in checked:
        raise InstallTestFailed("the licensed descriptor is not used after load-cpt")
    return {
        "first check": first_check,
        "warm check": warm_check,
        "window to first paint": first_paint,
        "check with licensed CPT": licensed_check,
    }


def set_writable(folder: Path, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod(mode | 0o200 if writable else mode & ~0o222)


def install_and_exercise() -> list[str]:
    """Build, install read-only, run as the unprivileged user; the figures, or InstallTestFailed."""
    if not SYSTEM_PYTHON.is_file():
        raise InstallTestFailed(f"{SYSTEM_PYTHON} is missing (dev.py installs it as root)")
    work = Path(tempfile.mkdtemp(prefix="worksheet-install-"))
    work.chmod(0o755)
    venv = work / "venv"
    try:
        start = time.perf_counter()
        wheel = build_wheel(work / "dist")
        built = time.perf_counter() - start
        wheel_mb = wheel.stat().st_size / 1e6
        compare_with_sources(wheel)
        run([SYSTEM_PYTHON, "-m", "venv", venv])
        start = time.perf_counter()
        run([venv / "bin" / "python", "-m", "pip", "install", "-q", wheel])
        installed = time.perf_counter() - start
        set_writable(venv, False)
        home = work / "home"
        home.mkdir()
        user = User(home, venv / "bin")
        timings = exercise(user, venv)
    except subprocess.TimeoutExpired as exc:
        raise InstallTestFailed(str(exc)) from None
    finally:
        if venv.exists():
            set_writable(venv, True)
        shutil.rmtree(work, ignore_errors=True)
    who = (
        "as nobody"
        if user.as_root
        else "as this user (not root: the read-only install is only as strong as its file modes)"
    )
    return [
        f"install test passed {who}, from a read-only install",
        f"wheel {wheel_mb:.1f} MB, built in {built:.1f} s (reference prebuilt in the build step)",
        f"install into a fresh venv (dependencies from the pip cache/index) {installed:.1f} s",
        f"first check {timings['first check']:.2f} s (verifies the reference digest once), "
        f"warm check {timings['warm check']:.2f} s",
        f"installed window to first paint {timings['window to first paint']:.2f} s",
        f"after `reference load-cpt` (into the user's data folder): check "
        f"{timings['check with licensed CPT']:.2f} s, no rebuild",
    ]


def main() -> int:
    try:
        lines = install_and_exercise()
    except InstallTestFailed as exc:
        print(f"install test FAILED: {exc}")
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

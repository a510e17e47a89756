"""Smoke test and figures of the desktop bundle (run by `python3 dev.py bundle`).

The bundle (PyInstaller, one folder) is made read-only and run as an unprivileged user in a
clean environment without the project's Python: `--version`, `reference info`, `check` and
`render` on an example, and the window offscreen to its first paint. Then the figures: the
bundle's size and its start-to-first-paint beside the development install's, same run.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from tests.bench.gui import _start
from tests.packaging.installed import (
    EXAMPLE,
    ROOT,
    InstallTestFailed,
    User,
    set_writable,
)

BUNDLE = ROOT / "build" / "bundle" / "dist" / "worksheet"
DESKTOP_FILE = "cell-therapy-worksheet.desktop"
RUNS = 5


def write_desktop_entry(bundle: Path) -> Path:
    template = (ROOT / "packaging" / DESKTOP_FILE).read_text(encoding="utf-8")
    entry = bundle / DESKTOP_FILE
    entry.write_text(template.replace("@BUNDLE@", str(bundle)), encoding="utf-8")
    return entry


def check_desktop_entry(entry: Path) -> None:
    fields = dict(
        line.split("=", 1) for line in entry.read_text().splitlines() if "=" in line
    )
    program = Path(fields["Exec"].split()[0])
    icon = Path(fields["Icon"])
    if not (program.is_file() and program.stat().st_mode & 0o111):
        raise InstallTestFailed(f"{entry}: Exec names no program ({program})")
    if not icon.is_file():
        raise InstallTestFailed(f"{entry}: no icon at {icon}")


def smoke(bundle: Path) -> None:
    home = Path(tempfile.mkdtemp(prefix="worksheet-bundle-"))
    home.chmod(0o755)
    set_writable(bundle, False)
    try:
        user = User(home, Path("/nonexistent"))
        user.env["PATH"] = "/usr/bin:/bin"
        version, _ = user.run(str(bundle / "worksheet"), "--version")
        if not version.startswith("worksheet 0."):
            raise InstallTestFailed(f"--version printed {version!r}")
        info, _ = user.run(str(bundle / "worksheet"), "reference", "info")
        if str(bundle) not in info:
            raise InstallTestFailed(f"the bundle does not use its own reference:\n{info}")
        example = home / EXAMPLE
        shutil.copyfile(ROOT / "resources" / "examples" / EXAMPLE, example)
        example.chmod(0o644)
        user.run(str(bundle / "worksheet"), "check", str(example), expect=(1,))
        pdf = home / "worksheet.pdf"
        user.run(str(bundle / "worksheet"), "render", str(example), "-o", str(pdf))
        if not pdf.read_bytes().startswith(b"%PDF"):
            raise InstallTestFailed("the bundle's render wrote no PDF")
        user.env["WORKSHEET_BENCH_EXIT_ON_PAINT"] = "1"
        painted, _ = user.run(str(bundle / "worksheet-app"))
        if "painted" not in painted:
            raise InstallTestFailed(f"the bundle's window did not paint: {painted!r}")
    finally:
        set_writable(bundle, True)
        shutil.rmtree(home, ignore_errors=True)


def size_mb(folder: Path) -> float:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1e6


def figures(bundle: Path) -> list[str]:
    dev, packed = [], []
    _start([sys.executable, "-m", "desktop"], "1")
    _start([str(bundle / "worksheet-app")], "1")
    for _ in range(RUNS):
        dev.append(_start([sys.executable, "-m", "desktop"], "1")[0])
        packed.append(_start([str(bundle / "worksheet-app")], "1")[0])
    dev_s, packed_s = statistics.median(dev), statistics.median(packed)
    return [
        f"bundle {bundle}: {size_mb(bundle):.0f} MB",
        f"start to first paint, median of {RUNS}: bundle {packed_s * 1000:.0f} ms, "
        f"development install {dev_s * 1000:.0f} ms ({packed_s / dev_s:.2f}x)",
    ]


def main() -> int:
    if not (BUNDLE / "worksheet").is_file():
        print(f"no bundle at {BUNDLE}: build it with `python3 dev.py bundle`")
        return 1
    try:
        check_desktop_entry(write_desktop_entry(BUNDLE))
        smoke(BUNDLE)
    except InstallTestFailed as exc:
        print(f"bundle smoke test FAILED: {exc}")
        return 1
    print("bundle smoke test passed (read-only, unprivileged user, no project Python)")
    for line in figures(BUNDLE):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

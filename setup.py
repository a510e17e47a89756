"""Build step: the wheel carries the reference database prebuilt from the sources.

Everything else is declared in pyproject.toml. The database is built into the build folder
(never into the source tree) from resources/reference/*.csv and the ICD-10-CM package, so the
same sources give the same content digest; an editable install skips it (a checkout builds
its own reference when stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithReference(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        sys.path.insert(0, str(ROOT))
        from models.reference import build

        target = Path(self.build_lib) / "resources" / "reference.sqlite"
        print(f"building the prebuilt reference {target}")
        build(target, sources=ROOT / "resources" / "reference")
        target.chmod(0o444)


setup(cmdclass={"build_py": BuildWithReference})

"""Benchmarks, run on demand: `python3 dev.py bench` (or `python -m tests.bench [names]`).

Each module prints its figures beside a bare baseline measured in the same run."""

from __future__ import annotations

import importlib
import os
import sys

MODULES = (
    "reference", "coder", "report", "batch", "gui", "store", "official", "digest", "install",
    "bundle",
)


def main(names: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name in names or MODULES:
        try:
            module = importlib.import_module(f"tests.bench.{name}")
        except ModuleNotFoundError as exc:
            print(f"== {name}: not available ({exc})")
            continue
        for line in module.run():
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""1,000 example cases checked and rendered by one command (issue 4)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from models.paths import examples_dir


def run(count: int = 1000) -> list[str]:
    examples = [json.loads(p.read_text()) for p in sorted(examples_dir().glob("*.json"))]
    with tempfile.TemporaryDirectory() as folder:
        cases = Path(folder) / "cases"
        cases.mkdir()
        for index in range(count):
            data = dict(examples[index % len(examples)])
            data["patient"] = {**data.get("patient", {}), "account": f"BENCH-{index:05d}"}
            (cases / f"case-{index:05d}.json").write_text(json.dumps(data))
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "desktop", "render", str(cases), "-o", str(Path(folder) / "pdf"), "--date", "2026-01-01"],
            capture_output=True, text=True, check=False,
        )
        elapsed = time.perf_counter() - start
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr.strip()
    return ["== batch render (issue 4)", f"{count} cases checked and rendered by one command: {elapsed:.1f} s (goal <= 30 s); {summary}"]

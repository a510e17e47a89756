"""No lost update: two workstations (processes) edit the same case; the second is refused."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from models.store import open_store
from tests.models.store.conftest import make_case, version_of

ROOT = Path(__file__).resolve().parents[3]


def test_two_processes_saving_the_same_version_one_wins_one_is_told(
        store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url)
    case_id = store.create(version_of(make_case()), "setup").id
    go = tmp_path / "go"
    racers = {}
    for name in ("alice", "bob"):
        ready = tmp_path / f"{name}.ready"
        racers[name] = (ready, subprocess.Popen(
            [sys.executable, "-m", "tests.models.store.racer", store_url, str(case_id), name,
             str(ready), str(go)], cwd=ROOT, stdout=subprocess.PIPE, text=True))
    deadline = time.monotonic() + 60
    while not all(ready.exists() for ready, _ in racers.values()):
        assert time.monotonic() < deadline, "the racers did not open the case"
        time.sleep(0.01)
    go.touch()
    results = {name: process.communicate(timeout=60)[0].split() for name, (_, process)
               in racers.items()}
    outcomes = sorted(result[0] for result in results.values())
    assert outcomes == ["saved", "stale"], results
    winner = next(name for name, result in results.items() if result[0] == "saved")
    loser = next(name for name, result in results.items() if result[0] == "stale")
    assert results[loser][1] == winner
    latest = store.get(case_id)
    assert latest.row.version == 2 and latest.row.updated_by == winner
    assert f"edited by {winner}" in latest.case_text
    assert results[loser][2] == latest.row.updated_at
    assert [v.saved_by for v in store.history(case_id).versions] == ["setup", winner]
    store.close()

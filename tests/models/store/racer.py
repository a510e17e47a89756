"""One workstation in the no-lost-update test: open a case, wait for the start, save it.

Run as `python -m tests.models.store.racer URL CASE_ID NAME READY_FILE GO_FILE`; prints
`saved VERSION` or `stale WHO`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from models.case import parse_case
from models.store import StaleCase, new_version, open_store
from tests.models.store.conftest import summary


def main(url: str, case_id: int, name: str, ready: Path, go: Path) -> None:
    store = open_store(url)
    opened = store.get(case_id)
    case = parse_case(opened.case_text)
    edited = case.model_copy(update={"notes": f"edited by {name}"})
    ready.touch()
    deadline = time.monotonic() + 30
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    try:
        row = store.save(case_id, new_version(edited, summary()), name,
                         based_on=opened.row.version)
    except StaleCase as refused:
        print(f"stale {refused.saved_by} {refused.saved_at}")
    else:
        print(f"saved {row.version}")
    store.close()


if __name__ == "__main__":
    url, case_id, name, ready, go = sys.argv[1:]
    main(url, int(case_id), name, Path(ready), Path(go))

"""Save As starts in the last used folder and suggests a name made of the case."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_save_as_suggests_account_date_family_in_the_last_folder(window: Any, scripted: Any,
                                                                 tmp_path: Path) -> None:
    window.doc.update(date_of_service="2026-03-02", patient={"account": "ACC 42/7"},
                      family="islet-transplant")
    window.save_as()
    first = Path(scripted.asked("save_case_path")[-1])
    assert first.name == "ACC_42_7-2026-03-02-islet-transplant.json"

    folder = tmp_path / "cases"
    folder.mkdir()
    scripted.save_case_path = folder / "one.json"
    assert window.save_as()
    window.new_case()
    window.doc.update(family="adipose-cells-hands")
    window.save_as()
    suggested = Path(scripted.asked("save_case_path")[-1])
    assert suggested.parent == folder and suggested.name == "adipose-cells-hands.json"

"""The About dialog: versions, loaded releases, the user's data folder, data licences."""

from __future__ import annotations

from typing import Any

from desktop.about import about_text, loaded_releases
from models.paths import user_data_dir


def test_about_names_versions_data_folder_and_licences(reference: Any) -> None:
    text = about_text(reference)
    assert f"Reference {reference.meta.reference_version}" in text
    assert "Version 0." in text
    assert f"ICD-10-CM: {reference.meta.icd10cm_release} (shipped)" in text
    assert "NCCI: none loaded" in text and "HCPCS: none loaded" in text
    assert str(user_data_dir()) in text
    assert "project's own words" in text and "public data" in text


def test_about_lists_loaded_releases(reference: Any, tmp_path: Any) -> None:
    from models.cpt import load_licensed_cpt
    from models.reference import open_reference

    licensed = tmp_path / "cpt.csv"
    licensed.write_text("code,descriptor\n0584T,LICENSED\n")
    named = tmp_path / "site.sqlite"
    load_licensed_cpt(named, licensed)
    site = open_reference(named)
    assert "CPT descriptors: a licensed file (1 codes)" in about_text(site)
    site.close()


def test_releases_are_grouped_by_code_set(reference: Any, monkeypatch: Any) -> None:
    meta = reference.meta.model_copy(
        update={
            "additions": '[{"kind": "ncci-ptp", "set": "practitioner", "release": "2026Q2",'
            ' "effective": "2026-04-01", "rows": 10}]'
        }
    )
    monkeypatch.setattr(reference, "meta", meta)
    releases = dict(loaded_releases(reference))
    assert releases["NCCI"] == "ncci-ptp practitioner 2026Q2 from 2026-04-01"
    assert releases["HCPCS"] == "none loaded"


def test_about_action_shows_the_text(window: Any, scripted: Any) -> None:
    window.show_about()
    shown = [text for name, text in scripted.calls if name == "information"]
    assert shown and "Reference " in shown[0] and "public data" in shown[0]


def test_window_icon_is_the_application_icon(qtbot: Any) -> None:
    from desktop.launch import application_icon

    icon = application_icon()
    assert not icon.isNull() and 256 in [s.width() for s in icon.availableSizes()]

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from models import refdata as rd
from models.conditions import parse
from models.knowledge import pattern_matches
from models.paths import reference_sources_dir
from models.reference import (
    SOURCE_TABLES,
    Reference,
    ReferenceUnavailable,
    SourceDataError,
    build,
    open_reference,
    read_source_rows,
)


def test_every_source_row_has_a_source():
    for table in SOURCE_TABLES:
        for row in read_source_rows(reference_sources_dir(), table):
            source = getattr(row, "source", None)
            if table.model is rd.TaxonomyRow:
                continue  # the NUCC list: provenance in nucc_taxonomy.README.md
            assert source and len(source) > 3, (table.file, row)


def test_nucc_provenance_travels_with_the_list():
    text = (reference_sources_dir() / "nucc_taxonomy.README.md").read_text()
    assert "HL7-DaVinci/plan-net_client" in text


def test_every_code_named_by_a_rule_row_exists(reference):
    codes = reference.codes
    for edit in reference.rows(rd.EditRow):
        assert edit.column1 in codes and edit.column2 in codes, edit
    for row in reference.rows(rd.CodeConditionRow):
        assert row.code in codes, row
    for row in reference.rows(rd.DerivationRow):
        assert row.code is None or row.code in codes, row
    for row in reference.rows(rd.ModifierExclusionRow):
        assert row.code in codes and row.modifier in reference.modifiers, row
    for row in reference.rows(rd.ModifierConflictRow):
        assert row.modifier_a in reference.modifiers and row.modifier_b in reference.modifiers
    for row in reference.rows(rd.CautionRow):
        if row.kind == "code":
            assert row.value in codes, row
        if row.kind == "modifier":
            assert row.value in reference.modifiers, row
    for row in reference.rows(rd.TaxonomyExpectedRow):
        assert reference.taxonomy(row.taxonomy) is not None, row


def test_diagnosis_groups_name_real_icd_codes(reference):
    for group in reference.rows(rd.DxGroupRow):
        stem = group.pattern.rstrip("-").rstrip(".")
        assert reference.icd(stem) is not None, group


def test_every_condition_parses_and_names_known_keys(reference):
    keys = {q.question for q in reference.rows(rd.QuestionRow)}
    keys |= {
        "family",
        "payer",
        "code_set",
        "clinical_trial_billing",
        "claim_type",
        "setting",
        "billed_by",
        "facility_setting",
        "age",
        "dos",
        "dxgroup",
        "trial",
    }
    texts = [r.when for r in reference.rows(rd.DerivationRow)]
    texts += [r.test for r in reference.rows(rd.CriterionRow)]
    texts += [r.when for r in reference.rows(rd.CriterionRow)]
    texts += [r.requires for r in reference.rows(rd.CodeConditionRow)]
    texts += [r.when for r in reference.rows(rd.PolicyFindingRow)]
    texts += [r.when for r in reference.rows(rd.QuestionRow)]
    for text in texts:
        assert parse(text).keys <= keys, text


def test_every_payer_has_a_position_for_every_family(reference):
    for payer in reference.payers:
        for family in reference.families:
            assert any(
                p.payer == payer and p.family == family for p in reference.rows(rd.PayerPolicyRow)
            ), (payer, family)


def test_required_payers_are_present(reference):
    assert {"medicare", "aetna", "bcbs", "cigna", "uhc", "thp", "other"} <= set(reference.payers)
    assert reference.payers["medicare"].code_set == "medicare-g"
    assert reference.payers["medicare"].accepts_s_codes == "no"
    assert reference.payers["thp"].code_set == "cpt-cat3"


# ---- FACTS.md section 9: the reference tells the truth about the usual errors


def test_36440_is_push_transfusion_for_age_two_or_younger(reference):
    row = reference.codes["36440"]
    assert "push transfusion" in row.descriptor.lower()
    assert row.age_max == 2 and row.age_min is None
    assert reference.codes["36425"].age_min == 1
    assert reference.codes["36420"].age_max == 0


def test_0350t_is_radiostereometric_analysis_not_adipose(reference):
    assert "radiostereometric" in reference.codes["0350T"].descriptor.lower()
    assert "adipose" in reference.codes["0489T"].descriptor.lower()


def test_icd_headers_are_not_billable_and_m7965_is_thigh(reference):
    assert reference.icd("M79.65").description == "Pain in thigh"
    for header in ("L98.4", "M79.64", "M79.65", "E10.64"):
        assert reference.icd(header).billable is False, header
    for leaf in ("M79.642", "L98.A311", "E10.649", "Z00.6", "E16.A3"):
        assert reference.icd(leaf).billable is True, leaf


def test_taxonomy_truths(reference):
    assert "Cardiovascular" in reference.taxonomy("207RC0000X").display_name
    assert "Plastic Surgery" in reference.taxonomy("208200000X").display_name
    assert reference.taxonomy("2086S0125X") is None
    assert reference.taxonomy("2085R0204X") is not None


def test_qx_is_an_anesthesia_modifier_and_qw_the_lab_one(reference):
    assert reference.modifiers["QX"].kind == "anesthesia-only"
    assert reference.modifiers["QX"].line_kind_list == ("anesthesia",)
    assert reference.modifiers["QW"].kind == "lab"
    assert reference.modifiers["QR"].effective_to is not None


def test_15771_is_not_for_hands_and_20926_is_active(reference):
    assert "hands" not in reference.codes["15771"].descriptor.split(";")[0]
    assert "hands" in reference.codes["15773"].descriptor
    assert reference.codes["20926"].effective_to is None


def test_required_modifier_conflicts_present(reference):
    pairs = {
        frozenset((c.modifier_a, c.modifier_b)) for c in reference.rows(rd.ModifierConflictRow)
    }
    for a, b in [
        ("52", "53"),
        ("73", "74"),
        ("22", "52"),
        ("80", "81"),
        ("80", "82"),
        ("81", "82"),
        ("Q0", "Q1"),
        ("GA", "GZ"),
        ("GA", "KX"),
        ("JW", "JZ"),
    ]:
        assert frozenset((a, b)) in pairs, (a, b)


def test_whole_icd10cm_and_nucc_sets_are_loaded(reference):
    counts = reference.counts()
    assert counts["icd10cm"] > 90_000
    assert reference.billable_icd_count() > 70_000
    assert counts["taxonomy"] == 853


def test_pattern_matching():
    assert pattern_matches("E10.-", "E10.649")
    assert pattern_matches("E10.64-", "E10.641")
    assert not pattern_matches("E10.64-", "E10.65")
    assert pattern_matches("K86.1", "K86.1") and not pattern_matches("K86.1", "K86.10")


# ---- search


def test_search_finds_codes_and_words_best_first(reference):
    assert reference.search("E10649")[0].code == "E10.649"
    assert reference.search("0584T")[0].code == "0584T"
    assert reference.search("QX")[0].code == "QX"
    hits = reference.search("hypoglycemia", limit=10)
    assert hits and all("ypoglyc" in h.description for h in hits)
    islet = [h.code for h in reference.search("islet", limit=10)]
    assert {"G0341", "S2102", "48160"} <= set(islet)
    taxonomy = reference.search("plastic surgery", kinds=["taxonomy"])
    assert "208200000X" in [h.code for h in taxonomy]
    assert reference.search("   ") == []


def test_every_prefix_of_a_word_matches(reference):
    word = "hypoglycemia"
    for end in range(4, len(word) + 1):
        codes = [h.code for h in reference.search(word[:end], 200, kinds=["icd10cm"])]
        assert "E10.649" in codes, word[:end]


def test_the_familys_diagnosis_groups_come_first_billable_before_headers(reference):
    hits = reference.search("hypoglycemia", 8, kinds=["icd10cm"], family="islet-transplant")
    assert [h.code for h in hits[:2]] == ["E10.641", "E10.649"]
    in_group = [h for h in hits if h.code.startswith("E10.64")]
    assert [h.billable for h in in_group] == sorted((h.billable for h in in_group), reverse=True)
    hands = reference.search("hand pain", 4, kinds=["icd10cm"], family="adipose-cells-hands")
    assert hands[0].code == "M79.641"


def test_a_code_prefix_lists_billable_codes_before_headers(reference):
    hits = reference.search("E10.6", 12, kinds=["icd10cm"])
    assert hits[0].code == "E10.6"  # what was typed, then its billable codes
    billable = [h.billable for h in hits[1:]]
    assert billable[:6] == [True] * 6


def test_search_survives_fts_syntax(reference):
    for text in ['"', "AND OR NOT", "a*b", "(", "E10.6*", "'; DROP TABLE codes; --"]:
        reference.search(text)


# ---- build and open


def test_open_is_read_only(reference):
    with pytest.raises(sqlite3.OperationalError):
        reference._conn.execute("DELETE FROM codes")


def _copy(reference: Reference, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copyfile(reference.path, target)
    return target


def test_corrupt_file_gives_clear_error(tmp_path, reference):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ReferenceUnavailable, match=str(bad)):
        open_reference(bad, build_if_needed=False)


def test_truncated_file_gives_clear_error(tmp_path, reference):
    path = _copy(reference, tmp_path)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)
    with pytest.raises(ReferenceUnavailable, match=r"truncated|unusable"):
        ref = Reference(path)
        ref.search("islet")
        ref.icd("Z99.89")


def test_wrong_schema_version_gives_clear_error(tmp_path, reference):
    path = _copy(reference, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    with pytest.raises(ReferenceUnavailable, match="schema version 999"):
        Reference(path)


def test_missing_file_without_build_gives_clear_error(tmp_path):
    with pytest.raises(ReferenceUnavailable, match="no reference database"):
        open_reference(tmp_path / "none.sqlite", build_if_needed=False)


def test_unwritable_location_gives_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ReferenceUnavailable, match="cannot write the reference database"):
        build(blocker / "ref.sqlite")
    assert blocker.read_text() == "not a folder"


def test_bad_source_row_names_file_and_line(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(reference_sources_dir(), sources)
    with (sources / "codes.csv").open("a") as handle:
        handle.write("BAD1,CPT-X,desc,,primary,procedure,,allowed,,,,,,,,,src\n")
    with pytest.raises(SourceDataError, match=r"codes.csv:\d+"):
        build(tmp_path / "out.sqlite", sources=sources)
    assert not (tmp_path / "out.sqlite").exists()


def test_stale_database_is_rebuilt_and_build_is_deterministic(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    shutil.copytree(reference_sources_dir(), sources)
    monkeypatch.setattr("models.reference.reference_sources_dir", lambda: sources)
    target = tmp_path / "ref.sqlite"
    monkeypatch.setattr("models.lifecycle.shipped_reference_path", lambda: target)
    monkeypatch.delenv("WORKSHEET_REFERENCE", raising=False)
    start = time.perf_counter()
    first = open_reference()
    assert time.perf_counter() - start < 60
    hash_before = first.meta.source_hash
    contents_before = first.counts()
    first.close()
    again = open_reference()  # not stale: no rebuild
    assert again.meta.source_hash == hash_before
    again.close()
    with (sources / "meta.csv").open("a") as handle:
        handle.write("note,changed\n")
    rebuilt = open_reference()
    assert rebuilt.meta.source_hash != hash_before
    assert rebuilt.counts() == contents_before
    assert rebuilt.meta.content_digest != first.meta.content_digest  # meta rows are content


def test_code_sets_named_by_payers_and_codes_exist(reference):
    for payer in reference.payers.values():
        assert payer.code_set in reference.code_sets, payer.payer
    for code in reference.codes.values():
        assert code.code_set is None or code.code_set in reference.code_sets, code.code


def test_package_version_matches_the_installed_metadata():
    from importlib import metadata

    from models.reference import ICD_PACKAGE, package_version

    assert package_version(ICD_PACKAGE) == metadata.version(ICD_PACKAGE)


def test_the_shipped_release_name_gives_its_date_in_any_locale() -> None:
    from datetime import date

    from models.reference import _release_date

    assert _release_date("April 1 2026") == date(2026, 4, 1)
    assert _release_date("october 1 2025") == date(2025, 10, 1)
    assert _release_date("April 31 2026") is None and _release_date("Avril 1 2026") is None


def test_rows_read_back_equal_the_validated_rows(reference):
    """Rows are read back without a second validation: same values, same types."""
    from models.reference import TABLES_BY_MODEL

    for model, table in TABLES_BY_MODEL.items():
        fields = list(model.model_fields)
        columns = ', '.join(f'"{f}"' for f in fields)
        stored = reference._query(f"SELECT {columns} FROM {table.name}")
        for row, record in zip(reference.rows(model), stored, strict=True):
            validated = model.model_validate({k: record[k] for k in fields if record[k] is not None})
            assert row == validated, table.name
            assert [type(v) for v in row.__dict__.values()] == [
                type(v) for v in validated.__dict__.values()], table.name

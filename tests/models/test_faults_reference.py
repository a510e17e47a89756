"""Issue 10, items 1, 5 and 7: the reference is what it says it is, a named reference keeps
its data, and a site's licensed CPT file is an input of the build (no rebuild on every use)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models import additions as adds
from models import lifecycle
from models.paths import examples_dir, shipped_reference_path
from models.reference import (
    Reference,
    ReferenceUnavailable,
    content_digest,
    derive,
    open_reference,
)

BLOCKED = examples_dir() / "islet-thp-laparoscopic-imaging-blocked.json"


def worksheet(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def file_state(path: Path) -> tuple[int, int, str]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def copy_of_shipped(tmp_path: Path) -> Path:
    open_reference().close()  # make sure the shipped one is built
    target = tmp_path / "archived.sqlite"
    shutil.copyfile(shipped_reference_path(), target)
    return target


def delete_one_edit(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM edits WHERE rowid = (SELECT min(rowid) FROM edits)")
    conn.commit()
    conn.close()


# ------------------------------------------------------------------ item 1


def test_fault_item1_reference_carries_its_content_digest():
    reference = open_reference()
    conn = sqlite3.connect(f"file:{reference.path}?mode=ro", uri=True)
    assert reference.meta.content_digest == content_digest(conn)
    conn.close()


def test_fault_item1_same_sources_give_the_same_content_digest(tmp_path):
    from models.reference import build

    shipped = open_reference()
    again = Reference(build(tmp_path / "again.sqlite"))
    assert again.meta.content_digest == shipped.meta.content_digest
    assert again.meta.reference_version == shipped.meta.reference_version


def test_failed_additions_build_leaves_the_reference_and_folder_untouched(
    licensed_file, copy_of_shipped
):
    from models.cpt import load_licensed_cpt

    load_licensed_cpt(copy_of_shipped, licensed_file)
    before = file_state(copy_of_shipped)
    bad = licensed_file.with_name("bad.csv")
    bad.write_text("code,descriptor\nnot-a-code,x\n")
    folder = adds.additions_dir(copy_of_shipped)
    addition = adds.store_file(folder, "cpt", bad)
    with pytest.raises(ReferenceUnavailable, match=r"cpt-[0-9a-f]+\.csv:2"):
        lifecycle.install_addition(copy_of_shipped, "cpt", bad)
    assert file_state(copy_of_shipped) == before
    assert adds.read_manifest(folder).additions[0].original_name == "cpt-2026.csv"
    assert addition.file in {p.name for p in folder.iterdir()}  # cleaned at the next record
    assert not [p for p in copy_of_shipped.parent.iterdir() if p.name.endswith(".tmp")]


def test_fault_item1_edited_reference_is_refused_naming_the_file(copy_of_shipped):
    delete_one_edit(copy_of_shipped)
    with pytest.raises(ReferenceUnavailable, match=str(copy_of_shipped)) as refused:
        open_reference(copy_of_shipped)
    assert "changed after it was built" in str(refused.value)


def test_fault_item1_cli_refuses_an_edited_reference_with_exit_2_and_no_worksheet(
    copy_of_shipped,
):
    before = worksheet("--reference", str(copy_of_shipped), "check", str(BLOCKED))
    assert before.returncode == 1 and "BLOCKED" in before.stdout
    delete_one_edit(copy_of_shipped)
    env = dict(os.environ, WORKSHEET_REFERENCE=str(copy_of_shipped))
    for result in (
        worksheet("--reference", str(copy_of_shipped), "check", str(BLOCKED)),
        worksheet("check", str(BLOCKED), "--json", env=env),
    ):
        assert result.returncode == 2
        assert str(copy_of_shipped) in result.stderr and "content digest" in result.stderr
        assert result.stdout == "" and "Traceback" not in result.stderr


def test_fault_item1_verified_once_per_file_identity(copy_of_shipped, monkeypatch):
    calls: list[Path] = []
    real = Reference.verify_content

    def counting(self: Reference) -> None:
        calls.append(self.path)
        real(self)

    monkeypatch.setattr(Reference, "verify_content", counting)
    open_reference(copy_of_shipped).close()
    open_reference(copy_of_shipped).close()
    assert calls == [copy_of_shipped]
    delete_one_edit(copy_of_shipped)  # a new identity (mtime, size): verified again
    with pytest.raises(ReferenceUnavailable, match="content digest"):
        open_reference(copy_of_shipped)
    assert len(calls) == 2


# ------------------------------------------------------------------ item 5


def other_sources_reference(base: Path, target: Path) -> Path:
    """A reference built from other sources (an archived or a site's reference)."""

    def archive(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = 'other-sources' WHERE key = 'source_hash'")
        conn.execute("DELETE FROM edits")

    return derive(target, base, archive, {"archived": "yes"})


def test_fault_item5_named_reference_from_other_sources_is_used_as_it_is(
    copy_of_shipped, tmp_path
):
    named = other_sources_reference(copy_of_shipped, tmp_path / "site.sqlite")
    before = file_state(named)
    reference = open_reference(named)
    assert reference.meta.source_hash == "other-sources"
    assert reference.counts()["edits"] == 0
    reference.close()
    env = dict(os.environ, WORKSHEET_REFERENCE=str(named))
    assert worksheet("check", str(BLOCKED), env=env).returncode in (0, 1)
    assert worksheet("--reference", str(named), "reference", "info").returncode == 0
    assert file_state(named) == before


def test_fault_item5_incompatible_named_reference_names_the_rebuild_command(copy_of_shipped):
    conn = sqlite3.connect(copy_of_shipped)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    before = file_state(copy_of_shipped)
    result = worksheet("--reference", str(copy_of_shipped), "check", str(BLOCKED))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"worksheet --reference {copy_of_shipped} reference build" in result.stderr
    assert file_state(copy_of_shipped) == before
    rebuilt = worksheet("--reference", str(copy_of_shipped), "reference", "build")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert worksheet("--reference", str(copy_of_shipped), "check", str(BLOCKED)).returncode == 1


def test_fault_item5_only_an_explicit_build_rebuilds_a_named_reference(
    copy_of_shipped, tmp_path
):
    named = other_sources_reference(copy_of_shipped, tmp_path / "site.sqlite")
    lifecycle.rebuild(named)
    reference = open_reference(named)
    assert reference.meta.source_hash != "other-sources"
    assert reference.counts()["edits"] > 0


# ------------------------------------------------------------------ item 7


@pytest.fixture()
def licensed_file(tmp_path: Path) -> Path:
    path = tmp_path / "cpt-2026.csv"
    path.write_text("code,descriptor\n0584T,LICENSED WORDING FOR 0584T\n")
    return path


def forbid_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reference was rebuilt")

    monkeypatch.setattr(lifecycle, "derive", refuse)
    monkeypatch.setattr(lifecycle, "build", refuse)


def test_fault_item7_licensed_cpt_is_an_input_of_the_build(licensed_file, monkeypatch):
    from models.cpt import load_licensed_cpt

    monkeypatch.delenv("WORKSHEET_REFERENCE", raising=False)
    path, count = load_licensed_cpt(None, licensed_file)
    assert count == 1 and path == lifecycle.user_reference_path()
    manifest = adds.read_manifest(adds.additions_dir(None))
    assert [(a.kind, a.rows, a.original_name) for a in manifest.additions] == [
        ("cpt", 1, "cpt-2026.csv")
    ]
    assert path.stat().st_mode & 0o777 == 0o600
    before = file_state(path)
    forbid_builds(monkeypatch)
    for _ in range(2):
        reference = open_reference()
        assert reference.path == path
        assert reference.codes["0584T"].descriptor == "LICENSED WORDING FOR 0584T"
        assert reference.meta.licensed_cpt_descriptors == 1
        assert reference.meta.reference_version.endswith(manifest.digest()[:8])
        reference.close()
    assert file_state(path) == before


def test_fault_item7_later_commands_do_not_rebuild(licensed_file, tmp_path):
    env = dict(os.environ)
    env.pop("WORKSHEET_REFERENCE", None)
    loaded = worksheet("reference", "load-cpt", str(licensed_file), env=env)
    assert loaded.returncode == 0, loaded.stderr
    user_reference = Path(env["WORKSHEET_DATA_DIR"]) / "reference.sqlite"
    before = file_state(user_reference)
    for _ in range(2):
        assert worksheet("check", str(BLOCKED), env=env).returncode == 1
    assert file_state(user_reference) == before


def test_fault_item7_read_only_shipped_reference_is_never_written(
    licensed_file, tmp_path, monkeypatch
):
    install = tmp_path / "site-packages" / "resources"
    install.mkdir(parents=True)
    open_reference().close()
    shipped = install / "reference.sqlite"
    shutil.copyfile(shipped_reference_path(), shipped)
    install.chmod(0o555)
    shipped.chmod(0o444)
    monkeypatch.setattr(lifecycle, "shipped_reference_path", lambda: shipped)
    monkeypatch.setattr(lifecycle, "is_source_checkout", lambda: False)
    monkeypatch.delenv("WORKSHEET_REFERENCE", raising=False)
    before = file_state(shipped)
    try:
        from models.cpt import load_licensed_cpt

        load_licensed_cpt(None, licensed_file)
        reference = open_reference()
        assert reference.codes["0584T"].descriptor == "LICENSED WORDING FOR 0584T"
        reference.close()
        assert sorted(p.name for p in install.iterdir()) == ["reference.sqlite"]
        assert file_state(shipped) == before
    finally:
        install.chmod(0o755)


def test_fault_item7_legacy_licensed_file_becomes_an_addition(licensed_file, monkeypatch):
    monkeypatch.delenv("WORKSHEET_REFERENCE", raising=False)
    legacy = lifecycle.licensed_cpt_path()
    shutil.copyfile(licensed_file, legacy)
    reference = open_reference()
    assert reference.codes["0584T"].descriptor == "LICENSED WORDING FOR 0584T"
    assert not legacy.exists()
    assert adds.read_manifest(adds.additions_dir(None)).of_kind("cpt")


def test_named_reference_keeps_its_own_additions(licensed_file, copy_of_shipped):
    from models.cpt import load_licensed_cpt

    path, _ = load_licensed_cpt(copy_of_shipped, licensed_file)
    assert path == copy_of_shipped
    folder = adds.additions_dir(copy_of_shipped)
    assert folder == copy_of_shipped.with_name("archived.sqlite.additions")
    assert adds.read_manifest(folder).of_kind("cpt")
    assert not adds.read_manifest(adds.additions_dir(None)).additions
    assert open_reference(copy_of_shipped).codes["0584T"].descriptor.startswith("LICENSED")


def test_additions_folder_and_manifest_are_private(licensed_file, copy_of_shipped):
    from models.cpt import load_licensed_cpt

    load_licensed_cpt(copy_of_shipped, licensed_file)
    folder = adds.additions_dir(copy_of_shipped)
    assert folder.stat().st_mode & 0o777 == 0o700
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_unknown_addition_kind_is_a_clear_refusal(licensed_file, copy_of_shipped):
    folder = adds.additions_dir(copy_of_shipped)
    addition = adds.store_file(folder, "future-kind", licensed_file)
    adds.record(folder, adds.Manifest(additions=(addition,)))
    with pytest.raises(ReferenceUnavailable, match="cannot load 'future-kind' files"):
        lifecycle.rebuild(copy_of_shipped)


def test_removing_an_addition_rebuilds_without_it(licensed_file, copy_of_shipped):
    from models.cpt import load_licensed_cpt

    load_licensed_cpt(copy_of_shipped, licensed_file)
    lifecycle.remove_additions(copy_of_shipped, "cpt")
    reference = open_reference(copy_of_shipped)
    assert not reference.codes["0584T"].descriptor.startswith("LICENSED")
    assert reference.meta.licensed_cpt_descriptors == 0
    assert sorted(p.name for p in adds.additions_dir(copy_of_shipped).iterdir()) == [
        adds.MANIFEST_NAME
    ]

"""Choosing and opening a store: URL, environment, the per-user file, clear refusals."""

from __future__ import annotations

import getpass
import stat
from pathlib import Path

import pytest

from models.store import (
    CaseFilter,
    StoreUnavailable,
    current_user,
    default_store_path,
    open_store,
    store_url,
)
from models.store.migrations import SCHEMA_VERSION
from models.store.postgresql import redacted
from tests.models.store.conftest import make_case, version_of


def test_default_store_is_a_private_per_user_file_made_on_first_use(
        _isolated_user_files: Path) -> None:
    path = default_store_path()
    assert path.parent == _isolated_user_files and not path.exists()
    with open_store() as store:
        assert store.schema_version() == SCHEMA_VERSION
        store.create(version_of(make_case()), "alice")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_folder_made_for_the_store_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "cases.sqlite"
    open_store(str(path)).close()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_store_choice_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("WORKSHEET_STORE", raising=False)
    assert store_url() == str(default_store_path())
    monkeypatch.setenv("WORKSHEET_STORE", "postgresql:///team")
    assert store_url() == "postgresql:///team"
    assert store_url(str(tmp_path / "x.sqlite")) == str(tmp_path / "x.sqlite")


def test_sqlite_url_form_is_accepted(tmp_path: Path) -> None:
    with open_store(f"sqlite://{tmp_path}/a.sqlite") as store:
        assert store.count(CaseFilter()) == 0
    assert (tmp_path / "a.sqlite").exists()


@pytest.mark.parametrize("url, message", [
    ("mysql://host/db", "not a case store"),
    ("postgresql://nobody@/cases?host=/nonexistent-socket-dir", "cannot connect"),
    ("postgresql://u:secret@127.0.0.1:1/cases?connect_timeout=2", "cannot connect"),
])
def test_unusable_store_urls_are_explained(url: str, message: str) -> None:
    with pytest.raises(StoreUnavailable, match=message) as refused:
        open_store(url)
    assert "secret" not in str(refused.value)


def test_a_file_that_is_not_a_store_is_explained(tmp_path: Path) -> None:
    bad = tmp_path / "not.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreUnavailable, match=r"not\.sqlite"):
        open_store(str(bad))
    with pytest.raises(StoreUnavailable, match="folder"):
        open_store(str(tmp_path))


def test_sqlite_keeps_a_backup_before_migrating(tmp_path: Path) -> None:
    from models.store.migrations import MIGRATIONS
    from models.store.sqlite import SqliteStore

    path = tmp_path / "cases.sqlite"
    SqliteStore(path, migrations=MIGRATIONS[:1]).close()
    SqliteStore(path).close()
    backup = tmp_path / "cases.sqlite.schema1.bak"
    assert backup.exists() and stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_password_is_not_shown() -> None:
    assert redacted("postgresql://u:pw@h:5/db") == "postgresql://u:***@h:5/db"
    assert redacted("postgresql:///db?host=/tmp") == "postgresql:///db?host=/tmp"
    assert redacted("postgresql:///db?host=/tmp&password=pw") == (
        "postgresql:///db?host=/tmp&password=***")


def test_who_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKSHEET_CODER", "")
    assert current_user("  Dana ") == "Dana"
    assert current_user() == getpass.getuser()
    monkeypatch.setenv("WORKSHEET_CODER", "Eve")
    assert current_user() == "Eve"

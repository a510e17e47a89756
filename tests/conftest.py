"""Test isolation shared by every test.

- Qt runs offscreen (set before any QApplication exists).
- Each test gets its own per-user data folder (WORKSHEET_DATA_DIR) and its
  own QSettings folder, so nothing touches the user's real files.
- Qt warnings and critical messages fail the test (see ``_no_qt_warnings``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

# Messages the offscreen platform prints for things it cannot do by design:
# they say nothing about the application.
QT_MESSAGES_ALLOWED = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
)


@pytest.fixture(scope="session")
def _shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the session: which reference files were verified (recomputable,
    no user data), so each test's subprocesses do not verify the same file again."""
    return tmp_path_factory.mktemp("user-cache")


@pytest.fixture(autouse=True)
def _isolated_user_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _shared_cache: Path
) -> Iterator[Path]:
    data = tmp_path / "user-data"
    data.mkdir()
    monkeypatch.setenv("WORKSHEET_DATA_DIR", str(data))
    monkeypatch.setenv("WORKSHEET_CACHE_DIR", str(_shared_cache))
    monkeypatch.delenv("WORKSHEET_STORE", raising=False)  # the per-user store in `data`
    try:
        from PySide6.QtCore import QSettings, QStandardPaths
    except ImportError:  # pragma: no cover - Qt missing: non-GUI tests still run
        yield data
        return
    QStandardPaths.setTestModeEnabled(True)
    settings = tmp_path / "settings"
    settings.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(settings))
    yield data


@pytest.fixture(autouse=True)
def _no_qt_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test when Qt printed a warning or worse (pytest-qt captures them)."""
    yield
    capture = getattr(request.node, "qt_log_capture", None)
    if capture is None:
        return
    bad = [
        f"{record.log_type_name}: {record.message}"
        for record in capture.records
        if record.matches_level("WARNING")
        and not any(allowed in record.message for allowed in QT_MESSAGES_ALLOWED)
    ]
    if bad:
        pytest.fail("Qt printed warnings:\n" + "\n".join(bad), pytrace=False)


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A throwaway PostgreSQL cluster for the session (tests.postgres.Cluster).

    Where no server is installed the tests that need it are skipped with the reason,
    except in CI (CI=true), where a missing server is a failure.
    """
    from tests.postgres import start_cluster

    try:
        cluster = start_cluster()
    except FileNotFoundError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs PostgreSQL: {exc}", pytrace=False)
        pytest.skip(str(exc))
    yield cluster
    cluster.stop()

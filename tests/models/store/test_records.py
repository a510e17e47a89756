"""Stored time stamps (UTC) shown in the coder's local time."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from models.store.errors import StaleCase, local_time


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_utc_stamp_reads_as_local_wall_clock_time(new_york: None) -> None:
    assert local_time("2026-11-22T15:04:05.123456Z") == "2026-11-22 10:04"
    assert local_time("2026-07-01T15:04:05Z", seconds=True) == "2026-07-01 11:04:05"


def test_a_stamp_that_is_not_a_time_is_shown_as_it_is() -> None:
    assert local_time("yesterday") == "yesterday"


def test_a_refused_save_says_when_in_local_time(new_york: None) -> None:
    refusal = StaleCase(7, 1, 2, "bob", "2026-11-22T15:04:05.000001Z")
    assert "changed by bob at 2026-11-22 10:04 (version 2)" in str(refusal)

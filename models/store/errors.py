"""What can go wrong with the case store, as errors a person can act on.

`StoreError` and its subclasses are known conditions (the message says what to do);
anything else escaping the store is a bug.
"""

from __future__ import annotations


class StoreError(Exception):
    """A known problem with the case store; the message is for the coder."""


class StoreUnavailable(StoreError):
    """The store cannot be opened: bad URL, server down, unreadable file, no permission."""


class StoreTooNew(StoreUnavailable):
    """The store was migrated by a newer program; this one must not write to it."""


class NoSuchCase(StoreError):
    """No case has this id."""


class StaleCase(StoreError):
    """A save named a version that is no longer the latest: someone else saved first."""

    def __init__(self, case_id: int, based_on: int, latest: int, saved_by: str,
                 saved_at: str) -> None:
        self.case_id = case_id
        self.based_on = based_on
        self.latest = latest
        self.saved_by = saved_by
        self.saved_at = saved_at
        super().__init__(
            f"case {case_id} was changed by {saved_by} at {local_time(saved_at)} (version {latest}) "
            f"after you opened version {based_on}: reload it, or save yours as a new case"
        )


def local_time(stamp: str, *, seconds: bool = False) -> str:
    """A stored UTC time stamp as the coder's local wall-clock time ("2026-11-22 06:10")."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")

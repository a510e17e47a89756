"""Work around a reference-count bug of PySide6 6.12.0 under CPython 3.11.

PySide6/shiboken6 6.12.0 hands ``None`` (every void method, every null
pointer or empty QVariant) and ``True``/``False`` (signal arguments) back to
Python without taking a new reference. On CPython 3.12+ these objects are
immortal and nothing happens; on 3.11 each call takes one reference away, and
after some thousands of calls the interpreter aborts with "deallocating None".
6.11.3 does not have the bug (checked with the same probes).

These three objects are static and never freed, so giving them a very large
reference count makes them immortal in practice, as 3.12 does by design.
"""

from __future__ import annotations

import sys

_DONE = False
_MARGIN = 1 << 40


def immortalize_singletons() -> None:
    """On CPython < 3.12, protect None, True and False from lost references (idempotent)."""
    global _DONE
    if _DONE or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _MARGIN
    _DONE = True

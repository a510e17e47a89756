"""PySide6 reads every module imported after it, lightly (imported by the launcher, on purpose
right after PySide6 and before the rest of the program).

PySide6 looks for the word "PySide6" in the source of each module imported after it (to know
which modules may use its ``__feature__`` switches). It reads them with ``inspect.getsource``,
which keeps every line of every module in ``linecache``: about 8 MiB and a few tens of
milliseconds at start-up, for pydantic and the models. The same question is answered here by
reading the file once and keeping nothing; anything unusual goes to PySide6's own check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType


def _light_check(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        file = getattr(module, "__file__", None)
        if not isinstance(file, str) or not file.endswith(".py"):
            return original(module)
        try:
            with open(file, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    uses_pyside.light = True  # type: ignore[attr-defined]
    return uses_pyside


def install() -> bool:
    """Replace PySide6's check where it has the known shape; True when it is in place."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if not getattr(original, "light", False):
        feature._mod_uses_pyside = _light_check(original)  # type: ignore[attr-defined]
    return True


install()

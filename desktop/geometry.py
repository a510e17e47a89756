"""Window size, position and splitter sizes: fitted to the screen, remembered (QSettings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSize

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QSplitter

PREFERRED = QSize(1280, 820)
MINIMUM = QSize(1024, 640)
KEY = "window"


def fit(preferred: QSize, available: QRect) -> QRect:
    """The preferred size, no larger than the available screen area, centred on it."""
    width = min(preferred.width(), available.width())
    height = min(preferred.height(), available.height())
    x = available.x() + (available.width() - width) // 2
    y = available.y() + (available.height() - height) // 2
    return QRect(x, y, width, height)


def place_first(window: QMainWindow) -> None:
    """The first window: where it was last time, else the preferred size; always on the
    screen (a scale factor must not make it larger than the screen)."""
    from desktop.settings import store

    screen = window.screen()
    available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 820)
    saved = store().value(f"{KEY}/geometry")
    if isinstance(saved, QByteArray | bytes) and window.restoreGeometry(QByteArray(saved)):
        frame = window.geometry()
        if available.contains(frame):
            return
        window.setGeometry(fit(frame.size(), available))
        return
    window.setGeometry(fit(PREFERRED, available))


def restore_splitter(name: str, splitter: QSplitter) -> None:
    from desktop.settings import store

    saved = store().value(f"{KEY}/{name}")
    if isinstance(saved, QByteArray | bytes):
        splitter.restoreState(QByteArray(saved))


def remember(window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
    from desktop.settings import store

    settings = store()
    settings.setValue(f"{KEY}/geometry", window.saveGeometry())
    for name, splitter in splitters.items():
        settings.setValue(f"{KEY}/{name}", splitter.saveState())
    settings.sync()

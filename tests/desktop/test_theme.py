"""Dark mode: Light/Dark/System in Settings, the OS scheme followed, controls still visible."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QCheckBox

from desktop import theme
from tests.desktop.actions import choose


@pytest.fixture(autouse=True)
def _light_again() -> Iterator[None]:
    yield
    theme.apply("light")


def luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def strongest_contrast(image: QImage, background: QColor, width: int) -> float:
    return max(contrast(image.pixelColor(x, y), background)
               for x in range(min(width, image.width())) for y in range(image.height()))


def test_an_unticked_check_box_stays_visible_in_dark(qtbot: Any) -> None:
    theme.apply("dark")
    box = QCheckBox("")
    qtbot.addWidget(box)
    box.resize(24, 24)
    box.show()
    background = box.palette().color(box.backgroundRole())
    assert strongest_contrast(box.grab().toImage(), background, 20) >= 3.0


def test_an_unticked_modifier_stays_visible_in_dark(qtbot: Any, window: Any) -> None:
    theme.apply("dark")
    window.go_to("modifiers")
    tree = window.pages["modifiers"].tree
    item = window.pages["modifiers"].items["22"]
    tree.scrollToItem(item)
    QApplication.processEvents()
    rect = tree.visualItemRect(item)
    image = tree.viewport().grab(rect.adjusted(0, 0, 40 - rect.width(), 0)).toImage()
    background = tree.palette().color(tree.palette().ColorRole.Base)
    assert strongest_contrast(image, background, 40) >= 3.0


def test_dark_palette_text_contrast() -> None:
    palette = theme.dark_palette()
    R = palette.ColorRole
    for fg, bg in ((R.Text, R.Base), (R.WindowText, R.Window), (R.ButtonText, R.Button),
                   (R.HighlightedText, R.Highlight)):
        assert contrast(palette.color(fg), palette.color(bg)) >= 4.5, (fg, bg)
    assert contrast(palette.color(R.PlaceholderText), palette.color(R.Window)) >= 3.0


def test_system_mode_follows_the_operating_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(theme, "system_is_dark", lambda: True)
    theme.apply("system")
    assert QApplication.palette().color(QApplication.palette().ColorRole.Window).lightness() < 80
    monkeypatch.setattr(theme, "system_is_dark", lambda: False)
    theme.apply("system")
    assert QApplication.palette().color(QApplication.palette().ColorRole.Window).lightness() > 150


def test_settings_offer_light_dark_and_system(qtbot: Any, window: Any) -> None:
    from desktop.settings import Preferences
    from desktop.settings_dialog import SettingsDialog

    dialog = SettingsDialog({}, window)
    qtbot.addWidget(dialog)
    modes = [dialog.appearance.itemData(i) for i in range(dialog.appearance.count())]
    assert modes == ["system", "light", "dark"]
    choose(qtbot, dialog.appearance, "Dark")
    dialog.accept()
    assert Preferences.load().appearance == "dark"
    assert QApplication.palette().color(QApplication.palette().ColorRole.Base).lightness() < 80

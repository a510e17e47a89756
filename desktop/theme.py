"""Light, dark, or what the operating system uses (Qt 6.5+ ``QStyleHints.colorScheme``).

The dark palette is set explicitly (Fusion style) rather than left to the platform
theme, which on many Linux desktops ignores the scheme: every colour a control uses
is then known, and tested for contrast (an unticked check box must stay visible).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

MODES = ("system", "light", "dark")
# Fusion outlines an unticked box in the window colour made darker: invisible on a dark
# window. Draw check and radio indicators with a light outline instead.
DARK_INDICATORS = """
QCheckBox::indicator, QAbstractItemView::indicator, QGroupBox::indicator {
    width: 13px; height: 13px; border: 1px solid #a9afb7; border-radius: 2px;
    background: #1e1f22;
}
QRadioButton::indicator {
    width: 13px; height: 13px; border: 1px solid #a9afb7; border-radius: 7px;
    background: #1e1f22;
}
QCheckBox::indicator:checked, QAbstractItemView::indicator:checked,
QGroupBox::indicator:checked, QRadioButton::indicator:checked {
    background: #5b9be6; border-color: #d7e6fa;
}
QCheckBox::indicator:indeterminate, QAbstractItemView::indicator:indeterminate {
    background: #3d6ea8;
}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled { border-color: #6b7078; }
"""
_state: dict[str, object] = {}


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def is_dark(mode: str) -> bool:
    return mode == "dark" or (mode == "system" and system_is_dark())


def dark_palette() -> QPalette:
    p = QPalette()
    R, G = QPalette.ColorRole, QPalette.ColorGroup
    colors = {
        R.Window: "#2b2d30", R.WindowText: "#e6e6e6", R.Base: "#1e1f22",
        R.AlternateBase: "#26282b", R.ToolTipBase: "#3c3f41", R.ToolTipText: "#e6e6e6",
        R.PlaceholderText: "#a0a4aa", R.Text: "#e6e6e6", R.Button: "#3a3d41",
        R.ButtonText: "#e6e6e6", R.BrightText: "#ff6b6b", R.Light: "#5a5e63",
        R.Midlight: "#4a4d52", R.Mid: "#6b7078", R.Dark: "#8a9099", R.Shadow: "#000000",
        R.Highlight: "#3d6ea8", R.HighlightedText: "#ffffff", R.Link: "#78aef0",
        R.LinkVisited: "#b59ae6",
    }
    for role, color in colors.items():
        p.setColor(role, QColor(color))
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(G.Disabled, role, QColor("#7d8188"))
    return p


def apply(mode: str, app: QApplication | None = None) -> None:
    """Use the mode now; "system" follows the operating system, also when it changes."""
    app = app or _app()
    if app is None:
        return
    _state["mode"] = mode if mode in MODES else "system"
    if not _state.get("listening"):
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _s: _follow(app))
        _state["listening"] = True
    _follow(app)


def _follow(app: QApplication) -> None:
    dark = is_dark(str(_state.get("mode", "system")))
    if dark:
        if "light_style" not in _state:
            _state["light_style"] = app.style().name()
            _state["light_palette"] = QPalette(app.palette())
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(dark_palette())
        app.setStyleSheet(DARK_INDICATORS)
        _repaint(app)
    elif "light_style" in _state:
        app.setStyleSheet("")
        style = QStyleFactory.create(str(_state.pop("light_style")) or "Fusion")
        if style is not None:
            app.setStyle(style)
        palette = _state.pop("light_palette")
        assert isinstance(palette, QPalette)
        app.setPalette(palette)
        _repaint(app)


def _repaint(app: QApplication) -> None:
    """Widgets that cache their look (menu bar, tool bar) are polished and painted again."""
    for widget in app.allWidgets():
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        widget.update()


def _app() -> QApplication | None:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else None

"""Start the desktop application (placeholder until the GUI lands)."""

from __future__ import annotations

from pathlib import Path


def launch_gui(case_path: Path | None, reference_path: Path | None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([])
    label = QLabel("Cell-therapy coding worksheet")
    label.show()
    return int(app.exec())

"""Screenshots of the application for the README and for looking at the layout.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py OUT_FOLDER
(or under Xvfb). Uses a throw-away settings and data folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main(out: Path) -> None:
    data = Path(tempfile.mkdtemp(prefix="worksheet-shots-"))
    os.environ["WORKSHEET_DATA_DIR"] = str(data)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(data))
    from desktop import theme
    from desktop.window import STEP_IDS, MainWindow
    from models.reference import open_reference

    out.mkdir(parents=True, exist_ok=True)
    reference = open_reference()
    window = MainWindow(reference)
    window.resize(1280, 800)
    window.show()
    settle(app, window)
    window.grab().save(str(out / "new-case.png"))
    examples = Path(__file__).resolve().parents[1] / "resources" / "examples"
    window.open_path(examples / "islet-thp-donislecel-outpatient.json", ask=False)
    window.resize(1024, 640)
    for step in STEP_IDS:
        window.go_to(step)
        settle(app, window)
        window.grab().save(str(out / f"step-{step}-1024x640.png"))
    window.resize(1280, 800)
    theme.apply("dark", app)
    window.go_to("review")
    settle(app, window)
    window.grab().save(str(out / "review-dark.png"))
    theme.apply("light")
    window.new_case()
    window.go_to("diagnoses")
    page = window.pages["diagnoses"]
    page.entry.setFocus()
    page.entry.setText("hypogly")
    page.completer.refresh()
    settle(app, window)
    popup = page.completer.popup()
    shot = window.grab()
    from PySide6.QtGui import QPainter

    painter = QPainter(shot)
    painter.drawPixmap(popup.mapTo(window, popup.rect().topLeft()) if popup.parent() else
                       window.mapFromGlobal(popup.mapToGlobal(popup.rect().topLeft())),
                       popup.grab())
    painter.end()
    shot.save(str(out / "lookup-hypogly.png"))
    window.doc.replace(window.doc.case, None)
    window.close()


def settle(app: object, window: object) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(600, loop.quit)
    loop.exec()
    window.run_check()  # type: ignore[attr-defined]
    loop = QEventLoop()
    QTimer.singleShot(300, loop.quit)
    loop.exec()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screens"))

"""Layout: usable at 1024×640, the first window fits the screen, sizes are remembered."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from desktop.window import STEP_IDS
from tests.desktop.test_usability import controls


def page_area(window: Any) -> QScrollArea | None:
    slot = window.stack.currentWidget()
    found = slot.findChildren(QScrollArea)
    return found[0] if found else None


def test_every_step_is_usable_at_1024_by_640(qtbot: Any, window: Any, reference: Any) -> None:
    from models.case import load_case
    from tests.desktop.conftest import EXAMPLES

    window.doc.replace(load_case(EXAMPLES / "islet-thp-donislecel-outpatient.json"), None)
    window.resize(1024, 640)
    for step in STEP_IDS:
        window.go_to(step)
        QApplication.processEvents()
        area = page_area(window)
        assert area is not None
        assert not area.horizontalScrollBar().isVisible(), f"{step}: the page is cut off"
        right_edge = area.viewport().mapTo(window, area.viewport().rect().topRight()).x()
        page = window.pages[step]
        for control in controls(page):
            if not control.isVisibleTo(window):
                continue
            right = control.mapTo(window, control.rect().topRight()).x()
            assert right <= right_edge + 1, f"{step}: {control.accessibleName()} is cut off"
    review = window.pages["review"]
    top = review.findings.mapTo(window, review.findings.rect().topLeft())
    assert top.x() >= 0 and top.y() < window.height(), "the review's left column is in view"


def test_the_first_window_fits_the_available_screen(qtbot: Any, reference: Any) -> None:
    from desktop.window import MainWindow

    window = MainWindow(reference)
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    assert available.contains(window.geometry()), (available, window.geometry())


def test_size_position_and_splitters_are_remembered(qtbot: Any, reference: Any) -> None:
    from desktop.window import MainWindow

    first = MainWindow(reference)
    qtbot.addWidget(first)
    first.show()
    available = first.screen().availableGeometry()
    first.resize(available.width(), available.height() - 40)
    first.move(available.x(), available.y() + 20)
    first.splitter.setSizes([150, first.width() - 400, 250])
    sizes = first.splitter.sizes()
    first.go_to("review")
    QApplication.processEvents()
    review = first.pages["review"].splitter
    review.setSizes([review.width() - 280, 280])
    review_sizes = first.pages["review"].splitter.sizes()
    first.remember_layout()
    second = MainWindow(reference)
    qtbot.addWidget(second)
    second.show()
    assert second.size() == first.size()
    moved = second.pos() - first.pos()
    assert abs(moved.x()) <= 4 and abs(moved.y()) <= 4  # a window frame's margins at most
    assert second.splitter.sizes() == sizes
    second.go_to("review")
    QApplication.processEvents()
    assert second.pages["review"].splitter.sizes() == review_sizes


def test_the_step_list_reserves_the_icon_space(qtbot: Any, window: Any) -> None:
    before = [window.steps.visualItemRect(window.steps.item(r)).width()
              for r in range(window.steps.count())]
    assert all(not window.steps.item(r).icon().isNull() for r in range(window.steps.count()))
    window.doc.update(diagnoses=["E10.64"])
    window.run_check()
    assert not all(window.steps.item(r).toolTip().count(":") == 0
                   for r in range(window.steps.count()))
    after = [window.steps.visualItemRect(window.steps.item(r)).width()
             for r in range(window.steps.count())]
    assert before == after
    assert isinstance(window.steps, QWidget)

"""Modifiers, other codes and coverage steps."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.desktop.actions import click, press_enter, settle, type_text
from tests.desktop.conftest import EXAMPLES

pytest.importorskip("models.coder")


def test_modifiers_are_all_listed_with_conflicts_and_space_ticks(qtbot: Any, window: Any) -> None:
    page = window.pages["modifiers"]
    assert set(page.items) == set(window.reference.modifiers)
    assert "Not with 53" in page.items["52"].text(3)
    assert "Ended 2007-12-31" in page.items["QR"].text(3), "retired modifiers stay visible"
    window.go_to("modifiers")
    page.tree.setCurrentItem(page.items["22"])
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Space)
    assert window.doc.case.modifiers == ["22"]
    assert "Increased procedural services" in page.detail.text()
    qtbot.keyClick(page.tree, Qt.Key.Key_Space)
    assert window.doc.case.modifiers == []


def test_inapplicable_modifier_is_explained(qtbot: Any, window: Any) -> None:
    window.open_path(EXAMPLES / "islet-medicare-no-trial-blocked.json")
    settle(qtbot, window)
    page = window.pages["modifiers"]
    assert "finding" in page.items["QR"].text(0)
    page.tree.setCurrentItem(page.items["QR"])
    assert "error" in page.detail.text()


def test_other_codes_with_modifiers_and_units(qtbot: Any, window: Any) -> None:
    window.go_to("lines")
    page = window.pages["lines"]
    type_text(qtbot, page.entry, "48160")
    press_enter(qtbot)
    assert [line.code for line in window.doc.case.extra_lines] == ["48160"]
    assert window.current_step() == "lines", "Enter in the look-up adds the code"
    page.table.item(0, 2).setText("59, xs")
    page.table.item(0, 3).setData(Qt.ItemDataRole.EditRole, 2)
    line = window.doc.case.extra_lines[0]
    assert line.modifiers == ["59", "XS"] and line.units == 2
    page.table.item(0, 2).setText("not a modifier")
    assert "Not accepted" in page.refusal.text()
    assert window.doc.case.extra_lines[0].modifiers == ["59", "XS"]
    page.table.selectRow(0)
    click(qtbot, page.remove)
    assert window.doc.case.extra_lines == []


def test_coverage_criteria_with_sources_and_links(qtbot: Any, window: Any) -> None:
    window.open_path(EXAMPLES / "islet-thp-donislecel-outpatient.json")
    settle(qtbot, window)
    page = window.pages["coverage"]
    window.go_to("coverage")
    assert page.tree.topLevelItemCount() >= 5
    texts = [page.tree.topLevelItem(i).text(4) for i in range(page.tree.topLevelItemCount())]
    assert all("THP" in source for source in texts)
    row = next(i for i in range(page.tree.topLevelItemCount())
               if page.tree.topLevelItem(i).text(3) == "Diagnoses")
    page.tree.setCurrentItem(page.tree.topLevelItem(row))
    click(qtbot, page.go)
    assert window.current_step() == "diagnoses"


def test_other_codes_carry_revenue_code_ndc_date_and_minutes(qtbot: Any, window: Any) -> None:
    window.go_to("lines")
    page = window.pages["lines"]
    type_text(qtbot, page.entry, "J3590")
    press_enter(qtbot)
    page.table.item(0, 4).setText("0636")
    page.table.item(0, 5).setText("73500-0001-01")
    page.table.item(0, 6).setText("2026-03-01")
    line = window.doc.case.extra_lines[0]
    assert (line.revenue_code, line.ndc, str(line.date_of_service)) == (
        "0636", "73500-0001-01", "2026-03-01")
    page.table.item(0, 7).setText("ninety")
    assert "Not accepted" in page.refusal.text() and window.doc.case.extra_lines[0].minutes is None
    page.table.item(0, 7).setText("90")
    assert window.doc.case.extra_lines[0].minutes == 90
    page.table.item(0, 5).setText("")
    assert window.doc.case.extra_lines[0].ndc is None


def test_the_case_step_sets_who_bills_where_and_the_products_ndc(qtbot: Any, window: Any) -> None:
    from tests.desktop.actions import choose

    page = window.pages["case"]
    choose(qtbot, page.claim_type, "Institutional")
    assert page.place_of_service.isHidden() and not page.type_of_bill.isHidden()
    choose(qtbot, page.billed_by, "Facility")
    type_text(qtbot, page.type_of_bill, "0131")
    type_text(qtbot, page.ndc, "73500-0001-01")
    page.ndc_quantity.setValue(2)
    choose(qtbot, page.ndc_unit, "UN")
    case = window.doc.case
    assert (case.billed_by, case.type_of_bill) == ("facility", "0131")
    assert case.drug is not None
    assert (case.drug.ndc, case.drug.quantity, case.drug.unit) == ("73500-0001-01", 2, "UN")
    page.claim_type.setCurrentIndex(page.claim_type.findData("professional"))
    assert not page.place_of_service.isHidden() and page.type_of_bill.isHidden()
    page.place_of_service.setCurrentIndex(page.place_of_service.findData("24"))
    assert window.doc.case.place_of_service == "24"
    window.doc.undo_stack.undo()
    assert window.doc.case.place_of_service is None and page.place_of_service.currentIndex() == 0
    type_text(qtbot, page.ndc, "")
    page.ndc_quantity.setValue(0)
    page.ndc_unit.setCurrentIndex(0)
    assert window.doc.case.drug is None


def test_a_claim_finding_leads_to_its_field(qtbot: Any, window: Any) -> None:
    page = window.pages["case"]
    window.show()
    window.go_to("case", "pos-setting")
    assert page.place_of_service.hasFocus()

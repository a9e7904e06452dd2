"""Reporting rounds: defaults from the report date, the 报送轮次 field, the archive listed by round."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QFileDialog

from actions.session import Session
from core.model import Progress, Status
from core.rounds import default_round, effective_round, round_choices
from gui.report.dialog import ReportDialog

OFFICE = "悦城镇"


@pytest.mark.parametrize(("day", "expected"), [
    (date(2019, 12, 4), "2019年全年"),  # the 2019 plan's deadline eve
    (date(2019, 11, 20), "2019年全年"),
    (date(2020, 1, 8), "2019年全年"),
    (date(2019, 7, 3), "2019年上半年"),
    (date(2019, 6, 28), "2019年上半年"),
    (date(2019, 10, 9), "2019年第三季度"),
    (date(2019, 4, 2), "2019年第一季度"),
    (date(2019, 5, 20), "2019年5月"),
    (date(2019, 11, 3), "2019年11月"),
])
def test_default_round_from_the_report_date(day, expected):
    assert default_round(day) == expected
    assert round_choices(day)[0] == expected
    assert effective_round("  ", day) == expected
    assert effective_round("2019年第二季度", day) == "2019年第二季度"


def test_choices_hold_the_years_usual_rounds():
    assert round_choices(date(2019, 12, 4)) == ["2019年全年", "2019年上半年", "2019年第一季度", "2019年第二季度",
                                                "2019年第三季度", "2019年第四季度", "2019年12月"]


def test_round_chosen_in_the_dialog_is_archived_and_listed_by_round(qtbot, store, tmp_path, monkeypatch):
    plan_id = store.current_plan_id()
    store.save_progress(plan_id, OFFICE, Progress(12, Status.DONE, 100, achievements="全年发布信息42条。"))
    dlg = ReportDialog(Session(store.path.parent, store), plan_id, store.office(OFFICE))
    qtbot.addWidget(dlg)
    dlg.open()
    settings = dlg.settings
    assert settings.round_edit.text() == ""  # nothing typed: the default for the report date, shown greyed
    assert settings.round_edit.placeholderText() == "留空时按报告日期为：2019年全年"
    assert settings.round_label() == "2019年全年"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "a.pdf"), "")))
    qtbot.waitUntil(dlg.is_ready, timeout=30_000)
    assert dlg.save_pdf() == str(tmp_path / "a.pdf")

    settings.round_combo.setCurrentIndex(settings.round_combo.findText("2019年第三季度"))
    assert settings.round_edit.text() == "2019年第三季度"
    settings.opening_edit.setPlainText("第三季度的报告。")  # another content, so another archive row
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "b.pdf"), "")))
    qtbot.waitUntil(dlg.is_ready, timeout=30_000)
    assert dlg.save_pdf() == str(tmp_path / "b.pdf")
    dlg.close()
    assert store.report_texts(plan_id, OFFICE).round_label == "2019年第三季度"
    rows = store.archived_reports(plan_id, OFFICE)
    assert [r.round_label for r in rows] == ["2019年第三季度", "2019年全年"]
    assert dlg.history.round_of(rows[0].id) == "2019年第三季度（1 份）"
    assert dlg.history.round_of(rows[1].id) == "2019年全年（1 份）"

"""The report dialog's section summaries: a draft is offered per section, edited, saved and printed."""

from __future__ import annotations

from tests.test_report_dialog import (  # noqa: F401  (fixtures)
    ACHIEVEMENT,
    OFFICE,
    WAIT_MS,
    dialog,
    pdf_text,
    plan_id,
)


def test_draft_fills_the_box_only_when_asked_and_is_saved_and_printed(qtbot, store, plan_id, dialog):  # noqa: F811
    settings = dialog.settings
    assert len(settings.section_edits) == 5
    assert all(e.toPlainText() == "" for e in settings.section_edits)  # nothing offered unseen
    assert settings.fill_draft(0)  # task 12 (section 一) has a note
    draft = settings.section_edits[0].toPlainText()
    assert draft == "办理市府办转来的舆情处置等，在镇政府网站开设政务公开专栏，全年发布信息42条。"
    assert not settings.fill_draft(1)  # no note in section 二: nothing to offer
    settings.section_edits[0].setPlainText(draft.replace("42条", "42条，点击量1.2万次"))
    settings.detail_combo.setCurrentIndex(0)  # 简要
    qtbot.waitUntil(lambda: store.report_texts(plan_id, OFFICE).summary(0).endswith("点击量1.2万次。"), timeout=WAIT_MS)
    saved = store.report_texts(plan_id, OFFICE)
    assert saved.section_summaries == ("办理市府办转来的舆情处置等，在镇政府网站开设政务公开专栏，全年发布信息42条，"
                                       "点击量1.2万次。",)
    assert saved.detailed is False
    qtbot.waitUntil(lambda: dialog.built is not None and "点击量1.2万次" in pdf_text(dialog.built.data),
                    timeout=WAIT_MS)
    text = pdf_text(dialog.built.data)
    assert "（任务12" not in text.split("三、")[0]  # 简要: the task's item is in the annex only
    settings.section_edits[0].undo()  # the clerk's edit, then the draft, can be undone
    settings.section_edits[0].undo()
    assert ACHIEVEMENT not in settings.section_edits[0].toPlainText()

"""The review grid in the import dialog: a cell edited in the grid is what gets saved, and the same file
imported again comes back with the same correction."""

from __future__ import annotations

from actions.session import Session
from gui.plan_import_dialog import PlanImportDialog
from tests.test_plan_grid import PLAN


def _open(qtbot, store, path):
    dialog = PlanImportDialog(Session(store.path.parent, store), None)
    qtbot.addWidget(dialog)
    dialog.load_file(path)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    return dialog


def test_grid_edit_saved_and_offered_again(qtbot, store, tmp_path):
    path = tmp_path / "某县方案.txt"
    path.write_text(PLAN, encoding="utf-8")
    dialog = _open(qtbot, store, path)
    grid = dialog.grid
    assert grid.table.rowCount() == 4
    assert grid.table.item(3, 7).text() == "序号1重复"
    grid.table.item(3, 0).setText("4")  # the clerk types the right number into the grid
    assert [t.number for t in dialog.plan.tasks] == [1, 2, 3, 4]
    assert grid.table.item(3, 7).text() == ""
    grid.table.item(0, 3).setText("县政务服务数据管理局")
    assert dialog.plan.tasks[0].units.lead == ("县政务服务数据管理局",)
    with qtbot.waitSignal(dialog.planSaved, timeout=5000) as saved:
        dialog.save()
    stored = store.plan(saved.args[0])
    assert [t.number for t in stored.tasks] == [1, 2, 3, 4]
    assert stored.tasks[0].units.lead == ("县政务服务数据管理局",)

    again = _open(qtbot, store, path)
    assert "2 处修改" in again.grid.note.text()
    assert again.plan.tasks == stored.tasks


def test_paste_a_table_from_the_clipboard(qtbot, store):
    from PySide6.QtWidgets import QApplication

    # setText, not setMimeData: the clipboard would own a QMimeData Python also frees (a crash at exit)
    QApplication.clipboard().setText("序号\t工作任务\t牵头单位\t责任单位\t完成时限\n"
                                     "1\t做好政务公开培训。\t区政务服务局\t各镇(街)\t6月底前\n"
                                     "2\t做好年报工作。\t区政府办\t区直各部门\t长期坚持\n")
    dialog = PlanImportDialog(Session(store.path.parent, store), None)
    qtbot.addWidget(dialog)
    dialog.paste_clipboard()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    assert [(t.text, t.units.lead, t.due_text) for t in dialog.plan.tasks] == [
        ("做好政务公开培训。", ("区政务服务局",), "6月底前"), ("做好年报工作。", ("区政府办",), "长期坚持")]
    assert dialog.grid.table.item(1, 4).text() == "区直各部门"
    QApplication.clipboard().clear()


def test_column_uses_changed_and_kept_for_the_same_file(qtbot, store, tmp_path):
    path = tmp_path / "分工表.csv"
    path.write_text("序号,工作任务,责任单位,说明\n1,做好政务公开培训工作。,各乡镇,每季度一次\n"
                    "2,做好年报工作。,县直各单位,按上级要求\n", encoding="utf-8")
    dialog = _open(qtbot, store, path)
    assert dialog.plan.tasks[0].text == "做好政务公开培训工作。\n说明：每季度一次"
    mapping = dialog.preview.columns
    changed = mapping.with_roles({3: "ignore"})
    dialog._read_with(changed, [])
    qtbot.waitUntil(lambda: dialog.plan.tasks[0].text == "做好政务公开培训工作。", timeout=10_000)
    dialog.grid.table.item(1, 3).setText("县政府办")  # a lead typed in after the column change
    with qtbot.waitSignal(dialog.planSaved, timeout=5000):
        dialog.save()
    again = _open(qtbot, store, path)
    qtbot.waitUntil(lambda: again.plan.tasks[1].units.lead == ("县政府办",), timeout=10_000)
    assert again.plan.tasks[0].text == "做好政务公开培训工作。"
    assert [c["op"] for c in again.corrections] == ["columns", "cell"]

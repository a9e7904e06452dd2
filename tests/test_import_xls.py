"""Old .xls workbooks (and WPS .et saved as .xls) through xlrd; .doc/.wps/.pdf get plain advice."""

from __future__ import annotations

import io
from datetime import date

import pytest

from core.importers import PlanImportError, import_bytes


def _xls(rows, merges=()) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("分工")
    merged = {(r, c) for r1, r2, c1, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r1, r2, c1, c2 in merges:
        sheet.write_merge(r1, r2, c1, c2, rows[r1][c1])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) not in merged and value is not None:
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [["某县2019年政务公开工作分工方案", None, None, None, None],
        ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"],
        [1, "做好政策解读工作。", "县政府办", "各乡镇", "2019年6月底前"],
        [2, "做好年报工作。", "县政府办", "县直各单位", "长期坚持"],
        [3, "推进基层公开。", "县政务服务中心", "各乡镇", "年底前"]]


@pytest.mark.parametrize("name", ["方案.xls", "方案.et"])
def test_xls_with_merged_units(name: str):
    data = _xls(ROWS, merges=[(0, 0, 0, 4), (2, 3, 2, 2)])  # 县政府办 merged over tasks 1-2
    result = import_bytes(data, name)
    plan = result.plan
    assert result.source_kind == "xls" and plan.year == 2019
    assert [(t.number, t.text, t.units.lead, t.units.responsible, t.due) for t in plan.tasks] == [
        (1, "做好政策解读工作。", ("县政府办",), ("各乡镇",), date(2019, 6, 30)),
        (2, "做好年报工作。", ("县政府办",), ("县直各单位",), None),
        (3, "推进基层公开。", ("县政务服务中心",), ("各乡镇",), date(2019, 12, 31)),
    ]
    assert plan.tasks[1].due_text == "长期坚持"


@pytest.mark.parametrize(("name", "words"), [
    ("坏的.xls", "另存为 .xlsx"), ("坏的.et", "另存为 .xlsx"), ("通知.doc", "请用 WPS 或 Word 另存为 .docx 后再导入"),
    ("通知.wps", "请用 WPS 或 Word 另存为 .docx 后再导入"),
])
def test_formats_that_need_saving_again(name: str, words: str):
    with pytest.raises(PlanImportError, match=words.replace(".", r"\.")):
        import_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, name)

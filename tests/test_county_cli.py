"""county import / status / matrix / report from the command line, with the three offices' packages."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.county_fixtures import DECHENG, EDUCATION, YUECHENG, YUECHENG_12, make_package, progress_for, three_packages


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> list[Path]:
    return three_packages(tmp_path_factory.mktemp("packages"))


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    from main import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_status_matrix_report(data_dir, capsys, packages, tmp_path):
    bad = tmp_path / "坏包.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    code, _, err = run_main(capsys, "county", "import", *map(str, packages), str(bad))
    assert code == 2
    assert "已导入：悦城镇_2019-12-04.zip（悦城镇，2019-12-04）已导入 66 条进度、3 个佐证材料文件" in err
    assert "未导入：“坏包.zip”不是有效的压缩包" in err
    assert "共 4 个文件：导入 3 个，未变化 0 个，未导入 1 个" in err
    code, _, err = run_main(capsys, "county", "import", *map(str, packages))
    assert code == 0 and "导入 0 个，未变化 3 个" in err

    code, out, _ = run_main(capsys, "county", "status", "--json")
    status = json.loads(out)
    assert code == 0
    assert [r["office"] for r in status["received"]] == [DECHENG, YUECHENG, EDUCATION]
    assert status["offices"] == {"expected": 40, "received": 3, "missing": 37}
    code, out, _ = run_main(capsys, "county", "status")
    assert "应报送 40 个单位，已报送 3 个，未报送 37 个" in out and "未报送\t新圩镇\t涉及 66 项任务" in out
    assert "不适用 1，未填写 9；完成率 52.9%" in out

    out_xlsx = tmp_path / "汇总表.xlsx"
    code, _, err = run_main(capsys, "county", "matrix", "--out", str(out_xlsx))
    assert code == 0 and "68 项任务 × 40 个单位" in err
    ws = load_workbook(out_xlsx).active
    header = [c.value for c in ws[1]]
    group = header.index(YUECHENG)
    assert header[:3] == ["序号", "部分", "工作任务"]
    assert [c.value for c in ws[2]][group:group + 6] == ["状态", "完成状况", "进度", "成效做法", "存在问题", "佐证材料"]
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == 12)
    assert row[group:group + 6] == ("已完成", "完成", 100, YUECHENG_12.achievements, YUECHENG_12.problems, 2)
    deh = header.index(DECHENG)
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == 7)  # 德城街道 left 7 out
    assert row[deh:deh + 6] == ("未填写", "未填写", None, None, None, 0)
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == 13)
    assert row[deh:deh + 3] == ("已完成", "完成", 100)
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == 14)  # 县教育局: 持续推进
    assert row[header.index(EDUCATION):header.index(EDUCATION) + 2] == ("持续推进", "序时推进")
    assert row[header.index("新圩镇（未报送）")] == "未报送（负责）"
    missing = list(load_workbook(out_xlsx)["未报送单位"].iter_rows(values_only=True))
    assert missing[0] == ("单位", "类别", "涉及任务数") and ("新圩镇", "镇（街道）", 66) in missing
    assert len(missing) == 1 + 37

    lead_xlsx = tmp_path / "牵头.xlsx"
    code, _, err = run_main(capsys, "county", "matrix", "--out", str(lead_xlsx), "--lead", EDUCATION, "--overdue")
    rows = [r[0] for r in load_workbook(lead_xlsx).active.iter_rows(min_row=3, values_only=True)]
    # of the four tasks it leads, those with an open task past its due date today: 8 (县教育局: 未开始) and 35
    # (悦城镇: 未开始); 34 is 持续推进, never overdue; 65 is done by 县教育局 and no town's
    assert code == 0 and rows == [8, 35]
    code, _, err = run_main(capsys, "county", "matrix", "--out", str(lead_xlsx), "--section", "9")
    assert code == 2 and "方案只有 5 个部分" in err

    out_pdf = tmp_path / "汇总报告.pdf"
    code, _, err = run_main(capsys, "county", "report", "--out", str(out_pdf), "--date", "2019-12-10",
                            "--fonts", "bundled")
    assert code == 0 and "（县府办，" in err and out_pdf.read_bytes().startswith(b"%PDF-")
    code, _, err = run_main(capsys, "county", "report", "--out", str(tmp_path / "x.txt"))
    assert code == 2 and "应以 .pdf 或 .docx 结尾" in err


def test_matrix_xlsx_writes_formula_like_text_as_text(data_dir, capsys, tmp_path):
    hostile = {"=HYPERLINK(\"http://x\",\"点我\")": 12, "+1+2": 13, "-3": 14, "@SUM(A1)": 15}
    progress = progress_for(YUECHENG)
    for text, task in hostile.items():
        progress[task] = replace(YUECHENG_12, task=task, achievements=text)
    package = make_package(tmp_path, YUECHENG, progress=progress)
    assert run_main(capsys, "county", "import", str(package))[0] == 0
    out = tmp_path / "m.xlsx"
    assert run_main(capsys, "county", "matrix", "--out", str(out), "--kind", "town")[0] == 0
    ws = load_workbook(out).active
    group = [c.value for c in ws[1]].index(YUECHENG)
    for text, task in hostile.items():
        row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == task)
        cell = row[group + 3]
        assert (cell.value, cell.data_type) == (text, "s"), text
    assert "县教育局" not in [c.value for c in ws[1]]  # --kind town

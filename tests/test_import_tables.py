"""Table sources: docx (vMerge, gridSpan, numbered paragraphs), xlsx merged ranges, csv, html."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from core.importers import import_plan
from tests import builders as b

TITLE = "德庆县2023年政务公开工作要点分工方案"


def _write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    f = tmp_path / name
    f.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return f


def test_docx_table_with_vmerge_and_gridspan(tmp_path: Path):
    rows = [
        [b.cell("工作任务"), b.cell("具体要求"), b.cell("牵头及责任单位")],
        [b.cell("一、加强政策解读", span=3)],
        [b.cell("(一)解读重要政策", vmerge="restart"), b.cell("1.做好重要政策解读。"),
         b.cell("县府办牵头，各镇政府负责", vmerge="restart")],
        [b.cell(vmerge="continue"), b.cell("2.规范性文件同步解读。"), b.cell(vmerge="continue")],
        [b.cell("(二)回应关切"), b.cell("3.做好舆情回应。"), b.cell("县委网信办牵头，县各部门负责")],
        [b.cell("二、推进决策公开", span=3)],
        [b.cell("(一)决策公开"), b.cell("4.推进重大决策预公开。"), b.cell("司法所")],
    ]
    body = b.para(TITLE) + b.table(rows)
    r = import_plan(_write(tmp_path, "plan.docx", b.docx(body)))
    p = r.plan
    assert r.source_kind == "docx"
    assert p.title == TITLE and p.year == 2023
    assert [t.number for t in p.tasks] == [1, 2, 3, 4]
    assert [s.title for s in p.sections] == ["加强政策解读", "推进决策公开"]
    assert [(s.section, s.title) for s in p.subsections] == [(0, "解读重要政策"), (0, "回应关切"), (1, "决策公开")]
    assert p.task(1).text == "做好重要政策解读。"
    assert p.task(2).units == p.task(1).units and p.task(2).units_inherited
    assert p.task(1).units.lead == ("县府办",)
    assert p.task(1).units.responsible == ("各镇政府(街道办)",)
    assert p.task(3).units.responsible == ("县各部门单位",)
    assert p.task(4).units.responsible == ("司法所",)
    assert p.subsection_label(p.task(2)) == "(一)解读重要政策"


def test_docx_numbered_paragraphs_with_auto_numbering(tmp_path: Path):
    body = (b.para(TITLE) + b.para("加强组织领导", num=(1, 0)) + b.para("成立工作专班。", num=(1, 1))
            + b.para("党政综合办牵头，各村委会负责") + b.para("定期研究部署。", num=(1, 1))
            + b.para("做好培训。", num=(1, 1)) + b.para("司法所负责"))
    p = import_plan(_write(tmp_path, "plan.docx", b.docx(body, b.decimal_numbering()))).plan
    assert [t.number for t in p.tasks] == [1, 2, 3]
    assert p.sections[0].title == "加强组织领导"
    assert p.task(2).units.lead == ("党政综合办",) and p.task(2).units_inherited
    assert p.task(3).units.responsible == ("司法所",)


def test_docx_typed_numbers(tmp_path: Path):
    body = (b.para("一、公开工作") + b.para("1.做好公开。（牵头单位：党政综合办；责任单位：各村委会）")
            + b.para("2.更新公开栏。"))
    p = import_plan(_write(tmp_path, "x.docx", b.docx(body))).plan
    assert len(p.tasks) == 2 and p.task(2).units.lead == ("党政综合办",)


def test_xlsx_merged_ranges_and_header(tmp_path: Path):
    rows = [
        [TITLE, None, None, None],
        ["工作要求", "一级要点", "二级要点", "责任单位"],
        ["1.做好政策解读。", "加强政策解读", "解读重要政策", "县府办牵头，各镇政府负责"],
        ["2.同步解读规范性文件。", None, None, None],
        ["3.做好舆情回应。", None, "回应社会关切", "县委网信办牵头"],
        ["4.推进决策预公开。", "推进决策公开", "决策公开", "党政综合办、司法所"],
    ]
    data = b.xlsx(rows, merges=("A1:D1", "B3:B5", "C3:C4", "D3:D4"))
    r = import_plan(_write(tmp_path, "plan.xlsx", data))
    p = r.plan
    assert r.source_kind == "xlsx"
    assert p.title == TITLE
    assert [t.number for t in p.tasks] == [1, 2, 3, 4]
    assert [s.title for s in p.sections] == ["加强政策解读", "推进决策公开"]
    assert [s.title for s in p.subsections] == ["解读重要政策", "回应社会关切", "决策公开"]
    assert p.task(2).units == p.task(1).units and p.task(2).units_inherited
    assert p.task(3).units.lead == ("县委网信办",)
    assert p.task(4).units.responsible == ("党政综合办", "司法所")
    assert p.task(4).section == 1


def test_xlsx_separate_role_columns(tmp_path: Path):
    rows = [["序号", "任务", "牵头单位", "配合单位", "完成时限"],
            [1, "做好村务公开。", "党政综合办", "各村委会", "2023年12月"],
            [2.0, "开展普法宣传。", "司法所", None, None]]
    p = import_plan(_write(tmp_path, "t.xlsx", b.xlsx(rows))).plan
    assert p.task(1).text == "做好村务公开。"
    assert (p.task(1).due, p.task(1).due_text) == (date(2023, 12, 31), "2023年12月")
    assert p.task(1).units.lead == ("党政综合办",) and p.task(1).units.cooperating == ("各村(社区)",)
    assert p.task(1).units.raw == "牵头单位：党政综合办；配合单位：各村委会"
    assert p.task(2).units.lead == ("司法所",) and not p.task(2).units_inherited


CSV = """序号,任务,责任部门
1,做好政务公开培训。,党政综合办
2,更新公开栏内容。,"党政综合办牵头,各村委会负责"
4,规范便民服务中心办事指南。,便民服务中心
"""


def test_csv_gbk_with_gap(tmp_path: Path):
    r = import_plan(_write(tmp_path, "plan.csv", CSV, "gbk"))
    p = r.plan
    assert r.source_kind == "csv"
    assert [t.number for t in p.tasks] == [1, 2, 4]
    assert p.task(1).units.responsible == ("党政综合办",)
    assert p.task(2).units.lead == ("党政综合办",) and p.task(2).units.responsible == ("各村(社区)",)
    assert any("2 之后是 4" in w for w in r.warnings)


def test_csv_bom_header_never_a_task(tmp_path: Path):
    p = import_plan(_write(tmp_path, "plan.csv", CSV, "utf-8-sig")).plan
    assert all("序号" not in t.text for t in p.tasks) and len(p.tasks) == 3


HTML = """<!DOCTYPE html><html><head><title>通知</title><style>td{color:red}</style>
<script>var x = "1.不是任务";</script></head><body>
<nav><a href="/">首页</a> 1.导航</nav>
<p>来源:官圩镇人民政府 点击数:12</p>
<h1>官圩镇2024年政务公开工作要点分工方案</h1>
<table>
<tr><th>工作任务</th><th>具体要求</th><th>牵头及责任单位</th></tr>
<tr><td colspan="3">一、加强政策解读</td></tr>
<tr><td rowspan="2">(一)解读政策</td><td>1.做好政策解读。</td><td rowspan="2">党政综合办牵头,各村委会负责</td></tr>
<tr><td>2.做好回应。</td></tr>
<tr><td>(二)公开栏</td><td>3.更新公开栏。</td><td>司法所</td></tr>
</table>
<div class="footer">微信扫一扫</div></body></html>"""


def test_html_table_with_spans(tmp_path: Path):
    r = import_plan(_write(tmp_path, "page.html", HTML))
    p = r.plan
    assert r.source_kind == "html"
    assert p.title == "官圩镇2024年政务公开工作要点分工方案" and p.year == 2024
    assert [t.number for t in p.tasks] == [1, 2, 3]
    assert p.task(2).units.lead == ("党政综合办",) and p.task(2).units_inherited
    assert p.task(3).units.responsible == ("司法所",)
    assert [s.title for s in p.subsections] == ["解读政策", "公开栏"]


def test_html_page_as_text(tmp_path: Path):
    text = "<html><body><p>德庆县2020年政务公开工作要点分工方案</p><p>一、加强解读</p><p>1.做好解读。</p>" \
           "<p>县府办牵头</p><p>2.做好回应。</p><script>3.假任务</script></body></html>"
    p = import_plan(_write(tmp_path, "p.htm", text, "gb18030")).plan
    assert [t.number for t in p.tasks] == [1, 2]
    assert p.task(2).units.lead == ("县府办",)


def test_2019_plan_rebuilt_as_docx_table_reads_back_the_same(tmp_path: Path):

    from core.importers import import_text as _import_text

    notice = Path(__file__).resolve().parent.parent / "resources" / "plans" / "deqing-2019-notice.txt"
    plan = _import_text(notice.read_text(encoding="utf-8")).plan
    rows = [[b.cell("工作任务"), b.cell("具体要求"), b.cell("牵头及责任单位")]]
    last_sec = last_sub = None
    for t in plan.tasks:
        if t.section != last_sec:
            rows.append([b.cell(plan.section_label(t), span=3)])
            last_sec, last_sub = t.section, None
        sub_cell = b.cell(vmerge="continue") if t.subsection == last_sub else \
            b.cell(plan.subsection_label(t), vmerge="restart")
        last_sub = t.subsection
        unit_cell = b.cell(vmerge="continue") if t.units_inherited else b.cell(t.units.raw, vmerge="restart")
        rows.append([sub_cell, b.cell(f"{t.number}.{t.text}"), unit_cell])
    back = import_plan(_write(tmp_path, "2019.docx", b.docx(b.para(plan.title) + b.table(rows)))).plan
    assert len(back.tasks) == 68 and len(back.sections) == 5 and len(back.subsections) == 15
    for old, new in zip(plan.tasks, back.tasks, strict=True):
        assert (new.number, new.text, new.units, new.units_inherited, new.section, new.subsection) == \
            (old.number, old.text, old.units, old.units_inherited, old.section, old.subsection)

"""Plan tables: no column is lost, the mapping is shown and can be changed; limits are named
(issue 11, items 5 and 6, and the size and count limits)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.importers import PlanImportError, import_bytes, import_plan
from core.importers import columns as col
from tests import builders as b

GROUPS = {
    "强化政策解读": ["围绕重大政策，由主要负责人通过新闻发布会、访谈等方式解读，全年不少于4次。",
                     "政策文件与解读材料同步起草、同步审签、同步发布，做到应解读尽解读。"],
    "回应社会关切": ["建立健全舆情收集、研判、处置和回应机制，对涉及本镇的重要舆情及时回应。",
                     "办好镇政府门户网站留言栏目，群众留言办理时限不超过10个工作日。",
                     "梳理群众反映集中的问题，每季度集中答复一次并在网站公开。"],
}


def town_rows() -> list[list[str]]:
    """工作任务 | 具体内容 | 责任部门: the group repeats down its rows, the content is the task."""
    rows = [["工作任务", "具体内容", "责任部门"]]
    for group, items in GROUPS.items():
        rows += [[group, item, "党政办"] for item in items]
    return rows


def town_docx() -> bytes:
    """The same table as Word makes it: the group cell merged down over its rows."""
    rows = [[b.cell(h) for h in town_rows()[0]]]
    for group, items in GROUPS.items():
        for i, item in enumerate(items):
            rows.append([b.cell(group, vmerge="restart") if i == 0 else b.cell(vmerge="continue"),
                         b.cell(item), b.cell("党政办")])
    return b.docx(b.para("悦城镇2020年政务公开工作任务分解表") + b.table(rows))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", ["docx", "csv", "xlsx"])
def test_unknown_content_column_becomes_the_task_text(tmp_path, kind):
    if kind == "docx":
        data = town_docx()
    elif kind == "csv":
        data = "\n".join(",".join(r) for r in town_rows()).encode("utf-8")
    else:
        data = b.xlsx(town_rows())
    result = import_plan(write(tmp_path, f"town.{kind}", data))
    plan = result.plan
    assert [t.text for t in plan.tasks] == [item for items in GROUPS.values() for item in items]
    assert [s.title for s in plan.sections] == list(GROUPS)
    assert [plan.sections[t.section].title for t in plan.tasks] == ["强化政策解读"] * 2 + ["回应社会关切"] * 3
    assert {t.units.responsible for t in plan.tasks} == {("党政办",)}
    assert result.columns is not None
    assert result.columns.roles == (col.SECTION, col.TEXT, col.RESPONSIBLE)
    assert result.columns.describe() == ["第 1 列“工作任务”：分组标题（一级）", "第 2 列“具体内容”：任务内容",
                                         "第 3 列“责任部门”：责任单位"]


def test_unknown_column_is_kept_under_the_task_and_named_in_a_warning(tmp_path):
    rows = [["序号", "具体要求", "牵头单位", "工作目标"],
            ["1", "做好政策解读工作。", "县府办", "全年解读4次"],
            ["2", "做好舆情回应工作。", "县府办", ""]]
    result = import_plan(write(tmp_path, "plan.csv", "\n".join(",".join(r) for r in rows).encode()))
    assert [t.text for t in result.plan.tasks] == ["做好政策解读工作。\n工作目标：全年解读4次", "做好舆情回应工作。"]
    assert any("第 4 列“工作目标”不是已知的列名" in w for w in result.warnings)
    assert result.columns is not None and result.columns.roles[3] == col.EXTRA


def test_explicit_mapping_changes_what_is_read(tmp_path):
    path = write(tmp_path, "town.docx", town_docx())
    detected = import_plan(path).columns
    assert detected is not None
    # the clerk says: the first column is only a note, not a heading
    mapping = detected.with_roles({"工作任务": col.NOTE})
    result = import_plan(path, mapping=mapping)
    assert result.columns == mapping
    assert len(result.plan.sections) == 1
    assert result.plan.tasks[0].text == GROUPS["强化政策解读"][0] + "\n备注：强化政策解读"
    dropped = import_plan(path, mapping=detected.with_roles({0: col.IGNORE}))
    assert dropped.plan.tasks[2].text == "建立健全舆情收集、研判、处置和回应机制，对涉及本镇的重要舆情及时回应。"
    with pytest.raises(PlanImportError, match="必须有且只有一列用作“任务内容”"):
        import_plan(path, mapping=detected.with_roles({1: col.EXTRA}))
    with pytest.raises(ValueError, match="未知的列用途"):
        detected.with_roles({1: "title"})


def test_xlsx_past_the_row_limit_says_so(tmp_path):
    rows = [["序号", "具体要求", "责任单位"]]
    rows += [[str(i), f"第{i}项工作要求。", "县府办"] for i in range(1, 5_006)]  # the README's 5,005 rows
    assert len(rows) == 5_006
    result = import_plan(write(tmp_path, "long.xlsx", b.xlsx(rows)))
    assert len(result.plan.tasks) == 4_999  # 5,000 rows read, the header one of them (figures, not the constant)
    assert any("超过 5,000 行的上限" in w and "6 行有内容的行没有导入" in w for w in result.warnings)


def deflated_docx(xml_body: str, parts: dict[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", b.CONTENT_TYPES)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{b.W_NS}">'
                                        f"<w:body>{xml_body}</w:body></w:document>")
        for name, text in (parts or {}).items():
            z.writestr(name, text)
    return buf.getvalue()


def test_docx_with_a_huge_body_is_refused_by_its_declared_size(tmp_path):
    data = deflated_docx(b.para("1.做好工作。") + " " * (20 * 1024 * 1024 + 1))  # the README's 20 MB
    assert len(data) < 100 * 1024  # a small file that would inflate past the limit
    with pytest.raises(PlanImportError) as err:
        import_plan(write(tmp_path, "big.docx", data))
    assert "太大" in str(err.value) and "20 MB 的上限" in str(err.value) and "损坏" not in str(err.value)


def test_tiny_docx_claiming_209715_tasks_is_refused_naming_the_limit(tmp_path):
    numbered = '<w:p><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>做好。</w:t></w:r></w:p>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", b.CONTENT_TYPES)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{b.W_NS}">'
                                        f"<w:body>{numbered * 209_715}</w:body></w:document>")
        z.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{b.W_NS}">{b.decimal_numbering()}</w:numbering>')
    data = buf.getvalue()
    assert len(data) < 100 * 1024
    with pytest.raises(PlanImportError, match="超过 100,000 的上限"):
        import_bytes(data, "tiny.docx")


def test_task_count_limit_is_named_for_text_and_tables():
    text = "德庆县2020年工作要点分工方案\n一、总体要求\n" + "".join(f"{i}.做好第{i}项工作。\n" for i in range(1, 5_003))
    with pytest.raises(PlanImportError, match="超过 5,000 条的上限"):
        import_bytes(text.encode(), "many.txt")
    rows = [["序号", "具体要求", "责任单位"]] + [[str(i), f"第{i}项。", "县府办"] for i in range(1, 5_002)]
    with pytest.raises(PlanImportError, match="超过 5,000 条的上限"):
        import_bytes("\n".join(",".join(r) for r in rows).encode(), "many.csv")


WORDS = st.text(st.sampled_from("政务公开落实台账解读回应舆情网站留言办理规范标准镇村"), min_size=2, max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["工作目标", "考核指标", "具体内容", "说明", "工作事项"]), min_size=1, max_size=3,
                unique=True),
       st.lists(st.tuples(WORDS, st.lists(WORDS, min_size=3, max_size=3)), min_size=1, max_size=8))
def test_no_cell_of_an_unknown_column_is_lost(unknown, rows):
    """Whatever unknown columns a table has, each of their cells ends up in the plan."""
    from core.importers.table import cells, read_table

    header = ["序号", "具体要求", *unknown, "责任单位"]
    grid = [header] + [[str(i + 1), text, *extra[: len(unknown)], "县府办"] for i, (text, extra) in enumerate(rows)]
    read = read_table(cells(grid))
    assert read is not None
    plan, mapping = read
    kept = "\n".join([t.text for t in plan.tasks] + [s.title for s in plan.sections]
                     + [s.title for s in plan.subsections])
    for row in grid[1:]:
        for c in range(2, 2 + len(unknown)):
            assert row[c] in kept, (mapping.describe(), row[c])
    assert col.IGNORE not in mapping.roles

"""The matrix's filters, the status summary and the 汇总 report, against the three offices' fixtures."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
from pypdf import PdfReader

from actions import county
from actions.session import Session
from core.model import OfficeKind
from core.report.document import BlockKind
from core.tracking import NEVER_OVERDUE
from tests.county_fixtures import (
    DECHENG,
    EDUCATION,
    YUECHENG,
    assigned,
    progress_for,
    three_packages,
)

TODAY = date(2019, 12, 10)


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    s = Session.open(tmp_path_factory.mktemp("data"), auto_backup=False)
    summary = county.import_packages(s, three_packages(tmp_path_factory.mktemp("packages")))
    assert summary.ok
    yield s
    s.close()


def test_status_counts_match_the_fixtures(session):
    """Counts by status of what each office filled, 未填写 apart (德城街道 left every 7th task out), and the
    rate the 汇总 prints (percent_text, one decimal): the same figures as the report's 总体情况."""
    status = county.county_status(session, TODAY)
    per_office = {r["office"]: r for r in status["received"]}
    deh = per_office[DECHENG]
    assert {k: v for k, v in deh["counts"].items() if v} == {"done": 38, "in_progress": 19}
    assert (deh["unfilled"], deh["done"], deh["done_total"], deh["done_rate"], deh["done_percent"]) == (
        9, 38, 66, "57.6%", 57.6)
    assert deh["unfilled"] == len(assigned(DECHENG) - set(progress_for(DECHENG))) == 9
    yue = per_office[YUECHENG]
    assert yue["counts"] == {"done": 34, "ongoing": 10, "in_progress": 11, "not_started": 10,
                             "not_applicable": 1}
    assert (yue["unfilled"], yue["done_total"], yue["done_rate"]) == (0, 65, "52.3%")
    edu = per_office[EDUCATION]
    assert (edu["counts"]["not_started"], edu["unfilled"], edu["done_rate"]) == (15, 0, "48.3%")
    assert status["counts"] == {"done": 101, "ongoing": 26, "in_progress": 30, "not_started": 25,
                                "not_applicable": 1}
    assert (status["unfilled"], status["done"], status["done_total"], status["done_rate"]) == (
        9, 101, 191, "52.9%")
    assert sum(status["counts"].values()) + status["unfilled"] == 66 + 66 + 60
    assert status["offices"] == {"expected": 40, "received": 3, "missing": 37}
    missing = {r["office"]: r["assigned"] for r in status["missing"]}
    assert missing["新圩镇"] == 66 and missing["县府办"] == 62 and missing["县财政局"] == 62
    assert per_office[YUECHENG]["file_name"] == "悦城镇_2019-12-04.zip" and not per_office[YUECHENG]["late"]


def test_matrix_cells_say_unfilled_apart_from_not_started(session):
    from core.county.matrix import cell_text, cell_tooltip

    m = county.matrix(session, TODAY)
    cell = m.cell(7, DECHENG)  # reported, no entry for task 7
    assert (cell.reported, cell.filled, cell.label, cell.county_word) == (True, False, "未填写", "未填写")
    assert cell_text(cell) == "未填写" and "此项未填写" in cell_tooltip(cell, DECHENG, 7)
    assert cell_text(m.cell(12, DECHENG)) == "推进中 60% ★ 证1"
    assert m.cell(12, DECHENG).county_word == "序时推进" and m.cell(12, YUECHENG).county_word == "完成"
    assert cell_text(m.cell(4, EDUCATION)) == "未开始 逾期"  # due 2019-10-31, open on 2019-12-10
    assert cell_text(m.cell(1, "新圩镇")) == "未报送" and not m.cell(1, "新圩镇").reported
    assert m.standing(DECHENG).unfilled_tasks == tuple(n for n in sorted(assigned(DECHENG)) if n % 7 == 0)


def test_matrix_filters(session):
    m = county.matrix(session, TODAY)
    towns = m.filtered(kind=OfficeKind.TOWN)
    assert len(towns.columns) == 13 and [c.name for c in towns.received] == [DECHENG, YUECHENG]
    assert len(m.filtered(kind=OfficeKind.DEPARTMENT).columns) == 27
    first = m.filtered(section=0)
    assert [t.number for t in first.tasks] == list(range(1, 17))
    # 县教育局 set every task due 2019-10-31: its open tasks (not done, ongoing or n/a) are overdue on 2019-12-10
    overdue = m.filtered(overdue=True)
    open_tasks = {n for n, p in progress_for(EDUCATION).items() if p.status not in NEVER_OVERDUE}
    assert {t.number for t in overdue.tasks} == open_tasks
    assert m.filtered(kind=OfficeKind.TOWN, overdue=True).tasks == ()
    lead = county.scoped(session, m, lead=EDUCATION)
    assert len(lead.tasks) == 4  # 县教育局 leads 4 of the 68 tasks


def filled_counts(offices: tuple[str, ...]) -> tuple[Counter, int]:
    """Statuses of the entries the offices wrote, and how many assigned tasks they left without one."""
    statuses: Counter = Counter()
    unfilled = 0
    for office in offices:
        progress = progress_for(office)
        statuses += Counter(p.status.value for n, p in progress.items() if n in assigned(office))
        unfilled += len(assigned(office) - set(progress))
    return statuses, unfilled


def test_summary_report_content(session):
    collector = county.collector_for(session, None, None)
    assert collector.name == "县府办"
    report = county.build_report(session, collector=collector, report_date=TODAY, fonts="bundled")
    c = report.content
    assert c.title == "德庆县人民政府办公室关于德庆县2019年政务公开工作要点分工方案落实情况的报告"
    blocks = c.blocks
    assert blocks[1].kind is BlockKind.RECIPIENT and blocks[1].text == "德庆县人民政府："
    assert [b.text for b in blocks if b.kind is BlockKind.H1] == [
        "一、总体情况", "二、主要成效做法", "三、存在的共性问题", "四、各单位报送情况", "五、下一步工作"]
    statuses, unfilled = filled_counts((YUECHENG, DECHENG, EDUCATION))
    overview = blocks[4].text
    # 县府办 collects: it is not one of the offices expected to report to it (40 columns, 39 expected).
    assert "39个责任单位中，已报送3个（7.7%），尚未报送36个" in overview
    assert (f"已完成{statuses['done']}项次、持续推进{statuses['ongoing']}项次、"
            f"推进中{statuses['in_progress']}项次、未开始{statuses['not_started']}项次、"
            f"不适用{statuses['not_applicable']}项次、未填写{unfilled}项次") in overview
    assert (statuses["done"], unfilled) == (101, 9)
    assert "完成率52.9%（不含不适用）" in overview  # 101 of 192 - 1
    assert blocks[5].text == ("分单位类别看，镇（街道）应报送13个，已报送2个，任务完成率55.0%；县直部门应报送26个，"
                              "已报送1个，任务完成率48.3%。")
    text = "\n".join(b.text for b in blocks)
    # figures by section and by kind of office
    assert ("本部分16项任务，已报送单位承担48项次，已完成25项次，完成率52.1%"
            "（镇（街道）完成率53.1%，县直部门完成率50.0%）。") in text
    assert "新圩镇（涉及66项任务）" in text and "县府办（涉及" not in text and "共36个单位" in text
    assert c.signature.signer == "德庆县人民政府办公室" and c.signature.date_text == "2019年12月10日"
    pdf = PdfReader(io.BytesIO(report.data))
    assert len(pdf.pages) == report.pages > 3
    first = pdf.pages[0].extract_text().replace("\n", "").replace(" ", "")
    assert "德庆县人民政府办公室关于德庆县2019年政务公开" in first and "德庆县人民政府：" in first
    assert report.missing == frozenset()


def test_achievements_name_the_offices_in_the_third_person_within_the_length(session):
    collector = session.office("县府办")
    long = county.compose_report(session, collector=collector, report_date=TODAY, section_chars=5000)
    text = "\n".join(b.text for b in long.blocks)
    assert "悦城镇全年办理市府办转来的网民留言12件，按时办结率100%，群众满意率95%" in text
    # 镇党政办 / 街道党工委办 / 局办公室 after the office's name: its ending is not repeated
    assert "悦城镇党政办牵头制定工作方案" in text and "德城街道党工委办牵头制定工作方案" in text
    assert "县教育局办公室牵头制定工作方案" in text
    for word in ("我镇", "我街道", "我局", "悦城镇镇", "德城街道街道", "县教育局局", "…", "，，"):
        assert word not in text, word
    short = county.compose_report(session, collector=collector, report_date=TODAY, section_chars=120)
    items = [b.text for b in short.blocks if b.kind is BlockKind.BODY and "已报送做法" in b.text]
    assert len(items) == 5  # one per section
    for item in items:
        body, _, rest = item.partition("另有")
        assert len(body) <= 120 + 10 and (not rest or rest.endswith("项任务的做法详见各单位报告。"))
    # one item fits in 120 characters: no 一是
    assert items[0].startswith("重要政策措施解读工作，德城街道、悦城镇、县教育局已报送做法，德城街道党工委办")
    assert items[0].endswith("另有15项任务的做法详见各单位报告。")
    assert len("".join(items)) < len("".join(b.text for b in long.blocks if "已报送做法" in b.text))


def test_problems_are_grouped_by_theme_across_offices(session):
    c = county.compose_report(session, collector=session.office("县府办"), report_date=TODAY)
    part = [b.text for b in c.blocks if b.kind is BlockKind.BODY]
    grouped = next(x for x in part if x.startswith("从各单位报送情况看，主要存在以下问题："))
    # 悦城镇 "专业人员力量不足", 县教育局 "专业人员不足", 德城街道 "信息员队伍不稳定": one theme, three offices.
    assert "一是人员力量不足，悦城镇、县教育局、德城街道反映，涉及60项任务，如“专业人员力量不足”" in grouped
    assert "二是信息更新不够及时，悦城镇、县教育局反映，涉及58项任务" in grouped
    assert "跨部门事项办理周期长，悦城镇反映，涉及1项任务，如“个别留言涉及跨部门事项”" in grouped
    assert "县教育局反映：" not in "".join(part)  # no list per office any more


def test_third_person_rules():
    from core.county.report import led_by, third_person, tidy

    assert third_person("我局主要负责同志听取汇报2次。", "县教育局") == "县教育局主要负责同志听取汇报2次。"
    assert third_person("县教育局局主要负责同志，，带队", "县教育局") == "县教育局主要负责同志，带队"
    assert third_person("本镇在镇政府网站开设专栏", "悦城镇") == "悦城镇在镇政府网站开设专栏"
    assert led_by("悦城镇", "镇党政办牵头") == "悦城镇党政办牵头"
    assert led_by("德城街道", "街道党工委办牵头") == "德城街道党工委办牵头"
    assert led_by("悦城镇", "全年发布信息42条") == "悦城镇全年发布信息42条"
    assert tidy("共，，3条；，") == "共，3条；"


def test_lead_report_covers_only_the_tasks_the_office_leads(session):
    collector = session.office(EDUCATION)
    report = county.build_report(session, collector=collector, report_date=TODAY, lead=True, fonts="bundled")
    c = report.content
    assert c.title == "德庆县教育局关于德庆县2019年政务公开工作要点分工方案牵头任务落实情况的报告"
    assert c.blocks[1].text == "县府办（政务信息股）："  # printed punctuation
    assert "我局牵头的4项任务涉及39个责任单位" in c.blocks[2].text
    text = "\n".join(b.text for b in c.blocks)
    # tasks 8 (section 一), 34 and 35 (三), 65 (五); 县教育局 is the collector: never late or missing
    assert [b.text for b in c.blocks if b.kind is BlockKind.H2] == [
        "（一）着眼稳定预期，加强政策解读和回应关切", "（二）聚焦政策落实，深化重点领域信息公开",
        "（三）提升工作质量，完善公开制度规范"]
    assert "加强舆情监测、研判、回应，德城街道、悦城镇已报送做法" in text
    assert "县教育局（涉及" not in text and "县府办（涉及62项任务）" in text


def test_docx_is_the_same_content_through_the_office_word_writer(session):
    import io

    from docx import Document

    report = county.build_report(session, collector=session.office("县府办"), report_date=TODAY, fmt="docx")
    assert report.fmt == "docx" and report.data.startswith(b"PK")
    text = "\n".join(p.text for p in Document(io.BytesIO(report.data)).paragraphs)
    assert report.content.title.replace("\n", "") in text.replace("\n", "")
    assert "德庆县人民政府" in text and "一、总体情况" in text


def test_a_related_task_left_unfilled_stays_out_of_the_county_rate(tmp_path):
    """县教育局 is only 相关 to task 11 and 负责 for task 1: leaving both out makes task 1 未填写 (counted) and
    task 11 not counted at all — the same rule as the office's own report (core.tracking.standing)."""
    from core.assign import roles_for
    from core.model import Role
    from core.tracking import standing
    from tests.county_fixtures import make_package, office
    from tests.report_fixtures import real_plan

    roles = roles_for(real_plan(), office(EDUCATION), {})
    assert (roles[11], roles[1]) == (Role.RELATED, Role.RESPONSIBLE)
    progress = {n: p for n, p in progress_for(EDUCATION).items() if n not in (1, 11)}
    s = Session.open(tmp_path / "data", auto_backup=False)
    try:
        assert county.import_packages(s, [make_package(tmp_path / "p", EDUCATION, progress=progress)]).ok
        [row] = county.county_status(s, TODAY)["received"]
        # 60 assigned: 58 filled, task 1 未填写, task 11 out; 29 done less tasks 1 and 11 → 27 of 59
        assert (sum(row["counts"].values()), row["unfilled"], row["done"], row["done_total"]) == (58, 1, 27, 59)
        assert row["done_rate"] == "45.8%" == standing(roles, progress).rate_text
        m = county.matrix(s, TODAY)
        assert m.cell(11, EDUCATION).label == "未填写" and not m.cell(11, EDUCATION).counted
        assert m.cell(1, EDUCATION).counted
    finally:
        s.close()

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


def expected_counts(office: str) -> Counter:
    """From the fixtures: each assigned task's status as the office wrote it, 未开始 when it wrote nothing."""
    progress = progress_for(office)
    return Counter(progress[n].status.value if n in progress else "not_started" for n in assigned(office))


def test_status_counts_match_the_fixtures(session):
    status = county.county_status(session, TODAY)
    per_office = {r["office"]: r for r in status["received"]}
    for office in (YUECHENG, DECHENG, EDUCATION):
        got = {k: v for k, v in per_office[office]["counts"].items() if v}
        assert got == dict(expected_counts(office)), office
    total = expected_counts(YUECHENG) + expected_counts(DECHENG) + expected_counts(EDUCATION)
    assert {k: v for k, v in status["counts"].items() if v} == dict(total)
    assert sum(status["counts"].values()) == 66 + 66 + 60
    assert status["done"] == total["done"]
    assert status["done_total"] == 66 + 66 + 60 - total["not_applicable"]
    assert status["offices"] == {"expected": 40, "received": 3, "missing": 37}
    missing = {r["office"]: r["assigned"] for r in status["missing"]}
    assert missing["新圩镇"] == 66 and missing["县府办"] == 62 and missing["县财政局"] == 62
    assert per_office[YUECHENG]["file_name"] == "悦城镇_2019-12-04.zip" and not per_office[YUECHENG]["late"]


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
    total = expected_counts(YUECHENG) + expected_counts(DECHENG) + expected_counts(EDUCATION)
    overview = blocks[4].text
    assert "40个责任单位中，已报送3个（8%），尚未报送37个" in overview
    assert f"已完成{total['done']}项次" in overview and f"未开始{total['not_started']}项次" in overview
    text = "\n".join(b.text for b in blocks)
    assert "悦城镇全年办理市府办转来的网民留言12件" in text
    assert "新圩镇（涉及66项任务）" in text and "县府办（涉及62项任务）" in text
    assert "县教育局反映：专业人员不足，教育系统各学校信息公开栏目更新不及时（涉及任务3、6、9、" in text
    assert c.signature.signer == "德庆县人民政府办公室" and c.signature.date_text == "2019年12月10日"
    pdf = PdfReader(io.BytesIO(report.data))
    assert len(pdf.pages) == report.pages > 3
    first = pdf.pages[0].extract_text().replace("\n", "").replace(" ", "")
    assert "德庆县人民政府办公室关于德庆县2019年政务公开" in first and "德庆县人民政府：" in first
    assert report.missing == frozenset()


def test_lead_report_covers_only_the_tasks_the_office_leads(session):
    collector = session.office(EDUCATION)
    report = county.build_report(session, collector=collector, report_date=TODAY, lead=True, fonts="bundled")
    c = report.content
    assert c.title == "德庆县教育局关于德庆县2019年政务公开工作要点分工方案牵头任务落实情况的报告"
    assert c.blocks[1].text == "县府办（政务信息股）："  # printed punctuation
    assert "我局牵头的4项任务" in c.blocks[2].text
    quoted = {b.text.split("（", 1)[0] for b in c.blocks if b.kind is BlockKind.BODY and b.text.startswith("任务")}
    assert quoted == {"任务8", "任务34", "任务35", "任务65"}


def test_docx_is_the_same_content_through_the_office_word_writer(session):
    import io

    from docx import Document

    report = county.build_report(session, collector=session.office("县府办"), report_date=TODAY, fmt="docx")
    assert report.fmt == "docx" and report.data.startswith(b"PK")
    text = "\n".join(p.text for p in Document(io.BytesIO(report.data)).paragraphs)
    assert report.content.title.replace("\n", "") in text.replace("\n", "")
    assert "德庆县人民政府" in text and "一、总体情况" in text

"""What the report says (issue 21, items 1–3): 总体情况 by the shared rules, part 二 as a 综合 report, who speaks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.model import Plan, Progress, ReportTexts, Role, Status
from core.report import BlockKind, ReportOptions, compose_report
from core.report.drafts import draft, gist, ordinal_items, section_drafts, strip_echo
from core.report.linebreak import can_break
from core.report.short_names import short_name, short_names
from tests.report_fixtures import OFFICE, REPORT_DATE, real_plan, town_progress, town_roles, town_texts

OPTIONS = ReportOptions(OFFICE, REPORT_DATE, font_choice="bundled")
DEPT = ReportOptions("德庆县教育局", REPORT_DATE, font_choice="bundled")


def _body(content) -> str:
    return " ".join(b.text for b in content.blocks)


def _dept(plan: Plan) -> tuple[dict[int, Role], dict[int, Progress]]:
    """A department responsible for tasks 1–60 that filled the first 16 of them."""
    roles = {t.number: Role.RESPONSIBLE if t.number <= 60 else Role.NONE for t in plan.tasks}
    town = town_progress(plan, town_roles(plan))
    return roles, {n: town[n] for n in range(1, 17)}


def _dated(plan: Plan, due: date) -> Plan:
    """The plan with every task due on ``due`` (the plan's own dates, Task.due)."""
    return replace(plan, tasks=tuple(replace(t, due=due) for t in plan.tasks))


# --- 1. 总体情况 -----------------------------------------------------------------------------------------
def test_unfilled_is_not_not_started_and_the_rate_says_over_what() -> None:
    plan = real_plan()
    roles, progress = _dept(plan)
    body = _body(compose_report(plan, roles, progress, ReportTexts(), DEPT))
    assert ("截至2019年12月4日，已填报16项，其中已完成8项、持续推进3项、推进中3项、未开始2项；尚未填写44项。"
            "按应完成的60项计，完成率13.3%，已完成和持续推进的合计占18.3%。") in body
    assert "未开始47项" not in body and "未开始46项" not in body
    assert "尚未开始的2项：任务5（参加微访谈、在线访谈工作）、任务11（开展政务舆情应对工作效果评估）。" in body
    assert "尚未填写的有任务17（出台和调整政策要加强与市场沟通）" in body and "等44项（详见附件）。" in body


def test_related_tasks_stay_out_of_the_rate_unless_filled() -> None:
    plan = real_plan()
    roles = {t.number: Role.RELATED if t.number > 8 else Role.RESPONSIBLE for t in plan.tasks}
    progress = {n: Progress(task=n, status=Status.DONE, percent=100) for n in (1, 2, 9)}
    body = _body(compose_report(plan, roles, progress, ReportTexts(), DEPT))
    # 8 responsible tasks + task 9 (related, filled) = 9 counted; 3 done → 33.3%.
    assert "按应完成的9项计，完成率33.3%" in body
    assert "另有仅为相关单位的59项任务未填写，不计入完成率。" in body


def test_percent_has_one_decimal_and_halves_go_up() -> None:
    plan = real_plan()
    roles = {t.number: Role.RESPONSIBLE if t.number <= 8 else Role.NONE for t in plan.tasks}
    progress = {n: Progress(task=n, status=Status.DONE if n == 1 else Status.IN_PROGRESS, percent=100 if n == 1
                            else 50) for n in range(1, 9)}
    body = _body(compose_report(plan, roles, progress, ReportTexts(), DEPT))
    assert "完成率12.5%" in body  # 1/8 (half-to-even printed 12%)


def test_overdue_leaves_out_ongoing_and_names_each_task_once() -> None:
    """Every entry's 完成时限 (2019-12-31) has passed: 持续推进, 已完成 and 不适用 are not overdue; the 未开始
    ones, already named, are counted but not listed again; 推进中 ones are named, six at most."""
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    body = _body(compose_report(plan, roles, progress, town_texts(), replace(OPTIONS, report_date=date(2020, 1, 10))))
    statuses = [progress[n].status for n in progress]
    open_ = statuses.count(Status.IN_PROGRESS) + statuses.count(Status.NOT_STARTED)
    assert (statuses.count(Status.ONGOING), statuses.count(Status.NOT_STARTED), open_) == (10, 10, 21)
    assert (f"已超过完成时限仍未完成的{open_}项，除上述10项外，还有任务3（跟进解读政府常务会议的公开议题）、"
            "任务9（加强重大突发事件舆情风险源头研判）、") in body
    assert "等11项（详见附件）。" in body
    assert body.count("任务5（参加微访谈、在线访谈工作）") == 1  # 未开始 and overdue: named once


def test_unfilled_tasks_past_the_plans_date_are_overdue_and_not_named_twice() -> None:
    """The plan dates every task 2019-11-30; the 16 entries say 2019-12-31 (the entry's date wins). Without
    an annex there is no 详见附件."""
    plan = _dated(real_plan(), date(2019, 11, 30))
    roles, progress = _dept(plan)
    body = _body(compose_report(plan, roles, progress, ReportTexts(), replace(DEPT, include_ledger=False)))
    assert "等44项。" in body and "详见附件" not in body
    assert "已超过完成时限仍未完成的44项均为上述任务。" in body


def test_a_number_range_is_never_broken_across_lines() -> None:
    assert not can_break("—", "3")
    assert can_break("。", "任")


# --- 2. Part 二 as a 综合 report ---------------------------------------------------------------------------
def test_section_summary_replaces_the_task_items_unless_detailed() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    summary = "一是健全政策解读机制，全年解读文件12件；二是及时回应关切，处置舆情3起。"
    texts = ReportTexts().with_summary(0, summary)
    brief = compose_report(plan, roles, progress, texts, OPTIONS)
    kinds = [(b.kind, b.text) for b in brief.blocks]
    h2 = kinds.index((BlockKind.H2, "（一）着眼稳定预期，加强政策解读和回应关切"))
    assert kinds[h2 + 1] == (BlockKind.BODY, summary)
    assert kinds[h2 + 2] == (BlockKind.H2, "（二）强化权力监督，深入推进决策和执行公开")
    # Section 一's tasks (1–16) have no item in part 二 any more; section 二's still do.
    part_two = _body(brief).split("二、主要成效做法")[1].split("三、存在问题")[0]
    assert "（任务1 " not in part_two and "（任务17 " in part_two
    detailed = compose_report(plan, roles, progress, replace(texts, detailed=True), OPTIONS)
    part_two = _body(detailed).split("二、主要成效做法")[1].split("三、存在问题")[0]
    assert summary in part_two and "（任务1 重要政策措施解读工作）" in part_two


def test_brief_part_three_prints_its_own_text_only() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    texts = ReportTexts(problems_intro="一是基层力量薄弱；二是信息更新不及时。")
    body = _body(compose_report(plan, roles, progress, texts, OPTIONS))
    part = body.split("三、存在问题")[1].split("四、下一步措施")[0]
    assert part.strip() == "一是基层力量薄弱；二是信息更新不及时。"


def test_draft_is_in_official_form_and_keeps_the_figures() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    names = short_names(plan)
    drafts = section_drafts(plan, names, [n for n, r in roles.items() if r is not Role.NONE], progress)
    assert sorted(drafts) == [0, 1, 2, 3, 4]
    one = drafts[1]
    assert one.startswith("一是出台和调整政策要加强与市场沟通，镇党政办牵头制定工作方案，明确责任股室和时间节点，"
                          "截至11月底共发布相关信息20条，编印宣传资料170份，群众知晓率明显提高；二是推进重大决策预公开，"
                          "截至11月底共发布相关信息21条，编印宣传资料180份；")
    assert one.endswith("八是推进行政执法信息公开，截至11月底共发布相关信息27条，编印宣传资料240份。")
    assert "对照“" not in one and "…" not in one and "，，" not in one


def test_draft_is_offered_not_printed() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    body = _body(compose_report(plan, roles, progress, ReportTexts(), OPTIONS))
    assert "一是出台和调整政策" not in body  # nothing the clerk has not seen


def test_gist_cuts_at_clause_ends_and_keeps_figures() -> None:
    note = ("按照县里部署，成立工作专班，召开专题会议研究部署，梳理公开事项清单，共公开信息326条，"
            "编制解读材料15份，回应群众关切48件。")
    text = gist(note, limit=40)
    assert text == "成立工作专班，共公开信息326条，编制解读材料15份，回应群众关切48件"
    assert ordinal_items(["甲", "乙", "丙"]) == "一是甲；二是乙；三是丙。"
    assert ordinal_items(["甲"]) == "甲。"


def test_no_echo_of_the_task_number() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = {62: Progress(task=62, status=Status.DONE, percent=100, achievements="任务62：全年主动公开信息326条。")}
    body = _body(compose_report(plan, roles, progress, ReportTexts(), OPTIONS))
    assert "（任务62 加大政府信息公开力度）全年主动公开信息326条。" in body
    assert "任务62：" not in body
    assert strip_echo("任务 7，已完成") == "已完成"
    assert draft(plan, {62: "加大政府信息公开力度"}, [62], progress) == "加大政府信息公开力度，全年主动公开信息326条。"


def test_short_names_are_unique_within_the_plan() -> None:
    plan = real_plan()
    names = short_names(plan)
    assert len(set(names.values())) == len(plan.tasks) == 68
    # They used to share one name (their subsections' titles); the one whose text says it keeps it.
    assert short_name(plan, plan.task(2)) == short_name(plan, plan.task(3))
    assert (names[2], names[3]) == ("深入解读重要政策措施", "跟进解读政府常务会议的公开议题")
    assert (names[43], names[46]) == ("推进政府网站和政务新媒体健康有序发展", "组织政务新媒体开展每月全覆盖检查等")
    assert (names[53], names[54]) == ("梳理审批服务事项等", "加快办事大厅线上线下融合发展")


# --- 3. Who is speaking ---------------------------------------------------------------------------------
def test_title_names_the_issuer_as_the_signature_does() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    town = compose_report(plan, roles, {}, ReportTexts(), OPTIONS)
    assert town.title == "悦城镇人民政府关于德庆县2019年政务公开工作要点分工方案落实情况的报告"
    assert town.signature.signer == "悦城镇人民政府"
    dept = compose_report(plan, roles, {}, ReportTexts(), DEPT)
    assert dept.title.startswith("德庆县教育局关于") and dept.signature.signer == "德庆县教育局"
    party = compose_report(plan, roles, {}, ReportTexts(signer="中共悦城镇委员会"), OPTIONS)
    assert party.title.startswith("中共悦城镇委员会关于") and party.signature.signer == "中共悦城镇委员会"

"""Shared test data for the report engine: the real 2019 plan and a town's filled-in progress."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from core.model import Plan, Progress, ReportTexts, Role, Status
from core.notice_parser import parse_notice
from core.resources import resource_path

OFFICE = "悦城镇"
REPORT_DATE = date(2019, 12, 4)
RARE = "堃喆玥赟镕"
_STATUSES = (Status.DONE, Status.ONGOING, Status.IN_PROGRESS, Status.DONE, Status.NOT_STARTED, Status.DONE)


@lru_cache(maxsize=1)
def real_plan() -> Plan:
    return parse_notice(resource_path("plans", "deqing-2019-notice.txt").read_text(encoding="utf-8"))


def town_roles(plan: Plan) -> dict[int, Role]:
    """A town's roles: LEAD on 38 and 59, NONE on 65 and 68, RESPONSIBLE on every other task."""
    roles = {}
    for t in plan.tasks:
        if t.number in (38, 59):
            roles[t.number] = Role.LEAD
        elif t.number in (65, 68):
            roles[t.number] = Role.NONE
        else:
            roles[t.number] = Role.RESPONSIBLE
    return roles


def _sentence(task_text: str, n: int, kind: str) -> str:
    """Plausible clerk text reusing the task's own wording (half-width commas included, as typed)."""
    core = task_text.rstrip("。")[:40]
    return {
        "achievements": f"对照“{core}”的要求,镇党政办牵头制定工作方案,明确责任股室和时间节点;"
                        f"截至11月底共发布相关信息{n + 3}条,编印宣传资料{n * 10}份,群众知晓率明显提高。",
        "problems": f"部分村(社区)对{core[:12]}的认识不够到位,信息更新不够及时,专业人员力量不足。",
        "next_steps": f"继续加强业务培训,完善信息发布审核机制,确保{core[:12]}工作常态化、规范化开展。",
    }[kind]


def town_progress(plan: Plan, roles: dict[int, Role], size: int = 1) -> dict[int, Progress]:
    """Realistic progress for every assigned task; ``size`` repeats each text field that many times."""
    result = {}
    for i, t in enumerate(plan.tasks):
        if roles.get(t.number, Role.NONE) is Role.NONE:
            continue
        status = Status.NOT_APPLICABLE if t.number == 44 else _STATUSES[i % len(_STATUSES)]
        result[t.number] = Progress(
            task=t.number,
            status=status,
            percent=100 if status is Status.DONE else 50,
            owner="党政办（负责人：李堃）" if t.number == 1 else "镇党政办",
            due=date(2019, 12, 31),
            steps="\n".join([f"1.制定方案;2.组织实施;3.总结报告(第{n}轮)" for n in range(1, size + 1)]),
            achievements="\n".join([_sentence(t.text, t.number, "achievements")] * size),
            problems="" if t.number % 5 == 0 else "\n".join([_sentence(t.text, t.number, "problems")] * size),
            next_steps="\n".join([_sentence(t.text, t.number, "next_steps")] * size),
            updated_at="2019-12-01T10:00:00",
        )
    return result


def town_texts() -> ReportTexts:
    return ReportTexts(
        closing=f"全镇将以问题为导向,持续推进政务公开工作。经办人员:王{RARE[0]}、陈{RARE[1]}、林{RARE[2]}、"
                f"周{RARE[3]}、黄{RARE[4]}。\n特此报告。",
        contact_name="王堃",
        contact_phone="0758-7712345",
    )

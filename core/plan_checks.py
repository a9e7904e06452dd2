"""Checks on an imported plan, shown to the clerk before the plan is saved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.model import Plan
from core.units import has_role_word, normalise_text

MIN_CHARS = 8
MAX_CHARS = 600
_CHROME_RE = re.compile(r"登\s*录|点击数|点击量|浏览次数|扫一扫|来源[:：]|发布时间[:：]|https?://|www\.|打印本页|关闭窗口|分享到")


@dataclass(frozen=True)
class Issue:
    task: int | None  # the task's number, or None for the whole plan
    kind: str  # number_gap, number_repeat, no_tasks, no_units, units_no_role, units_unread, chrome, short, long
    message: str


def check_plan(plan: Plan) -> list[Issue]:
    issues: list[Issue] = []
    if not plan.tasks:
        return [Issue(None, "no_tasks", "方案中没有任务")]
    seen: set[int] = set()
    prev: int | None = None
    for t in plan.tasks:
        if t.number in seen:
            issues.append(Issue(t.number, "number_repeat", f"任务编号{t.number}重复出现"))
        elif prev is None and t.number != 1:
            issues.append(Issue(t.number, "number_gap", f"任务编号从{t.number}开始，前面缺少 1–{t.number - 1}"))
        elif prev is not None and t.number > prev + 1:
            missing = f"{prev + 1}" if t.number == prev + 2 else f"{prev + 1}–{t.number - 1}"
            issues.append(Issue(t.number, "number_gap", f"任务编号跳号：{prev} 之后是 {t.number}，缺少 {missing}"))
        elif prev is not None and t.number < prev:
            issues.append(Issue(t.number, "number_gap", f"任务编号倒退：{prev} 之后是 {t.number}"))
        seen.add(t.number)
        prev = t.number

        raw = t.units.raw
        if t.units.empty and not raw:
            issues.append(Issue(t.number, "no_units", f"任务{t.number}没有责任单位"))
        elif t.units.empty:
            issues.append(Issue(t.number, "units_unread", f"任务{t.number}的责任单位“{raw[:40]}”未能识别出单位"))
        elif not t.units_inherited and not has_role_word(raw):
            issues.append(Issue(t.number, "units_no_role",
                                f"任务{t.number}的责任单位“{raw[:40]}”没有写明牵头、负责或配合，已按负责处理"))

        m = _CHROME_RE.search(t.text)
        if m:
            start = max(0, m.start() - 10)
            issues.append(Issue(t.number, "chrome",
                                f"任务{t.number}的内容里像是混入了网页上的文字：“…{t.text[start:m.end() + 10]}…”"))
        size = len(normalise_text(t.text))
        if size < MIN_CHARS:
            issues.append(Issue(t.number, "short", f"任务{t.number}内容过短（{size}字），请核对是否完整"))
        elif size > MAX_CHARS:
            issues.append(Issue(t.number, "long",
                                f"任务{t.number}内容过长（{size}字），可能把几条任务或页面文字并进来了"))
    return issues

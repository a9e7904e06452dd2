"""Setting the report's texts by name (CLI ``report texts``, a texts file) and the drafts the clerk starts from.

The names are the dialog's labels or the field names: 开头段落/opening, 结尾段落/closing, 联系人/contact_name,
联系电话/contact_phone, 落款单位/signer, 成效做法概述/achievements_intro, 存在问题/problems_intro,
下一步措施/next_steps_intro, 报送轮次/round_label, 加盖印章/sealed (是/否), 篇幅/detailed (简要/详细), and a
section's summary of 二、主要成效做法 as 第一部分…, 一…十 or section1… (the plan's sections in order).
All values are checked before anything is saved; then they are saved in one write.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from actions.errors import ActionError
from actions.office_view import open_office
from actions.reports import save_texts, texts
from actions.session import Session
from core.cn import cn_number
from core.model import Office, ReportTexts, Role
from core.report.drafts import section_drafts
from core.report.short_names import short_names

#: Report texts by every name the clerk may use for them.
NAMES = {"开头段落": "opening", "结尾段落": "closing", "联系人": "contact_name", "联系电话": "contact_phone",
         "落款单位": "signer", "署名": "signer", "成效做法概述": "achievements_intro", "存在问题": "problems_intro",
         "下一步措施": "next_steps_intro", "报送轮次": "round_label", "加盖印章": "sealed", "篇幅": "detailed"}
_TEXT_FIELDS = {f.name for f in dataclasses.fields(ReportTexts) if f.type in ("str", str)}
_YES = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
_DETAIL = {"详细": True, "简要": False, "detailed": True, "brief": False}


def section_key(name: str, sections: int) -> int | None:
    """The 0-based section a name stands for (一, 第一部分, section1, 1), or None when it is not one."""
    text = name.strip().removeprefix("第").removesuffix("部分").removesuffix("、")
    text = text.removeprefix("section").removeprefix("summary")
    numbers = {cn_number(k): k for k in range(1, 21)}
    k = int(text) if text.isdigit() else numbers.get(text)
    if k is None:
        return None
    if not 1 <= k <= sections:
        raise ActionError(f"方案只有 {sections} 个部分，没有第{cn_number(k) if k <= 99 else k}部分")
    return k - 1


def apply(current: ReportTexts, updates: dict[str, str], sections: int) -> ReportTexts:
    """``current`` with ``updates`` applied; ActionError naming the first bad name or value."""
    result = current
    for name, value in updates.items():
        if not isinstance(value, str):
            raise ActionError(f"“{name}”的内容应是文字")
        section = section_key(name, sections)
        if section is not None:
            result = result.with_summary(section, value)
            continue
        field = NAMES.get(name.strip(), name.strip())
        if field == "sealed":
            if value.strip().lower() not in _YES:
                raise ActionError(f"加盖印章只能是“是”或“否”：{value}")
            result = dataclasses.replace(result, sealed=_YES[value.strip().lower()])
        elif field == "detailed":
            if value.strip().lower() not in _DETAIL:
                raise ActionError(f"篇幅只能是“简要”或“详细”：{value}")
            result = dataclasses.replace(result, detailed=_DETAIL[value.strip().lower()])
        elif field in _TEXT_FIELDS:
            result = dataclasses.replace(result, **{field: value})
        else:
            known = "、".join(NAMES)
            raise ActionError(f"没有名为“{name}”的报告文字（可用：{known}，或部分序号如“一”“第二部分”）")
    return result


def read_texts_file(path: str | Path) -> dict[str, str]:
    """A texts file: a JSON object of name → text (UTF-8). ActionError when it can't be read or is not one."""
    try:
        raw = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ActionError(f"找不到文件：{path}") from None
    except UnicodeDecodeError:
        raise ActionError(f"文件不是 UTF-8 编码的文字：{path}") from None
    except OSError as exc:
        raise ActionError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ActionError(f"文件不是有效的 JSON（第 {exc.lineno} 行）：{path}") from None
    if not isinstance(data, dict):
        raise ActionError(f"文件应是一个 JSON 对象（名称：内容）：{path}")
    out: dict[str, str] = {}
    for key, value in data.items():
        if key == "section_summaries" and isinstance(value, list):
            out.update({f"section{i}": v for i, v in enumerate(value, start=1)})
        elif isinstance(value, bool):
            out[key] = "是" if value else "否"
        else:
            out[key] = value
    return out


def set_texts(session: Session, office: Office, updates: dict[str, str]) -> ReportTexts:
    """Apply ``updates`` to the office's report texts on the current plan and save them at once."""
    plan_id = session.current_plan_id()
    plan = session.plan(plan_id)
    value = apply(texts(session, plan_id, office), updates, len(plan.sections))
    save_texts(session, plan_id, office, value)
    return value


def drafts(session: Session, office: Office, plan_id: int | None = None) -> dict[int, str]:
    """Per section (0-based), a draft of its 主要成效做法 from the office's notes (never saved by itself)."""
    view = open_office(session, office, plan_id)
    assigned = [t.number for t in view.plan.tasks if view.roles.get(t.number, Role.NONE) is not Role.NONE]
    return section_drafts(view.plan, short_names(view.plan), assigned, view.progress)

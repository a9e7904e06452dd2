"""The answer sheet's columns: what the app writes and what the reader looks for."""

from __future__ import annotations

import hashlib

from core.model import Plan

#: Visible columns, in order: (key, header). number and text are locked; the others are filled in.
VISIBLE = (
    ("number", "序号"),
    ("text", "工作任务"),
    ("due", "完成时限"),
    ("status", "状态"),
    ("percent", "进度(%)"),
    ("steps", "实施步骤"),
    ("achievements", "成效做法"),
    ("problems", "存在问题"),
    ("next_steps", "下一步措施"),
    ("handler", "经办人"),
)
FILLED = ("status", "percent", "steps", "achievements", "problems", "next_steps", "handler")
#: Hidden columns that let an answer be matched whatever a 股室 did to the rows.
HIDDEN = (
    ("plan_fp", "〔勿改〕方案指纹"),
    ("plan_id", "〔勿改〕方案编号"),
    ("office", "〔勿改〕单位"),
    ("section", "〔勿改〕股室"),
    ("task", "〔勿改〕任务序号"),
    ("version", "〔勿改〕发出版本"),
    ("sent_at", "〔勿改〕发出时保存时间"),
)
HEADER_ROW = 3
UNASSIGNED = "未分配"

#: Header words a retyped or reworked sheet may use for each column (compared without whitespace).
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "任务序号"),
    "text": ("工作任务", "工作要求", "任务内容", "工作内容", "任务"),
    "due": ("完成时限", "时限"),
    "status": ("状态", "完成状况", "完成状态", "进展状态"),
    "percent": ("进度(%)", "进度（%）", "进度", "完成进度"),
    "steps": ("实施步骤", "工作措施"),
    "achievements": ("成效做法", "完成情况", "落实情况", "工作进展"),
    "problems": ("存在问题", "问题"),
    "next_steps": ("下一步措施", "下一步工作", "下一步"),
    "handler": ("经办人", "填报人", "联系人"),
    **{key: (label,) for key, label in HIDDEN},
}


def plan_fingerprint(plan: Plan) -> str:
    """A short hash of the plan's title, year and task texts: the same plan imported twice has the same one."""
    h = hashlib.sha256(f"{plan.title}\n{plan.year}".encode())
    for t in plan.tasks:
        h.update(f"\n{t.number}\t{t.text}".encode())
    return h.hexdigest()[:16]


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = "".join("_" if c in "[]:*?/\\" else c for c in name).strip("'") or UNASSIGNED
    base = base[:31]
    title, n = base, 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title

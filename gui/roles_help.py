"""What each role means for the clerk and for the report: the tooltips and the help entry say the same."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.model import ROLE_LABELS, Role

ROLE_MEANINGS = {
    Role.LEAD: "方案把本单位列为牵头单位：本单位统筹这项任务，报告要写清整项工作的进展，包括组织配合单位做了什么。",
    Role.RESPONSIBLE: "方案把本单位列为负责（责任）单位：这项工作由本单位自己落实，报告写本单位做了什么、效果如何。",
    Role.COOPERATING: "方案把本单位列为配合单位：报告只写本单位承担的那部分工作和对牵头单位的支持。",
    Role.RELATED: "方案写的是“县有关部门”等泛指，可能涉及本单位：做了就填写，计入报告和完成率；"
                  "不涉及的可不填，未填写的相关任务不计入完成率。",
    Role.NONE: "不是本单位的任务，不写入本单位的报告。",
}


def role_meaning(role: Role) -> str:
    return QCoreApplication.translate("roles", ROLE_MEANINGS[role])


def role_tooltip(role: Role) -> str:
    """“牵头：…” for a role column, a filter item or the detail pane."""
    return QCoreApplication.translate("roles", ROLE_LABELS[role]) + "：" + role_meaning(role)

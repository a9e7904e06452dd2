"""使用说明 (F1): what the roles mean for the report, what 未填写 means, and the keys."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QWidget

from core.model import ROLE_LABELS, Role
from core.tracking import UNFILLED_LABEL
from gui.roles_help import role_meaning
from gui.text_dialog import TextDialog

KEYS = (
    ("Tab / Shift+Tab（在任务表格中）", "下一项 / 上一项任务；最后一项之后进入右侧填写区"),
    ("Enter、F6 或 Ctrl+Tab（在任务表格中）", "进入右侧填写区（状态）"),
    ("Ctrl+E", "转到“实施步骤”"),
    ("Esc（在填写区中）", "回到任务表格"),
    ("Ctrl+Enter", "下一项任务"),
    ("Ctrl+F", "查找"),
    ("Ctrl+S", "立即保存"),
    ("Ctrl+P", "打印报告"),
    ("F1", "本说明"),
)


def help_html(tr) -> str:
    roles = "".join(f"<li><b>{html.escape(tr(ROLE_LABELS[r]))}</b>：{html.escape(role_meaning(r))}</li>"
                    for r in (Role.LEAD, Role.RESPONSIBLE, Role.COOPERATING, Role.RELATED))
    keys = "".join(f"<tr><td style='padding-right:16px'><b>{html.escape(tr(k))}</b></td><td>{html.escape(tr(v))}</td>"
                   "</tr>" for k, v in KEYS)
    unfilled = tr("“{0}”表示这项任务还没有保存过任何内容；“未开始”是填写人选定的状态。报送前的检查会列出未填写的任务。"
                  ).format(UNFILLED_LABEL)
    return (f"<h3>{tr('本单位角色')}</h3><ul>{roles}</ul>"
            f"<p>{html.escape(tr('方案写得不清楚时，可在右侧“本单位角色”旁调整。'))}</p>"
            f"<h3>{tr('未填写与未开始')}</h3><p>{html.escape(unfilled)}</p>"
            f"<h3>{tr('键盘操作')}</h3><table>{keys}</table>"
            f"<p>{html.escape(tr('在表单中滚动鼠标滚轮只会滚动页面；要用滚轮修改状态、进度或日期，请先点一下该项。'))}</p>")


class HelpDialog(TextDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, 640, 520)
        self.setWindowTitle(self.tr("使用说明"))
        self.text.setHtml(help_html(self.tr))

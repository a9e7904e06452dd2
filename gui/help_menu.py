"""The 帮助 menu: 关于 (version, data folder, SQLite, log file, licences) and 打开数据文件夹."""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from actions.about import AboutInfo, about
from actions.session import Session
from gui.text_dialog import TextDialog


def about_html(info: AboutInfo, qt_version: str) -> str:
    def link(path) -> str:
        return f'<a href="{QUrl.fromLocalFile(str(path)).toString()}">{html.escape(str(path))}</a>'

    rows = [("版本", html.escape(info.version)), ("数据文件夹", link(info.data_dir)),
            ("日志文件", link(info.log_file)), ("SQLite", html.escape(info.sqlite_version)),
            ("Python / Qt", html.escape(f"{info.python_version} / {qt_version}"))]
    table = "".join(f"<tr><td style='padding-right:12px;color:#555'>{k}</td><td>{v}</td></tr>" for k, v in rows)
    licences = "".join(
        f"<li>{html.escape(lic.component)}：{html.escape(lic.licence)}"
        + ("（" + "、".join(link(f) for f in lic.files) + "）" if lic.files else "") + "</li>"
        for lic in info.licences)
    return (f"<h3>落实台账</h3><p>离线记录分工方案的落实情况，按公文格式打印落实情况报告。</p>"
            f"<table>{table}</table><h4>随附组件及其许可证</h4><ul>{licences or '<li>（未找到许可证文件）</li>'}</ul>")


class AboutDialog(TextDialog):
    def __init__(self, info: AboutInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent, 620, 460)
        self.setWindowTitle(self.tr("关于落实台账"))
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(about_html(info, qVersion()))


class HelpMenu(QObject):
    def __init__(self, window: QMainWindow, session: Session) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.menu = window.menuBar().addMenu(self.tr("帮助(&H)"))
        self.act_help = QAction(self.tr("使用说明"), window)
        self.act_help.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        if self.act_help.shortcut().isEmpty():  # platforms without a standard help key
            self.act_help.setShortcut(QKeySequence("F1"))
        self.act_help.triggered.connect(self.show_help)
        window.addAction(self.act_help)
        self.act_about = QAction(self.tr("关于落实台账…"), window)
        self.act_about.triggered.connect(self.show_about)
        self.act_folder = QAction(self.tr("打开数据文件夹"), window)
        self.act_folder.triggered.connect(self.open_data_folder)
        self.menu.addAction(self.act_help)
        self.menu.addAction(self.act_folder)
        self.menu.addSeparator()
        self.menu.addAction(self.act_about)

    def show_help(self):
        from gui.help_dialog import HelpDialog
        from gui.keyboard import return_focus

        dialog = return_focus(HelpDialog(self.window))
        dialog.open()
        self.help_dialog = dialog
        return dialog

    def show_about(self) -> AboutDialog:
        from gui.keyboard import return_focus

        dialog = return_focus(AboutDialog(about(self.session), self.window))
        dialog.open()
        return dialog

    def open_data_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.session.data_dir)))

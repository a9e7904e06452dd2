"""The main window's own menus: 文件, 编辑 and 设置, their actions and shortcuts.

Built once after the first paint (``MainWindow.finish_building``); 数据 and 帮助 follow from
``gui.data_menu`` and ``gui.help_menu``. The actions call the window (saving, moving between tasks) or
``gui.main_dialogs`` (the dialogs it opens); nothing here holds state of the window's.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from gui import main_dialogs
from gui.icons import icon


class MainMenus:
    """The actions (``act_*``) and the 股室 sheet actions (``sheet_actions``) of one main window."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        tr = window.tr
        self.act_report = self._action(tr("打印报告…"), lambda: main_dialogs.open_report(window), ["Ctrl+P"], "print")
        self.act_package = self._action(tr("生成报送材料…"), lambda: main_dialogs.open_package(window), [], "save")
        self.act_save = self._action(tr("立即保存"), window.save_now, ["Ctrl+S"], "save")
        self.act_quit = self._action(tr("退出"), window.close, ["Ctrl+Q"], "quit")
        self.act_find = self._action(tr("查找"), window.focus_search, ["Ctrl+F"], "search")
        self.act_next = self._action(tr("下一项任务"), window.next_task, ["Ctrl+Enter", "Ctrl+Return"], "next")
        self.act_office = self._action(tr("切换单位…"), lambda: main_dialogs.change_office(window), [], "office")
        self.act_steps = self._action(tr("转到实施步骤"), window.focus_steps, ["Ctrl+E"])
        file_menu = window.menuBar().addMenu(tr("文件(&F)"))
        for a in (self.act_save, self.act_report, self.act_package):
            file_menu.addAction(a)
        from gui.sheet_menu import add_sheet_actions  # 发给股室填写…, 导入股室填报…, 用县里的表格填写…

        self.sheet_actions = add_sheet_actions(window, file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = window.menuBar().addMenu(tr("编辑(&E)"))
        for a in (self.act_find, self.act_next, self.act_steps):
            edit_menu.addAction(a)
        settings_menu = window.menuBar().addMenu(tr("设置(&S)"))
        settings_menu.addAction(self.act_office)

    def _action(self, text: str, slot, shortcuts=(), icon_key: str | None = None) -> QAction:
        """An action of the window (its shortcuts work wherever the focus is in it)."""
        a = QAction(text, self.window)
        if icon_key:
            a.setIcon(icon(icon_key))
        a.setShortcuts([QKeySequence(s) for s in shortcuts])
        a.triggered.connect(slot)
        self.window.addAction(a)
        return a

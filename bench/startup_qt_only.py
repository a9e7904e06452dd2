"""The window's first screen made with Qt alone: a lower bound for ``bench_startup.py``.

No module of the app and no database: the same kinds of widgets the window shows at its first paint
(dashboard buttons with icons, progress bar, gaps list, outline tree, search box and three combo boxes, the
task table with word wrap and alternating rows, status bar), the same Chinese strings (a ``tasks --json`` dump
of the office's tasks), the bundled UI font and the Font Awesome font the icons come from. Rows live in a
QStandardItemModel (C++), icons are plain pixmaps. Whatever this costs above the bare window is what Qt and
PySide6 charge for the screen itself; the app's own share is what it costs above this.

Run as ``python startup_qt_only.py TASKS_JSON``; prints ``shown <time> <cpu>`` once the table has painted.
"""

import importlib.util
import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QTableView,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ("序号", "任务内容", "角色", "状态", "进度", "完成时限", "更新")
ROLES = {"lead": "牵头", "responsible": "负责", "cooperating": "配合", "related": "相关"}
STATES = ("未填写", "未开始", "推进中", "已完成", "常态化", "不适用")


def add_font(path: Path) -> str:
    return QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(path)))[0]


def glyph_icons(family: str) -> list[QIcon]:
    icons = []
    for char, color in zip("\uf059\uf111\uf042\uf058\uf021\uf05e", ("#a0a5ad", "#8a8f98", "#1f6fd1", "#1e8a3c",
                                                                   "#0f8a8a", "#9a9a9a"), strict=True):
        pixmap = QPixmap(32, 32)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        font = QFont(family)
        font.setPixelSize(28)
        painter.setFont(font)
        painter.setPen(QColor(color))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, char)
        painter.end()
        icons.append(QIcon(pixmap))
    return icons


def dashboard(tasks: list[dict], icons: list[QIcon]) -> QFrame:
    frame = QFrame()
    row = QHBoxLayout(frame)
    for state, icon in zip(STATES, icons, strict=True):
        button = QToolButton()
        button.setText(f"{state} {sum(t['state'] == state for t in tasks)}")
        button.setIcon(icon)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        row.addWidget(button)
    progress = QProgressBar()
    progress.setValue(3)
    row.addWidget(progress)
    row.addWidget(QLabel("距报送截止还有 0 天"))
    gaps = QListWidget()
    gaps.setMaximumHeight(60)
    for task in tasks:
        gaps.addItem(f"第{task['number']}项 {task['text'][:12]}：{task['state']}")
    row.addWidget(gaps)
    return frame


def outline(tasks: list[dict]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setColumnCount(2)
    tree.setHeaderHidden(True)
    QTreeWidgetItem(tree, ["全部任务", str(len(tasks))])
    sections: dict[str, QTreeWidgetItem] = {}
    for task in tasks:
        if task["section"] not in sections:
            sections[task["section"]] = QTreeWidgetItem(tree, [task["section"], ""])
        if task["subsection"] and task["subsection"] not in sections:
            sections[task["subsection"]] = QTreeWidgetItem(sections[task["section"]], [task["subsection"], ""])
    tree.expandAll()
    return tree


def filter_bar(icons: list[QIcon]) -> QWidget:
    bar = QWidget()
    row = QHBoxLayout(bar)
    search = QLineEdit()
    search.setPlaceholderText("查找任务内容、单位、落实情况")
    search.addAction(icons[0], QLineEdit.ActionPosition.LeadingPosition)
    row.addWidget(search)
    for items in (("全部任务", "本单位牵头"), ("全部状态", *STATES), ("全部角色", "牵头", "负责", "配合")):
        combo = QComboBox()
        for item in items:
            combo.addItem(icons[1], item)
        row.addWidget(combo)
    return bar


def task_table(tasks: list[dict], icons: list[QIcon]) -> QTableView:
    model = QStandardItemModel(0, len(HEADERS))
    model.setHorizontalHeaderLabels(list(HEADERS))
    for task in tasks:
        number = QStandardItem()
        number.setData(task["number"], Qt.ItemDataRole.DisplayRole)  # sorts as a number
        model.appendRow([number, QStandardItem(task["text"]),
                         QStandardItem(ROLES.get(task["role"], "")),
                         QStandardItem(icons[STATES.index(task["state"])], task["state"]),
                         QStandardItem(f"{task['percent']}%"), QStandardItem(task["due"] or ""), QStandardItem("")])
    table = QTableView()
    table.setModel(model)
    model.setParent(table)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    table.setAlternatingRowColors(True)
    for col, width in enumerate((40, 320, 64, 80, 52, 88, 84)):
        table.setColumnWidth(col, width)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(2 * table.fontMetrics().lineSpacing() + 8)
    return table


class Painted(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.report)
        return False

    def report(self) -> None:
        print("shown", time.time(), time.process_time(), flush=True)
        self.app.quit()


def main() -> None:
    app = QApplication(sys.argv[:1])
    ui = QFont(app.font())
    ui.setFamilies([add_font(ROOT / "resources" / "fonts" / "wqy-microhei.ttc")])
    app.setFont(ui)
    spec = importlib.util.find_spec("qtawesome")  # only its folder (importing it costs ~0.17 s): the app's icon fonts
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    icons = glyph_icons(add_font(sorted(fonts.glob("fontawesome6-solid-webfont-6*.ttf"))[-1]))
    tasks = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    window = QMainWindow()
    window.resize(1280, 720)
    window.setWindowTitle("落实台账")
    table = task_table(tasks, icons)
    centre = QWidget()
    column = QVBoxLayout(centre)
    column.addWidget(filter_bar(icons))
    column.addWidget(table, 1)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(outline(tasks))
    splitter.addWidget(centre)
    splitter.addWidget(QWidget())
    splitter.setSizes([220, 700, 420])
    body = QWidget()
    rows = QVBoxLayout(body)
    rows.addWidget(dashboard(tasks, icons))
    rows.addWidget(splitter, 1)
    window.setCentralWidget(body)
    window.statusBar().addWidget(QLabel(f"共 {len(tasks)} 项"))
    window.statusBar().addPermanentWidget(QLabel("已保存"))
    painted = Painted(app)
    table.viewport().installEventFilter(painted)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()

"""The window's cold start (issue 22): what runs before the task table's first paint, and what waits for it.

The speed itself is measured in bench/bench_startup.py beside its floor; these tests hold the means in place:
the command line's parser is not built for a window start, modules the first paint does not need are not
imported before it, and the start backup is taken after it (on its own connection), still every start.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

import main
from actions import backups
from actions.errors import StorageError
from actions.log import BACKUP_COUNT, RotatingLog, log_path, setup_logging

ROOT = Path(__file__).resolve().parent.parent

#: Imported before the first paint, each would cost the clerk time at every start for nothing it shows.
NOT_BEFORE_FIRST_PAINT = (
    "core.notice_parser",  # the built-in plan is parsed on the first start only
    "reportlab", "openpyxl", "docx", "sqlite_utils",  # reports, spreadsheets, Word; the county side
    "db.evidence", "db.evidence_backup", "actions.backups",  # evidence and backups: the start backup comes later
    "logging.handlers", "socket", "hashlib", "ctypes", "getpass",  # stdlib the start does without
    "PySide6.QtNetwork",  # the single-instance server listens after the paint
    # ~10 ms together: the first datetime.strptime (~5 ms, with calendar and locale), decimal (~2 ms), the backup
    # retention policy (on pruning), unicodedata (a typed date). PySide6 imports shutil, tempfile and random itself.
    "_strptime", "calendar", "locale", "decimal", "unicodedata", "core.retention",
    "gui.detail_pane", "gui.main_menus", "gui.data_menu", "gui.keyboard",  # built after the paint
    "gui.highlight", "gui.office_dialog", "gui.main_dialogs",
    "cli.county_parser", "cli.sheet_parser",  # every command's parser
)


# --- the command line -------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [
    [], ["--office", "悦城镇"], ["--office=悦城镇"], ["--data-dir", "/tmp/x", "--debug"], ["--office", ""],
    ["--data-dir=/tmp/x", "--office", "check"], ["--smoke-test"], ["--debug", "--debug"],
])
def test_a_window_start_reads_the_same_arguments_as_the_full_parser(argv):
    fast = main.gui_start_args(argv)
    full = main.build_parser().parse_args(argv)
    assert fast is not None
    assert (fast.command, fast.data_dir, fast.office, fast.debug, fast.smoke_test) == (
        full.command, getattr(full, "data_dir", None), getattr(full, "office", None),
        getattr(full, "debug", False), getattr(full, "smoke_test", False))


@pytest.mark.parametrize("argv", [
    ["check"], ["--office", "悦城镇", "tasks"], ["-h"], ["--help"], ["--off", "悦城镇"], ["--office"],
    ["--office", "--debug"], ["--debug=1"], ["--data-dir"], ["plan", "list"],
])
def test_anything_else_goes_to_the_full_parser(argv):
    assert main.gui_start_args(argv) is None


def test_an_unknown_option_is_still_refused_plainly(capsys):
    with pytest.raises(SystemExit) as exc:
        main.main(["--colour"])
    assert exc.value.code == 2 and "--colour" in capsys.readouterr().err


# --- the first paint ------------------------------------------------------------------------------
def _start_window(data_dir: Path) -> dict:
    env = {**os.environ, "TAIZHANG_DATA_DIR": str(data_dir), "XDG_CONFIG_HOME": str(data_dir.parent / "config")}
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "startup_child.py"), "--office", "悦城镇"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    [line] = [line for line in out.stdout.splitlines() if line.startswith("{")]
    return json.loads(line)


def _start_backups(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "backups").glob("taizhang-*-start.sqlite3"))


def test_the_first_paint_waits_for_no_module_it_does_not_need(tmp_path):
    data_dir = tmp_path / "data"
    assert main.main(["--data-dir", str(data_dir), "check"]) == 0  # created and seeded, as on the second day
    shown = _start_window(data_dir)
    assert shown["rows"] == 68
    imported = set(shown["modules"])
    early = sorted(m for m in NOT_BEFORE_FIRST_PAINT if m in imported)
    assert early == []
    assert {"gui.main_window", "actions.session", "core.assign"} <= imported  # the check sees the real start
    # PySide6 loads a class on first use; wrapping a widget C++ made (Qt's own viewport) loads them all (~17 ms)
    assert "QTableView" in shown["qt_widgets"] and "QWizard" not in shown["qt_widgets"]
    assert shown["patterns_compiled"] == []  # the roles need none of the plan readers' patterns
    # the open-time check ran once, on its own thread started before QtWidgets loaded (gui/early_open.py)
    assert shown["checks"] == [{"thread": "taizhang-open", "qt_widgets": False}]


def test_the_start_backup_is_taken_after_the_first_paint_every_start(tmp_path):
    data_dir = tmp_path / "data"
    assert main.main(["--data-dir", str(data_dir), "check"]) == 0
    assert main.main(["--data-dir", str(data_dir), "progress", "set", "--office", "悦城镇", "--task", "12",
                      "--field", "achievements", "--value", "窗口启动前写下的内容"]) == 0
    before = _start_backups(data_dir)  # the command's own start backup holds the data before its change
    shown = _start_window(data_dir)
    assert sorted(n for n in shown["backups"] if n.endswith("-start.sqlite3")) == before  # not yet at the paint
    after = _start_backups(data_dir)
    assert len(after) == len(before) + 1  # taken once the table was on screen, before the process ended
    newest = backups.newest(data_dir / "taizhang.sqlite3")
    assert newest is not None and newest.path.name == sorted(set(after) - set(before))[0]
    conn = sqlite3.connect(f"file:{newest.path}?mode=ro", uri=True)
    try:
        [(text,)] = conn.execute("SELECT achievements FROM progress WHERE task=12").fetchall()
    finally:
        conn.close()
    assert text == "窗口启动前写下的内容"
    _start_window(data_dir)  # a second start with nothing changed adds none
    assert _start_backups(data_dir) == after


def test_a_failed_start_backup_is_told_as_a_warning(qtbot, session, monkeypatch):
    from gui.backup_actions import BackupActions

    def full(_db_path, _reason="auto"):
        raise StorageError("磁盘已满：备份没有写成", "full", _db_path)

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(backups, "periodic_backup", full)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: shown.append((title, text)))
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = BackupActions(parent, session)
    actions.start_backup()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown == [("注意", "自动备份没有成功：磁盘已满：备份没有写成")]


# --- the log file ----------------------------------------------------------------------------------
def test_the_log_rotates_at_its_size_keeping_three_old_files(tmp_path, monkeypatch):
    monkeypatch.setattr("actions.log.MAX_BYTES", 400)
    path = setup_logging(tmp_path, "test")
    assert path == log_path(tmp_path)
    log = logging.getLogger("taizhang.test")
    try:
        for i in range(60):
            log.info("第%d条记录 %s", i, "x" * 40)
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if isinstance(h, RotatingLog)]:
            root.removeHandler(handler)
            handler.close()
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["taizhang.log", *(f"taizhang.log.{i}" for i in range(1, BACKUP_COUNT + 1))]
    assert all(p.stat().st_size < 400 for p in path.parent.iterdir())
    assert "第59条记录" in path.read_text(encoding="utf-8")  # the newest line is in the live file
    assert "第58条记录" in path.read_text(encoding="utf-8") + (path.parent / "taizhang.log.1").read_text(
        encoding="utf-8")


# --- the table's own viewport (gui.viewport) --------------------------------------------------------
def _viewport_traits(view) -> dict:
    from PySide6.QtCore import Qt

    v = view.viewport()
    return {"name": v.objectName(), "background": v.backgroundRole(), "foreground": v.foregroundRole(),
            "filled": v.autoFillBackground(), "focus_proxy": v.focusProxy() is view, "parent": v.parent() is view,
            "attributes": [a.name for a in Qt.WidgetAttribute if v.testAttribute(a)],
            "mouse_tracking": v.hasMouseTracking(), "focus": v.focusPolicy(), "menu": v.contextMenuPolicy(),
            "geometry": v.geometry().getRect()}


def test_our_viewport_is_set_up_and_drawn_as_qts_own(qtbot):
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from gui.viewport import own_viewport

    model = QStandardItemModel(6, 3)
    for row in range(6):
        for col in range(3):
            model.setItem(row, col, QStandardItem(f"第{row}行 落实情况 {col}"))
    views = []
    for ours in (False, True):
        view = QTableView()
        qtbot.addWidget(view)
        if ours:
            made = own_viewport(view)
            assert view.viewport() is made
        view.setModel(model)
        view.setAlternatingRowColors(True)
        view.resize(420, 260)
        view.show()
        qtbot.waitExposed(view)
        views.append(view)
    qt_made, ours = views
    assert _viewport_traits(ours) == _viewport_traits(qt_made)
    assert ours.grab().toImage() == qt_made.grab().toImage()



# --- regular expressions compiled on first use (core.patterns) ------------------------------------------
def test_a_lazy_pattern_answers_as_the_compiled_one():
    import re

    from core.patterns import LazyPattern

    text = "县教育局、县财政局等有关部门分别按职能牵头,各镇(街)负责"
    source = r"(?P<unit>县\w{2}局)"
    lazy, compiled = LazyPattern(source), re.compile(source)
    assert lazy.pattern == source and "match" not in vars(lazy)  # nothing compiled yet
    assert lazy.search(text).group("unit") == compiled.search(text).group("unit") == "县教育局"
    assert "match" in vars(lazy)  # compiled once, its methods kept
    assert lazy.findall(text) == compiled.findall(text) == ["县教育局", "县财政局"]
    assert lazy.sub("X", text) == compiled.sub("X", text)
    assert lazy.split(text) == compiled.split(text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.match(text[1:]) is None and lazy.match(text).span() == (0, 4) and lazy.fullmatch("县教育局")
    assert lazy.groupindex == compiled.groupindex == {"unit": 1}
    assert LazyPattern("a+", re.IGNORECASE).fullmatch("AaA") is not None


# --- the office's view, worked out once per load -----------------------------------------------------
def test_the_office_view_reads_roles_once_with_the_overrides_on_top(session):
    from actions import editing
    from actions.office_view import open_office
    from core.assign import OVERRIDE_BECAUSE, roles_explained, roles_for
    from core.model import Role

    office = session.office("悦城镇")
    plan_id = session.current_plan_id()
    plan = session.plan(plan_id)
    planned = roles_for(plan, office)
    number = next(n for n, r in planned.items() if r is Role.NONE)
    editing.set_override(session, plan_id, office.name, number, Role.LEAD)
    view = open_office(session, office, plan_id)
    assert view.roles[number] is Role.LEAD and view.plan_roles[number] is Role.NONE
    assert view.because[number] == OVERRIDE_BECAUSE
    assert view.plan_roles == planned  # as the plan reads, before the override
    explained = roles_explained(plan, office, {number: Role.LEAD})
    assert view.roles == {n: r for n, (r, _) in explained.items()}
    assert view.because == {n: b for n, (r, b) in explained.items() if r is not Role.NONE}

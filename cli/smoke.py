"""``--smoke-test``: prove a build is complete (data files, fonts, hidden imports) in a few seconds.

Opens a fresh database in a temporary folder, builds the main window offscreen, opens and closes each dialog
its menus reach (cli/smoke_dialogs.py), writes the report PDF and checks it, then exits 0. Any failure prints
what broke and exits 1.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path


def _step(name: str, started: float) -> None:
    print(f"ok  {name}  ({(time.perf_counter() - started) * 1000:.0f} ms)", file=sys.stderr)


def run_smoke_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from actions import reports
    from actions.session import SQLITE_VERSION, Session

    print(f"SQLite {SQLITE_VERSION}, Python {sys.version.split()[0]}", file=sys.stderr)
    # ExitStack closes the database before the folder goes, on every path (Windows cannot delete an open file).
    with tempfile.TemporaryDirectory(prefix="taizhang-smoke-") as tmp, ExitStack() as cleanup:
        t = time.perf_counter()
        session = Session.open(Path(tmp) / "data")
        cleanup.callback(session.close)
        plan = session.plan()
        office = session.office("悦城镇")
        if len(plan.tasks) != 68 or office is None:
            print(f"内置方案不完整：{len(plan.tasks)} 项任务", file=sys.stderr)
            return 1
        _step("database and built-in plan (68 tasks)", t)

        t = time.perf_counter()
        from PySide6.QtGui import QFontDatabase

        from gui.app import make_app
        from gui.main_window import MainWindow

        app = make_app([sys.argv[0]])
        window = MainWindow(session, office)
        cleanup.callback(window.close)
        window.show()
        app.processEvents()
        rows = window.model.rowCount()
        family = app.font().families()[0]
        if QFontDatabase.WritingSystem.SimplifiedChinese not in QFontDatabase.writingSystems(family):
            print(f"界面字体 {family} 不含中文：内置字体没有注册成功", file=sys.stderr)
            return 1
        if rows != 68:
            print(f"主窗口任务表行数不对：{rows}", file=sys.stderr)
            return 1
        _step(f"main window offscreen (68 rows, font {family})", t)

        t = time.perf_counter()
        from cli.smoke_dialogs import NEEDS_QTPDF, SmokeFailure, open_each_dialog, qtpdf_stops, wine_version

        try:
            titles = open_each_dialog(app, window)
        except SmokeFailure as exc:
            print(f"对话框打不开：{exc}", file=sys.stderr)
            return 1
        _step(f"{len(titles)} dialogs opened and closed ({'、'.join(titles)})", t)
        if qtpdf_stops():
            print(f"    {NEEDS_QTPDF}: not opened under Wine {wine_version()} (QtPdf stops there; see "
                  "cli/smoke_dialogs.py)", file=sys.stderr)

        t = time.perf_counter()
        built = reports.build(session, reports.ReportRequest(office, date(2019, 12, 4)))
        out = Path(tmp) / "report.pdf"
        reports.save(session, built, out, allow_empty=True)
        written = out.read_bytes()
        pages = written.count(b"/Type /Page") - written.count(b"/Type /Pages")
        if not written.startswith(b"%PDF-") or b"/FontFile2" not in written or pages < 2:
            print("报告 PDF 不完整（缺少页面或嵌入字体）", file=sys.stderr)
            return 1
        _step(f"report PDF ({pages} pages, {len(written):,} bytes, fonts embedded)", t)

        t = time.perf_counter()
        inputs = reports.snapshot(session, office)
        sizes = []
        for fmt in ("docx", "xlsx"):  # python-docx's template and openpyxl travel with the build
            data = reports.build_from(inputs, reports.ReportRequest(office, date(2019, 12, 4), fmt=fmt)).data
            if not data.startswith(b"PK"):
                print(f"报告的 {fmt} 文件不完整", file=sys.stderr)
                return 1
            sizes.append(f"{fmt} {len(data):,} bytes")
        _step(f"report Word and Excel ({', '.join(sizes)})", t)
    print("smoke test passed", file=sys.stderr)
    return 0

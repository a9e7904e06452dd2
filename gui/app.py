"""Starting the GUI: the QApplication, bundled fonts, the data folder, the office, the main window."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from core.model import Office
from core.paths import resolve_data_dir
from db.errors import StorageError
from db.store import Store
from gui.fonts import apply_app_font
from gui.tasks import run_in_background


def _tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("Taizhang")
    app.setApplicationName("Taizhang")
    app.setApplicationDisplayName(_tr("落实台账"))
    apply_app_font(app)
    return app  # type: ignore[return-value]


def open_store(data_dir: Path) -> Store:
    """Open (on first run: create and seed) the database off the UI thread; progress shows if slow."""
    loop = QEventLoop()
    result: dict[str, object] = {}

    def done(store: object) -> None:
        result["store"] = store
        loop.quit()

    def failed(exc: BaseException) -> None:
        result["error"] = exc
        loop.quit()

    run_in_background(lambda: Store.open(data_dir), done, failed, None, _tr("正在打开数据…"))
    loop.exec()
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["store"]  # type: ignore[return-value]


def known_office(store: Store, requested: str | None) -> tuple[Office | None, str]:
    """The office from --office, else the remembered one; with a warning when --office is unknown."""
    if requested:
        office = store.office(requested)
        if office is not None:
            return office, ""
        return None, _tr("没有名为“{0}”的单位，请从列表中选择。").format(requested)
    remembered = store.setting("office")
    return (store.office(remembered) if remembered else None), ""


def choose_office(store: Store, requested: str | None, parent=None) -> Office | None:
    """``known_office``, else ask once with the office dialog and remember the answer."""
    from gui.office_dialog import OfficeDialog

    office, warning = known_office(store, requested)
    if office is not None:
        return office
    if warning:
        QMessageBox.warning(parent, _tr("未知单位"), warning)
    dialog = OfficeDialog(store, None, parent)
    if not dialog.exec() or dialog.chosen is None:
        return None
    store.set_setting("office", dialog.chosen.name)
    return dialog.chosen


def _bring_forward(window) -> None:
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def run_gui(args: argparse.Namespace) -> int:
    from gui.backup_actions import show_notices
    from gui.shutdown import install_shutdown_hooks
    from gui.single_instance import SingleInstance

    app = make_app()
    data_dir = resolve_data_dir(args.data_dir)
    instance = SingleInstance(data_dir)
    if not instance.acquire():
        return 0  # the running window was asked to come forward
    try:
        store = open_store(data_dir)
    except StorageError as exc:
        QMessageBox.critical(None, _tr("无法打开数据"), exc.message)
        return 1
    try:
        show_notices(None, store.notices)
        office = choose_office(store, args.office)
        if office is None:
            return 0
        from gui.main_window import MainWindow

        window = MainWindow(store, office)
        instance.activationRequested.connect(lambda: _bring_forward(window))
        hooks = install_shutdown_hooks(app, window.autosaver.flush)
        window.show()
        app.setProperty("sqlite_version", sqlite3.sqlite_version)
        code = app.exec()
        del hooks
        return code
    except StorageError as exc:
        QMessageBox.critical(None, _tr("无法读写数据"), exc.message)
        return 1
    finally:
        store.close()
        instance.release()

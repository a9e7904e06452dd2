"""Starting the GUI: the QApplication, bundled fonts, the data folder, the office, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from actions.errors import StorageError
from actions.session import NOTICE_WARNING, SQLITE_VERSION, Notice, Session
from core.model import Office
from gui.app_font import apply_app_font
from gui.runner import default_runner
from gui.translations import install_chinese

if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace

    from gui.early_open import EarlyOpen


LISTEN_SOON_MS = 1000  # well after a normal first paint (~0.3 s); a slow check or a dialog runs the loop longer


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
    install_chinese(app)
    apply_app_font(app)
    return app  # type: ignore[return-value]


def open_session(data_dir: Path, early: EarlyOpen | None = None) -> Session:
    """Check, recover, migrate and (on first run) seed the data folder off the UI thread; progress shows if slow.

    With ``early``, the check already started before the window's modules loaded (``gui.early_open``): this
    waits for it the same way. The start backup is not taken here: the window starts it after its first paint
    (``start_backup``)."""
    loop = QEventLoop()
    result: dict[str, object] = {}

    def done(notices: object) -> None:
        result["notices"] = notices
        loop.quit()

    def failed(message: str) -> None:
        result["error"] = message
        loop.quit()

    job = early.job() if early is not None else lambda: Session.prepare(data_dir, auto_backup=False)
    default_runner().run(job, done, failed, label=_tr("正在打开数据…"))
    loop.exec()
    if "error" in result:
        raise StorageError(str(result["error"]), "cannot_open", data_dir)
    return Session.attach(data_dir, result["notices"])  # type: ignore[arg-type]  # this thread's connection


def known_office(session: Session, requested: str | None) -> tuple[Office | None, str]:
    """The office from --office, else the remembered one; with a warning when --office is unknown."""
    if requested:
        office = session.office(requested)
        if office is not None:
            return office, ""
        return None, _tr("没有名为“{0}”的单位，请从列表中选择。").format(requested)
    return session.remembered_office(), ""


def choose_office(session: Session, requested: str | None, parent=None) -> Office | None:
    """``known_office``, else ask once with the office dialog and remember the answer."""
    office, warning = known_office(session, requested)
    if office is not None:
        return office
    from gui.office_dialog import OfficeDialog

    if warning:
        QMessageBox.warning(parent, _tr("未知单位"), warning)
    dialog = OfficeDialog(session, None, parent)
    if not dialog.exec() or dialog.chosen is None:
        return None
    session.choose_office(dialog.chosen)
    return dialog.chosen


def install_excepthook() -> None:
    """A bug in a slot is logged with its traceback and told plainly, instead of vanishing on stderr."""
    log = logging.getLogger("taizhang.gui")

    def hook(kind, exc, tb) -> None:
        log.error("internal error", exc_info=(kind, exc, tb))
        QMessageBox.critical(QApplication.activeWindow(), _tr("内部错误"),
                             _tr("出现了程序错误：{0}: {1}\n已输入的内容均已保存。详细信息已写入日志文件。")
                             .format(kind.__name__, exc))

    sys.excepthook = hook


def _bring_forward(window) -> None:
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def show_notices(parent: QWidget | None, notices: list[Notice]) -> None:
    """Tell the clerk what happened while opening (recovery from a damaged file, warnings)."""
    for notice in notices:
        if notice.kind == NOTICE_WARNING:
            QMessageBox.warning(parent, _tr("注意"), notice.message)
        else:
            QMessageBox.critical(parent, _tr("数据库已恢复"), notice.message)


def run_gui(args: argparse.Namespace | SimpleNamespace, early: EarlyOpen | None = None) -> int:
    """The window. Only what the task table's first paint needs runs before it (issue 22): the start backup
    and the shutdown hooks follow right after it (``MainWindow(after_first_paint=...)``).

    ``early``: the folder's lock and its check, started by ``main.py`` before this module was imported (after
    the same check for the X11 libraries Qt needs)."""
    if early is None:
        from gui import xcb_check
        from gui.early_open import EarlyOpen

        if xcb_check.main():  # Qt would abort with a list of plugin names: the missing packages were named
            return 1
        early = EarlyOpen(args.data_dir)
    instance = early.instance
    try:
        return _run_window(args, early)
    finally:
        early.wait()  # the check started early has finished before the lock is let go
        instance.release()


def _run_window(args: argparse.Namespace | SimpleNamespace, early: EarlyOpen) -> int:
    app = make_app()
    install_excepthook()
    instance = early.instance
    if not instance.acquire(listen=False):
        return 0  # the running window was asked to come forward
    # The "come forward" server (QtNetwork, ~8 ms) starts after the first paint, or as soon as the event loop has
    # run for LISTEN_SOON_MS (a slow open-time check's progress, a dialog waiting for the clerk): a second launch
    # keeps trying to reach it meanwhile (gui/single_instance.py).
    QTimer.singleShot(LISTEN_SOON_MS, instance.listen)
    try:
        session = open_session(early.data_dir, early)
    except StorageError as exc:
        QMessageBox.critical(None, _tr("无法打开数据"), exc.message)
        return 1
    hooks = []
    try:
        show_notices(None, session.notices)
        office = choose_office(session, args.office)
        if office is None:
            return 0
        from gui.main_window import MainWindow

        def after_first_paint() -> None:
            import gc

            gc.enable()  # main.py turned it off for the start
            instance.listen()
            from gui.shutdown import install_shutdown_hooks

            hooks.append(install_shutdown_hooks(app, window.autosaver.flush))
            window.data_menu.backups.start_backup()

        window = MainWindow(session, office, after_first_paint=after_first_paint)
        instance.activationRequested.connect(lambda: _bring_forward(window))
        window.show()
        app.setProperty("sqlite_version", SQLITE_VERSION)
        code = app.exec()
        if window.is_built():  # a backup still running (the start backup, when closed at once) finishes first
            window.data_menu.backups.runner.wait()
        return code
    except StorageError as exc:
        QMessageBox.critical(None, _tr("无法读写数据"), exc.message)
        return 1
    finally:
        hooks.clear()
        session.close()

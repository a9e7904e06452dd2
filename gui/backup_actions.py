"""Backup and restore for the main window: dialogs, messages, and the work done off the UI thread.

``gui.data_menu.DataMenu`` creates one ``BackupActions``, puts its actions in the 数据 menu and
runs ``periodic_backup`` every 30 minutes; ``gui.app`` calls ``show_notices`` once after opening.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from db.backup import backup_if_changed, copy_database
from db.errors import StorageError
from db.recovery import NOTICE_WARNING, Notice
from db.restore import InvalidBackupError, check_backup_file, restore_database

FILE_FILTER = "落实台账数据 (*.sqlite3 *.db);;所有文件 (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupActions", text)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    """Runs ``fn`` on the thread pool; the outcome arrives on the UI thread through ``signals``."""

    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except StorageError as exc:
            self.signals.failed.emit(exc.message)
        except InvalidBackupError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # our bug: still a message, not a dead worker
            self.signals.failed.emit(_tr("内部错误：{0}: {1}").format(type(exc).__name__, exc))
        else:
            self.signals.done.emit(result)


def show_notices(parent: QWidget | None, notices: list[Notice]) -> None:
    """Tell the clerk what happened while opening (recovery from a damaged file, warnings)."""
    for notice in notices:
        if notice.kind == NOTICE_WARNING:
            QMessageBox.warning(parent, _tr("注意"), notice.message)
        else:
            QMessageBox.critical(parent, _tr("数据库已恢复"), notice.message)


class BackupActions(QObject):
    message = Signal(str)  # short status-bar text
    busyChanged = Signal(bool)

    def __init__(self, parent: QWidget, db_path: Path, close_store: Callable[[], None],
                 reopen_store: Callable[[], None]) -> None:
        super().__init__(parent)
        self.widget = parent
        self.db_path = Path(db_path)
        self.close_store = close_store
        self.reopen_store = reopen_store
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one backup or restore at a time, in order
        self._keep: set[_Signals] = set()

    def _run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
             on_failed: Callable[[str], None]) -> None:
        signals = _Signals(self)
        self._keep.add(signals)

        def finish() -> None:
            self._keep.discard(signals)
            self.busyChanged.emit(bool(self._keep))

        signals.done.connect(on_done)
        signals.failed.connect(on_failed)
        signals.done.connect(finish)
        signals.failed.connect(finish)
        self.busyChanged.emit(True)
        self.pool.start(_Job(fn, signals))

    # --- the 30-minute timer ----------------------------------------------------------------------
    def periodic_backup(self) -> None:
        """Slot for the editor's QTimer: a verified backup when the data changed; quiet otherwise."""
        def done(info: Any) -> None:
            if info is not None:
                self.message.emit(_tr("已自动备份（{0}）").format(info.label))

        self._run(lambda: backup_if_changed(self.db_path, "auto"), done,
                  lambda text: self.message.emit(_tr("自动备份没有成功：{0}").format(text)))

    # --- manual backup ----------------------------------------------------------------------------
    def backup_to_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.widget, _tr("选择备份到哪个文件夹（例如U盘）"))
        if folder:
            self.backup_to(Path(folder) / f"taizhang-backup-{datetime.now():%Y%m%d-%H%M%S}.sqlite3")

    def backup_to(self, dest: Path) -> None:
        self._run(lambda: copy_database(self.db_path, dest),
                  lambda _r: QMessageBox.information(self.widget, _tr("备份完成"),
                                                     _tr("已备份到 {0}\n（已通过完整性检查）").format(dest)),
                  lambda text: QMessageBox.warning(self.widget, _tr("备份没有成功"), text))

    # --- restore ----------------------------------------------------------------------------------
    def restore_from_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.widget, _tr("选择要恢复的备份文件"), "", _tr(FILE_FILTER))
        if name:
            self.restore_from(Path(name))

    def restore_from(self, source: Path) -> None:
        """Check the file first (off the UI thread), ask, then close the store, restore and reopen."""
        def checked(_r: Any) -> None:
            answer = QMessageBox.question(
                self.widget, _tr("从备份恢复"),
                _tr("用 {0} 替换当前数据？\n当前数据会先自动备份，恢复后可以再换回来。").format(source.name))
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.close_store()
            self._run(lambda: restore_database(self.db_path, source), restored, failed_after_close)

        def restored(result: Any) -> None:
            self.reopen_store()
            note = (_tr("\n恢复前的数据已备份为 {0}").format(result.safety_backup.path.name)
                    if result.safety_backup else "")
            QMessageBox.information(self.widget, _tr("恢复完成"), _tr("已从 {0} 恢复数据。").format(source) + note)

        def failed_after_close(text: str) -> None:
            self.reopen_store()
            QMessageBox.warning(self.widget, _tr("恢复没有成功"), text + _tr("\n当前数据没有改动。"))

        self._run(lambda: check_backup_file(source), checked,
                  lambda text: QMessageBox.warning(self.widget, _tr("不能用这个文件恢复"), text))

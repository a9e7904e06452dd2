"""Backup and restore for the main window: dialogs and messages over ``actions.backups``.

``gui.data_menu.DataMenu`` creates one ``BackupActions``, puts its actions in the 数据 menu and
runs ``periodic_backup`` every 30 minutes; ``gui.app`` has it take the start backup (``start_backup``) right
after the window's first paint.
The work runs on a serial :class:`~gui.runner.Runner`: one backup or restore at a time, in order.

Signals:
    message(str): short status-bar text.
    busyChanged(bool): a backup or restore is running.
    restored(): the data was replaced (or the restore failed after closing): everything must reload.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from actions import backups
from actions.session import Session
from gui.runner import Runner

#: A backup folder on a USB stick holds taizhang.sqlite3 beside its evidence/: the clerk picks that file.
FILE_FILTER = "落实台账备份 (*.sqlite3 *.db);;所有文件 (*)"
log = logging.getLogger("taizhang.gui")


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupActions", text)


class BackupActions(QObject):
    message = Signal(str)
    busyChanged = Signal(bool)
    restored = Signal()

    def __init__(self, parent: QWidget, session: Session) -> None:
        super().__init__(parent)
        self.widget = parent
        self.session = session
        self.runner = Runner(self, serial=True)
        self.runner.busyChanged.connect(self.busyChanged)

    def _warn(self, title: str):
        return lambda text: QMessageBox.warning(self.widget, title, text)

    # --- the start backup and the 30-minute timer -----------------------------------------------------
    def start_backup(self) -> None:
        """The start backup: a verified backup when the data changed since the newest one, as the commands take
        before they run. The window takes it here, after its first paint, on its own connection (it used to
        hold up the window by ~10 ms, and by a whole copy when the data had changed). A failure is told as
        opening's warnings are (注意), not only in the status bar."""
        db_path = self.session.db_path

        def failed(text: str) -> None:
            log.warning("start backup failed: %s", text)
            QMessageBox.warning(self.widget, _tr("注意"), _tr("自动备份没有成功：{0}").format(text))

        self.runner.run(lambda: backups.periodic_backup(db_path, "start"), lambda _info: None, failed)

    def periodic_backup(self) -> None:
        """Slot for the editor's QTimer: a verified backup when the data changed; quiet otherwise."""
        def done(info: Any) -> None:
            if info is not None:
                self.message.emit(_tr("已自动备份（{0}）").format(info.label))

        db_path = self.session.db_path
        self.runner.run(lambda: backups.periodic_backup(db_path), done,
                        lambda text: self.message.emit(_tr("自动备份没有成功：{0}").format(text)))

    # --- manual backup ----------------------------------------------------------------------------
    def backup_now(self, on_done=None) -> None:
        """A verified backup into the data folder's backups (备份管理 → 立即备份)."""
        def done(info: Any) -> None:
            self.message.emit(_tr("已备份（{0}）").format(info.label))
            if on_done is not None:
                on_done(info)

        db_path = self.session.db_path
        self.runner.run(lambda: backups.backup_now(db_path), done,
                        self._warn(_tr("备份没有成功")), widget=self.widget, label=_tr("正在备份…"))

    def backup_to_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.widget, _tr("选择备份到哪个文件夹（例如U盘）"))
        if folder:  # a dated backup folder (database and every evidence file) is created inside it
            self.backup_to(Path(folder))

    def backup_to(self, dest: Path) -> None:
        """Back up to a folder (a dated file inside it) or a file, through the write guard."""
        try:
            target = backups.backup_target(self.session, dest)
        except backups.ActionError as exc:
            QMessageBox.warning(self.widget, _tr("备份没有成功"), str(exc))
            return
        db_path = self.session.db_path

        def done(copy: Any) -> None:
            text = _tr("已备份到 {0}\n（已通过完整性检查）").format(copy.path)
            QMessageBox.information(self.widget, _tr("备份完成"), text)

        self.runner.run(lambda: backups.backup_to(db_path, target), done, self._warn(_tr("备份没有成功")),
                        widget=self.widget, label=_tr("正在备份…"))

    # --- restore ----------------------------------------------------------------------------------
    def restore_from_file(self) -> None:
        start = str(backups.backups_folder(self.session))
        name, _ = QFileDialog.getOpenFileName(self.widget, _tr("选择要恢复的备份文件"), start, _tr(FILE_FILTER))
        if name:
            self.restore_from(Path(name))

    def confirm_text(self, source: Path) -> str:
        return _tr("恢复会用备份文件“{0}”中的内容替换现在的全部数据：所有方案、各单位的落实情况和历史版本、"
                   "已提交的报告存档以及设置。备份之后输入的内容将不再显示。\n\n"
                   "替换之前，现在的数据会先自动备份一份（类型为“恢复前”，在“备份管理”中可以找到），"
                   "需要时可以再换回来。\n\n确定要恢复吗？").format(source.name)

    def offer_evidence(self, missing: list[str]) -> None:
        """Evidence the backup could not bring back: name it, and offer to take it from another backup."""
        answer = QMessageBox.question(
            self.widget, _tr("部分佐证材料已损坏"),
            _tr("数据库已恢复，但以下 {0} 项佐证材料的文件在备份中已损坏或缺失：\n{1}\n\n"
                "要从另一份备份（如U盘上的另一个备份文件夹）取回这些文件吗？").format(
                len(missing), "\n".join(missing[:8])))
        if answer != QMessageBox.StandardButton.Yes:
            return
        folder = QFileDialog.getExistingDirectory(self.widget, _tr("选择另一份备份文件夹"),
                                                  str(backups.backups_folder(self.session)))
        if not folder:
            return

        def fetched(result: Any) -> None:
            count, still = result
            text = _tr("已取回 {0} 个佐证材料文件。").format(count)
            if still:
                text += _tr("\n仍缺少 {0} 项：\n{1}").format(len(still), "\n".join(still[:8]))
            QMessageBox.information(self.widget, _tr("取回佐证材料"), text)

        self.runner.run(lambda: backups.fetch_evidence(self.session, folder), fetched,
                        self._warn(_tr("不能从这份备份取回")), widget=self.widget)

    def restore_from(self, source: Path) -> None:
        """Check the file first (off the UI thread), ask, then restore (the session closes and reopens)."""
        def checked(_r: Any) -> None:
            answer = QMessageBox.question(self.widget, _tr("从备份恢复"), self.confirm_text(source))
            if answer != QMessageBox.StandardButton.Yes:
                return
            data_dir = self.session.data_dir
            self.session.close()  # on this thread, which owns the connection; the job opens its own
            self.runner.run(lambda: backups.restore_closed(data_dir, source), restored, failed_after_close,
                            widget=self.widget, label=_tr("正在恢复…"))

        def restored(result: Any) -> None:
            self.session.reconnect()
            self.restored.emit()
            note = (_tr("\n恢复前的数据已备份为 {0}").format(result.safety_backup.path.name)
                    if result.safety_backup else "")
            QMessageBox.information(self.widget, _tr("恢复完成"), _tr("已从 {0} 恢复数据。").format(source) + note)
            if result.missing_evidence:
                self.offer_evidence(list(result.missing_evidence))

        def failed_after_close(text: str) -> None:
            self.session.reconnect()
            self.restored.emit()
            QMessageBox.warning(self.widget, _tr("恢复没有成功"), text + _tr("\n当前数据没有改动。"))

        self.runner.run(lambda: backups.check_source(source, self.session), checked,
                        self._warn(_tr("不能用这个文件恢复")), widget=self.widget)

"""已保存到…（打开文件夹）: where a save went, said in the dialog that saved it."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtWidgets import QLabel


def show_saved(label: QLabel, path: str | Path) -> None:
    """Put “已保存到 <file>（打开文件夹）” into ``label``; the link opens the folder (or says it cannot)."""
    path = Path(path)
    folder = QUrl.fromLocalFile(str(path.parent)).toString()
    text = QCoreApplication.translate("saved", "已保存到 {0}（<a href=\"{1}\">打开文件夹</a>）").format(
        html.escape(str(path)), html.escape(folder))
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setStyleSheet("color:#1e8a3c;")
    label.setText(text)
    label.setToolTip(str(path))
    if not label.property("saved_note_connected"):
        label.linkActivated.connect(lambda url, lb=label: _open_folder(lb, url))
        label.setProperty("saved_note_connected", True)


def _open_folder(label: QLabel, url: str) -> None:
    from gui.evidence_panel import open_url

    if not open_url(QUrl(url)):
        note = QCoreApplication.translate("saved", "　没有可打开文件夹的程序，请在文件管理器中打开：{0}")
        label.setText(label.text() + note.format(html.escape(QUrl(url).toLocalFile())))

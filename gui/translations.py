"""Chinese for Qt's own texts, whatever the PC's locale: buttons, context menus, calendars, file dialogs.

Qt ships ``qtbase_zh_CN.qm`` (kept by build.spec); it is loaded at start, and a few of its words are replaced
where the clerk reads another one (撤销 is today's standard form of 撤消; keyboards say Enter, not 回车).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("taizhang.gui")

# Qt's standard buttons (QMessageBox, QDialogButtonBox) by the platform theme's source texts: Chinese even if
# qtbase_zh_CN.qm were missing. The GNOME theme (used under GTK desktops) has its own words for a few.
_BUTTONS = {
    "OK": "确定", "Save": "保存", "Save All": "全部保存", "Open": "打开", "&Yes": "是(&Y)", "Yes to &All": "全部是",
    "&No": "否(&N)", "N&o to All": "全部否", "Abort": "中止", "Retry": "重试", "Ignore": "忽略", "Close": "关闭",
    "Cancel": "取消", "Discard": "放弃", "Help": "帮助", "Apply": "应用", "Reset": "重置",
    "Restore Defaults": "恢复默认值",
}
_GNOME_BUTTONS = {"&OK": "确定", "&Save": "保存", "&Cancel": "取消", "&Close": "关闭", "Close without Saving": "放弃"}

# (context, source text) -> what the clerk sees instead of qtbase's word (or of the English, without it).
_OVERRIDES = {
    **{("QPlatformTheme", k): v for k, v in _BUTTONS.items()},
    **{("QGnomeTheme", k): v for k, v in _GNOME_BUTTONS.items()},
    ("QLineEdit", "&Undo"): "撤销(&U)",
    ("QWidgetTextControl", "&Undo"): "撤销(&U)",
    ("QShortcut", "Return"): "Enter",
    ("QShortcut", "Enter"): "Enter",
}


class _Overrides(QTranslator):
    """Installed after qtbase's translator, so it is asked first; answers only the words above."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return _OVERRIDES.get((context, source))  # None: a null string, so Qt asks the next translator

    def isEmpty(self) -> bool:
        return False


_installed: list[QTranslator] = []


def translations_folder() -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def install_chinese(app: QCoreApplication) -> bool:
    """Chinese locale (calendars, dates) and Qt's zh_CN texts; returns whether qtbase_zh_CN.qm loaded.

    Without the file (a broken build) context menus and dialogs stay English, but message-box buttons do not.
    """
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if _installed:
        return True
    base = QTranslator(app)
    loaded = base.load("qtbase_zh_CN", str(translations_folder()))
    if loaded:
        app.installTranslator(base)
        _installed.append(base)
    else:
        log.warning("qtbase_zh_CN.qm not found in %s: Qt's own texts stay English", translations_folder())
    overrides = _Overrides(app)
    app.installTranslator(overrides)
    _installed.append(overrides)
    return loaded

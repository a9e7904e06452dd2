"""``--smoke-test``'s second half: every dialog a menu or button of the main window reaches, opened and closed.

Each is opened the way a clerk opens it (its menu action, or the evidence panel's button), offscreen, and must
appear as a new visible window; the report dialog must also finish its preview (reportlab and Qt's PDF module at
work). A dialog whose module or data file the build left out fails here, in CI, instead of on the clerk's PC.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

# Under Wine 8 (Debian bookworm's, which make dist-windows uses) QtPdf's PDFium stops the process (int3 in
# Qt6Pdf.dll) as soon as a document is loaded, so the report dialog, whose preview is a QPdfView, cannot be
# opened there. Wine 10 loads and renders the same PDF (checked in a Debian trixie chroot), as Windows does.
NEEDS_QTPDF = "打印报告"
QTPDF_WINE_MAJOR = 10


class SmokeFailure(Exception):
    """A dialog did not open (or its preview did not finish); the message says which."""


def _wait(app, done: Callable[[], bool], seconds: float) -> bool:
    """Run the event loop until ``done()`` (a background job has finished) or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.01)
    return True


def open_each_dialog(app, window) -> list[str]:
    """Open and close each dialog; returns their window titles, or raises SmokeFailure."""
    from shiboken6 import isValid

    window.finish_building()
    window.select_row(0)  # a task in the detail pane, so the evidence panel's buttons are live
    app.processEvents()
    panel = window.detail.evidence
    # The county window's menu action also asks for .zip files at once (a blocking file dialog): the smoke test
    # opens the window without asking.
    openers: list[tuple[str, Callable[[], object]]] = [
        ("导入方案", window.data_menu.act_import.trigger),
        ("备份管理", window.data_menu.act_manage.trigger),
        ("打印报告", window.menus.act_report.trigger),
        ("生成报送材料", window.menus.act_package.trigger),
        ("添加网页链接", panel.link_button.click),
        ("汇总窗口", lambda: window.data_menu.open_county(ask_files=False)),
        ("关于", window.help_menu.act_about.trigger),
    ]
    if qtpdf_stops():
        openers = [(name, opener) for name, opener in openers if name != NEEDS_QTPDF]
    titles = []
    for name, opener in openers:
        before = {id(w) for w in app.topLevelWidgets() if w.isVisible()}
        opener()
        app.processEvents()
        new = [w for w in app.topLevelWidgets() if w.isVisible() and id(w) not in before]
        if len(new) != 1:
            raise SmokeFailure(f"{name}：应打开一个窗口，实际 {len(new)} 个")
        dialog = new[0]
        if hasattr(dialog, "is_ready") and not _wait(app, lambda d=dialog: d.is_ready(), 120):
            raise SmokeFailure(f"{name}：预览没有生成")
        titles.append(dialog.windowTitle())
        if hasattr(dialog, "reject"):
            dialog.reject()
        dialog.close()
        app.processEvents()
        if isValid(dialog) and dialog.isVisible():  # some delete themselves on close
            raise SmokeFailure(f"{name}：关不掉")
    return titles


def wine_version() -> str | None:
    """Wine's version when this is Windows as Wine provides it (its ntdll exports wine_get_version), else None."""
    if sys.platform != "win32":
        return None
    import ctypes

    try:
        get = ctypes.WinDLL("ntdll").wine_get_version
    except (OSError, AttributeError):
        return None
    get.restype = ctypes.c_char_p
    return (get() or b"").decode("ascii", "replace")


def qtpdf_stops() -> bool:
    """Whether this is a Wine older than 10, where QtPdf cannot load a document."""
    version = wine_version()
    if version is None:
        return False
    major = version.split(".")[0]
    return not major.isdigit() or int(major) < QTPDF_WINE_MAJOR

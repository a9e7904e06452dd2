"""Before Qt starts on X11: are the system libraries Qt's xcb platform plugin needs there?

Without them Qt aborts with "Could not load the Qt platform plugin xcb" and a list of plugins the clerk
cannot act on. This names the missing Debian/Ubuntu packages instead. No Qt import here: it runs first
(``make run`` calls ``python -m gui.xcb_check``; ``main.py`` calls :func:`main` before a window start).

The list is what ``readelf -d`` shows as NEEDED by PySide6 6.12's ``libqxcb.so`` and ``libQt6XcbQpa.so.6``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

#: Shared library → the Debian/Ubuntu package that ships it.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxcb.so.1": "libxcb1",
}


def _loads(name: str) -> bool:
    import ctypes  # only on Linux under X11: ~2 ms of every other start

    folders = [Path(sys._MEIPASS)] if getattr(sys, "_MEIPASS", None) else []  # a frozen build's own copies
    for candidate in [*(str(f / name) for f in folders), name]:
        try:
            ctypes.CDLL(candidate)
            return True
        except OSError:
            continue
    return False


def uses_xcb(environ: dict[str, str] | None = None, platform: str = sys.platform) -> bool:
    """Whether Qt will pick the xcb platform: Linux, an X display, no other platform asked for or preferred."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return False
    asked = env.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked.split(":")[0].split(";")[0] == "xcb"
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return False
    return bool(env.get("DISPLAY"))


def missing_packages(loads: Callable[[str], bool] = _loads) -> list[str]:
    """The Debian/Ubuntu packages whose libraries cannot be loaded, in the order listed above."""
    return [package for library, package in XCB_LIBRARIES.items() if not loads(library)]


def message(packages: list[str]) -> str:
    return ("窗口无法打开：缺少 Qt 图形界面（X11/xcb）需要的系统库。\n"
            "请让管理员安装以下软件包后再启动：\n"
            f"    sudo apt-get install {' '.join(packages)}\n"
            "（Debian/Ubuntu/统信UOS/麒麟的包名；其他发行版请安装同名的 xcb-util 库。）")


def main() -> int:
    if not uses_xcb():
        return 0
    packages = missing_packages()
    if packages:
        print(message(packages), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

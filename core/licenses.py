"""What the builds bundle and under which licence: the list 帮助 → 关于 shows, and the texts that go with it.

Every file named here ships inside the build (``resources/`` is bundled whole); ``tests/test_licenses.py``
checks that each runtime dependency, and each dependency of those, has an entry, and that versions match
the pins in requirements.txt. ``python -m core.licenses DEST`` copies all texts into ``DEST`` (the builds'
top-level ``licenses/`` folder).
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from core.resources import resource_path, resource_root
from core.version import VERSION

FONTS_LICENCE_DIR = ("fonts", "LICENSES")


@dataclass(frozen=True)
class Component:
    """One bundled piece of software or font set, and where its licence text lives under ``resources/``."""

    name: str
    version: str
    licence: str  # SPDX identifier or a short plain name
    purpose: str  # what it does in the app, for the 关于 list
    files: tuple[str, ...]  # paths relative to resources/, "/"-separated
    platforms: tuple[str, ...] = ("linux", "win32")
    distributions: tuple[str, ...] = ()  # PyPI names this entry covers (for the dependency check)


_L = "licenses/"
_LGPL = (_L + "LGPL-3.0.txt", _L + "GPL-3.0.txt")

COMPONENTS: tuple[Component, ...] = (
    Component("落实台账", VERSION, "MIT", "本软件", (_L + "taizhang-MIT.txt",)),
    Component("Python", "3.11", "PSF-2.0", "运行环境（含 SQLite、zlib、libffi 等，见许可文本）",
              (_L + "Python-3.11.txt",)),
    Component("Qt", "6.8.3", "LGPL-3.0-only", "界面、预览与打印（Qt 动态库可替换）",
              (_L + "Qt-LGPL-notice.txt", *_LGPL, _L + "Qt-qtbase-copyright.txt", _L + "Qt-qtpdf-copyright.txt",
               _L + "Qt-qtsvg-copyright.txt"),
              distributions=("pyside6-essentials", "pyside6-addons")),
    Component("Qt for Python (pyside6, shiboken6)", "6.8.3", "LGPL-3.0-only", "Qt 的 Python 绑定",
              (_L + "Qt-LGPL-notice.txt", *_LGPL),
              distributions=("pyside6", "shiboken6")),
    Component("ReportLab", "5.1.0", "BSD-3-Clause", "生成报告 PDF", (_L + "reportlab.txt",),
              distributions=("reportlab",)),
    Component("rl-accel", "0.9.1", "BSD-3-Clause", "ReportLab 加速模块", (_L + "rl-accel.txt",),
              distributions=("rl-accel",)),
    Component("Pillow", "13.0.0", "MIT-CMU", "ReportLab 的图像支持（含 libjpeg、zlib 等，见许可文本）",
              (_L + "Pillow.txt",), distributions=("pillow",)),
    Component("charset-normalizer", "3.5.3", "MIT", "ReportLab 的编码识别", (_L + "charset-normalizer.txt",),
              distributions=("charset-normalizer",)),
    Component("sqlite-utils", "4.2.1", "Apache-2.0", "数据库结构与迁移", (_L + "Apache-2.0.txt",),
              distributions=("sqlite-utils",)),
    Component("sqlite-fts4", "1.0.3", "Apache-2.0", "sqlite-utils 的依赖", (_L + "Apache-2.0.txt",),
              distributions=("sqlite-fts4",)),
    Component("click", "8.5.1", "BSD-3-Clause", "sqlite-utils 的依赖", (_L + "click.txt",), distributions=("click",)),
    Component("click-default-group", "1.2.4", "BSD-3-Clause", "sqlite-utils 的依赖", (_L + "click-default-group.txt",),
              distributions=("click-default-group",)),
    Component("tabulate", "0.10.0", "MIT", "sqlite-utils 的依赖", (_L + "tabulate.txt",), distributions=("tabulate",)),
    Component("python-dateutil", "4.0.0", "Apache-2.0 OR BSD-3-Clause", "sqlite-utils 的依赖",
              (_L + "python-dateutil.txt", _L + "Apache-2.0.txt"), distributions=("python-dateutil",)),
    Component("pluggy", "1.7.0", "MIT", "sqlite-utils 的依赖", (_L + "pluggy.txt",), distributions=("pluggy",)),
    Component("tzdata", "2026.6", "Apache-2.0", "python-dateutil 的时区数据（数据本身属公有领域）",
              (_L + "tzdata.txt", _L + "Apache-2.0.txt"), distributions=("tzdata",)),
    Component("typing_extensions", "4.16.0", "PSF-2.0", "click 的依赖", (_L + "typing-extensions.txt",),
              distributions=("typing-extensions",)),
    Component("openpyxl", "3.1.5", "MIT", "读取 .xlsx 方案", (_L + "openpyxl.txt",), distributions=("openpyxl",)),
    Component("et-xmlfile", "2.0.0", "MIT", "openpyxl 的依赖", (_L + "et-xmlfile.txt",), distributions=("et-xmlfile",)),
    Component("xlrd", "2.0.1", "BSD-3-Clause", "读取 .xls 方案", (_L + "xlrd.txt",), distributions=("xlrd",)),
    Component("pypdf", "7.1.0", "BSD-3-Clause", "读取 PDF 方案中的文字", (_L + "pypdf.txt",), distributions=("pypdf",)),
    Component("platformdirs", "4.14.5", "MIT", "找到各系统的用户数据文件夹", (_L + "platformdirs.txt",),
              distributions=("platformdirs",)),
    Component("python-docx", "1.2.0", "MIT", "生成 Word 报告", (_L + "python-docx.txt",),
              distributions=("python-docx",)),
    Component("lxml（含 libxml2、libxslt）", "6.1.3", "BSD-3-Clause", "python-docx 的 XML 组件",
              (_L + "lxml.txt",), distributions=("lxml",)),
    Component("Font Awesome Free（图标字体）", "6.7.2", "OFL-1.1", "界面图标（随 qtawesome 1.4.2 提供的两个字体文件）",
              (_L + "FontAwesome-Free-OFL-1.1.txt",), distributions=("qtawesome",)),
    Component("PyInstaller 启动程序", "6.22.3", "GPL-2.0-or-later WITH Bootloader-exception", "打包后的启动程序",
              (_L + "PyInstaller.txt",)),
    Component("Microsoft Visual C++ 运行库", "14", "Microsoft 可再发行组件", "Windows 版 Python 与 Qt 的运行库",
              (_L + "MSVC-runtime.txt",), platforms=("win32",)),
)


def _platform_key(platform: str) -> str:
    return "win32" if platform == "win32" else "linux"


def font_licence_files() -> tuple[str, ...]:
    """The fonts' README, every licence file beside them (``resources/fonts/LICENSES``), and the GPL-3 and
    Apache-2.0 texts Debian's copyright files only point to."""
    folder = resource_path(*FONTS_LICENCE_DIR)
    names = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return ("fonts/README.md", *("/".join((*FONTS_LICENCE_DIR, n)) for n in names),
            _L + "GPL-3.0.txt", _L + "Apache-2.0.txt")


def bundled_components(platform: str = sys.platform) -> list[Component]:
    """Everything a build for ``platform`` ships, the bundled fonts last."""
    key = _platform_key(platform)
    fonts = Component("内置字体", "", "见各字体许可", "报告与界面的中文字体（宋、楷、黑）", font_licence_files())
    return [c for c in COMPONENTS if key in c.platforms] + [fonts]


def licence_path(relative: str) -> Path:
    return resource_path(*relative.split("/"))


def licence_text(component: Component) -> str:
    """All licence texts of one component, each under its file name."""
    parts = []
    for rel in component.files:
        text = licence_path(rel).read_text(encoding="utf-8", errors="replace")
        parts.append(f"==== {rel.rsplit('/', 1)[-1]} ====\n{text.rstrip()}\n")
    return "\n".join(parts)


def missing_files(platform: str = sys.platform) -> list[str]:
    """Licence files that are listed but absent or empty (should always be [])."""
    return sorted({rel for c in bundled_components(platform) for rel in c.files
                   if not licence_path(rel).is_file() or licence_path(rel).stat().st_size == 0})


def export_licences(dest: Path, platform: str = sys.platform) -> list[Path]:
    """Copy every licence file of a ``platform`` build into ``dest`` (same relative layout); returns the copies."""
    copies = []
    for rel in sorted({rel for c in bundled_components(platform) for rel in c.files}):
        target = dest.joinpath(*rel.split("/")[1:]) if rel.startswith(_L) else dest.joinpath(*rel.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(licence_path(rel), target)
        copies.append(target)
    return copies


if __name__ == "__main__":  # python -m core.licenses DEST [PLATFORM]
    _dest = Path(sys.argv[1])
    _copies = export_licences(_dest, sys.argv[2] if len(sys.argv) > 2 else sys.platform)
    print(f"{len(_copies)} licence files in {_dest} (from {resource_root()})")

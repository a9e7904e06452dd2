"""帮助 → 关于 and the first-start notice: what the window tells about the app and the built-in plan."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

from actions.log import log_path
from actions.session import SQLITE_VERSION, Session
from core.resources import resource_path
from core.version import VERSION

FIRST_START_SEEN = "first_start_notice_seen"


def app_version() -> str:
    """The one version string (core.version), the same in 关于 and in every package's manifest."""
    return VERSION


@dataclass(frozen=True)
class Licence:
    component: str  # e.g. "gbsn00lp.ttf（AR PL SungtiL GB）"
    licence: str  # e.g. "Arphic Public License"
    files: tuple[Path, ...] = ()  # the licence texts shipped with it


@dataclass(frozen=True)
class AboutInfo:
    version: str
    data_dir: Path
    sqlite_version: str
    python_version: str
    log_file: Path
    licences: list[Licence] = field(default_factory=list)


def font_licences() -> list[Licence]:
    """The bundled fonts and their licence files (resources/fonts/LICENSES/), from the fonts' README table."""
    folder = resource_path("fonts")
    licence_dir = folder / "LICENSES"
    files = sorted(licence_dir.iterdir()) if licence_dir.is_dir() else []
    out = []
    try:
        readme = (folder / "README.md").read_text(encoding="utf-8")
    except OSError:
        readme = ""
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or not cells[0].split(" ")[0].endswith((".ttf", ".ttc", ".otf", ".ttf.xz")):
            continue
        name, package, licence = cells[0].split(" ")[0], cells[3].split(" ")[0], cells[4].split("(")[0].strip()
        own = tuple(f for f in files if package in f.name or (f.name == "ARPHICPL.TXT" and "Arphic" in licence))
        out.append(Licence(name, licence, own))
    if not out and files:  # no table: at least name the licence files
        out = [Licence(f.name, f.name, (f,)) for f in files]
    return out


def _component_licences() -> list[Licence]:
    """What ``core.licenses`` lists about the other bundled components, when that module exists."""
    if importlib.util.find_spec("core.licenses") is None:
        return []
    module = importlib.import_module("core.licenses")
    items = None
    for name in ("bundled_components", "components", "licences", "licenses"):
        value = getattr(module, name, None)
        if callable(value):
            items = value()
            break
    if items is None:
        items = next((getattr(module, n) for n in ("COMPONENTS", "BUNDLED", "LICENCES", "LICENSES")
                      if hasattr(module, n)), [])
    out = []
    for item in items.values() if isinstance(items, dict) else items:
        name = str(getattr(item, "name", getattr(item, "component", item)))
        licence = str(getattr(item, "licence", getattr(item, "license", getattr(item, "spdx", ""))))
        path = getattr(item, "path", getattr(item, "file", None))
        out.append(Licence(name, licence, (Path(path),) if path else ()))
    return out


def about(session: Session) -> AboutInfo:
    licences = font_licences()
    with contextlib.suppress(Exception):  # the 关于 box must open even if that list is broken
        licences += _component_licences()
    return AboutInfo(app_version(), session.data_dir, SQLITE_VERSION, sys.version.split()[0],
                     log_path(session.data_dir), licences)


def first_start_notice(session: Session) -> str | None:
    """On first start (only the built-in plan, notice not yet dismissed): what the built-in plan is."""
    if session.setting(FIRST_START_SEEN) == "1":
        return None
    plans = session.plans()
    if len(plans) != 1:
        return None
    plan = plans[0]
    return (f"现在显示的是程序自带的示例方案《{plan.title}》（{plan.year}年，{plan.task_count}项任务），"
            f"它的报送时限早已过去，可以用来熟悉操作。收到今年的分工方案后，"
            f"请用“数据 → 导入新方案…”导入（支持网页、Word、Excel、文本）。")


def dismiss_first_start(session: Session) -> None:
    session.set_setting(FIRST_START_SEEN, "1")

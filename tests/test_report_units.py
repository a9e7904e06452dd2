"""Fonts, text preparation, line breaking and safe writing of the report engine."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.model import Progress, ReportTexts, Role
from core.report import (
    MISSING_MARKER,
    ReportOptions,
    ReportWriteError,
    assigned_tasks,
    content_hash,
    missing_glyphs,
    write_pdf_atomic,
)
from core.report.content import cn_number
from core.report.fonts import get_fontset
from core.report.layout import make_styles
from core.report.linebreak import CANNOT_END, CANNOT_START, CJKParagraph, find_break
from core.report.text import chinese_date, to_print_punctuation
from core.resources import resource_path
from tests.report_fixtures import OFFICE, REPORT_DATE, real_plan, town_roles

BUNDLED = ReportOptions(office=OFFICE, report_date=REPORT_DATE, font_choice="bundled")


def test_assigned_tasks_follow_roles() -> None:
    plan = real_plan()
    tasks = assigned_tasks(plan, town_roles(plan))
    numbers = [t.number for t in tasks]
    assert len(numbers) == 66
    assert 65 not in numbers and 68 not in numbers
    assert numbers == sorted(numbers)
    assert assigned_tasks(plan, {}) == []


def test_resource_path_points_at_bundled_fonts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert resource_path("fonts", "FandolFang-Regular.ttf.xz").is_file()
    for name in ("FandolKai-Regular.ttf.xz", "wqy-microhei.ttc", "README.md"):
        assert resource_path("fonts", name).is_file()
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert resource_path("fonts", "x.ttf") == tmp_path / "resources" / "fonts" / "x.ttf"


def test_fallback_runs_for_rare_characters() -> None:
    fonts = get_fontset("bundled")
    runs = fonts.runs("王堃同志", "body")
    assert [t for _, t in runs] == ["王", "堃", "同志"]
    assert runs[0][0] == fonts.primary("body") and runs[1][0] != runs[0][0]
    assert runs[1][0] == fonts.chains["body"][-1].name  # the 黑 fallback
    assert fonts.missing("王堃同志") == set()


def test_missing_glyphs_reported_and_marked() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = {3: Progress(task=3, achievements="编号𪜀𫠠完成")}  # CJK Ext. B/C characters
    missing = missing_glyphs(plan, roles, progress, ReportTexts(), BUNDLED)
    assert missing == {"𪜀", "𫠠"}
    fonts = get_fontset("bundled")
    assert "".join(t for _, t in fonts.runs("𪜀字", "body")) == MISSING_MARKER + "字"
    assert missing_glyphs(plan, roles, {}, ReportTexts(signer="悦城镇人民政府"), BUNDLED) == set()


def test_official_fonts_preferred_in_auto_only(tmp_path: Path) -> None:
    # A stand-in "official" 楷体 and 黑体: copies of bundled files under the official names.
    shutil.copy(resource_path("fonts", "wqy-microhei.ttc"), tmp_path / "SIMKAI.TTF")
    (tmp_path / "simhei.ttf").write_bytes(b"not a font")  # broken files are skipped
    auto = get_fontset("auto", [tmp_path])
    assert auto.chains["kai"][0].file.path == tmp_path / "SIMKAI.TTF"
    assert auto.chains["kai"][0].file.official
    assert auto.chains["hei"][0].file.path.name == "wqy-microhei.ttc"
    bundled = get_fontset("bundled", [tmp_path])
    assert bundled.chains["kai"][0].file.path.name == "FandolKai-Regular.ttf.xz"
    with pytest.raises(ValueError):
        get_fontset("system")


@pytest.mark.parametrize(("raw", "printed"), [
    ("各镇政府(街道办)、县各部门单位负责", "各镇政府（街道办）、县各部门单位负责"),
    ("全面、精准做好重要政策措施解读工作,推进公开", "全面、精准做好重要政策措施解读工作，推进公开"),
    ("发布信息1,000条;时间10:30", "发布信息1,000条；时间10:30"),
    ("导出格式(PDF)文件", "导出格式（PDF）文件"),
    ("see (PDF) file", "see (PDF) file"),
])
def test_print_punctuation(raw: str, printed: str) -> None:
    assert to_print_punctuation(raw) == printed


def test_chinese_numbers_and_dates() -> None:
    assert chinese_date(date(2019, 12, 4)) == "2019年12月4日"
    assert chinese_date(date(2020, 1, 10)) == "2020年1月10日"
    assert [cn_number(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]


def test_find_break_backs_up_before_comma_and_after_opening_quote() -> None:
    chars = list("政务公开“工作，要点")
    # the comma at 7 overflows: break before 作 so that 作， move together
    assert find_break(chars, 0, 7) == 6
    # 工 at 5 overflows after an opening quote: the quote moves down too
    assert find_break(chars, 0, 5) == 4
    # digits stay together
    assert find_break(list("截至2019年"), 0, 4) == 2


def _lines(text: str, width: float) -> list[str]:
    styles = make_styles(get_fontset("bundled"))
    p = CJKParagraph(text, styles.cell)
    p.wrap(width, 10_000)
    return ["".join(w.text for w in line.words) for line in p.blPara.lines]


def test_real_plan_text_breaks_cleanly() -> None:
    text = "".join(to_print_punctuation(t.text) for t in real_plan().tasks)
    for width in (60, 97, 150, 230):
        lines = _lines(text, width)
        assert "".join(lines) == text
        assert not [x for x in lines[1:] if x[0] in CANNOT_START]
        assert not [x for x in lines if x[-1] in CANNOT_END]


_HAN = st.sampled_from(list("政务公开工作要点落实情况报告镇街道"))
_PUNCT = st.sampled_from(sorted(CANNOT_START | CANNOT_END))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(_HAN, min_size=2, max_size=6), _PUNCT), min_size=1, max_size=30),
       st.integers(min_value=40, max_value=200))
def test_line_rules_hold_for_any_mix(chunks: list[tuple[list[str], str]], width: int) -> None:
    text = "".join("".join(h) + p for h, p in chunks).replace("&", "").replace("<", "")
    lines = _lines(text.replace(" ", ""), width)
    assert "".join(lines) == text.replace(" ", "")
    for line in lines[1:]:
        assert line[0] not in CANNOT_START or len(line) == 0
    for line in lines[:-1]:
        assert line[-1] not in CANNOT_END


def test_write_replaces_file(tmp_path: Path) -> None:
    target = tmp_path / "报告.pdf"
    write_pdf_atomic(target, b"%PDF-old")
    write_pdf_atomic(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    assert [p.name for p in tmp_path.iterdir()] == ["报告.pdf"]
    assert content_hash(b"%PDF-new") == hashlib.sha256(b"%PDF-new").hexdigest()


@pytest.mark.parametrize(("where", "code", "words"), [
    ("write", errno.ENOSPC, "磁盘空间已满"),
    ("replace", errno.ENOSPC, "磁盘空间已满"),
    ("replace", errno.EROFS, "只读"),
    ("write", errno.EACCES, "没有权限"),
])
def test_failed_write_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, code: int,
                                     words: str) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF-old")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, where, fail)
    with pytest.raises(ReportWriteError) as info:
        write_pdf_atomic(target, b"%PDF-new" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
    message = str(info.value)
    assert words in message
    assert "Errno" not in message and "Traceback" not in message
    assert info.value.errno == code


def test_file_held_open_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF-old")

    def held(*args: object) -> None:
        raise PermissionError(errno.EACCES, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", held)
    with pytest.raises(ReportWriteError, match="正被其他程序打开"):
        write_pdf_atomic(target, b"%PDF-new")
    monkeypatch.undo()
    assert target.read_bytes() == b"%PDF-old"


def test_core_has_no_qt_import() -> None:
    root = Path(__file__).resolve().parent.parent / "core"
    offenders = [p for p in root.rglob("*.py") if "PySide" in p.read_text(encoding="utf-8")
                 or "from Qt" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_roles_none_only_gives_empty_report_body() -> None:
    plan = real_plan()
    roles = {t.number: Role.NONE for t in plan.tasks}
    assert missing_glyphs(plan, roles, {}, ReportTexts(), BUNDLED) == set()

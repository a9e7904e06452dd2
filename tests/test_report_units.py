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
from core.report.compose import cn_number
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
    rare = next(f for f in fonts.chains["body"] if f.file.path.name == "UMingCN-Rare.ttf.xz")
    assert runs[1][0] == rare.name != fonts.chains["body"][-1].name  # the 宋体-like face, not the 黑 fallback
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


# --- composing the report (core.report.compose): pure, the same content for every writer ---------------

def _compose(progress: dict, texts: ReportTexts | None = None, **options: object):
    from dataclasses import replace as _replace

    from core.report import compose_report

    plan = real_plan()
    return compose_report(plan, town_roles(plan), progress, texts or ReportTexts(), _replace(BUNDLED, **options))


def test_identical_notes_are_one_item_naming_every_task() -> None:
    from core.report import BlockKind

    note = "部分村（社区）信息员变动频繁，更新不及时。"
    progress = {n: Progress(task=n, problems=note) for n in (12, 14, 20)}
    progress[13] = Progress(task=13, problems="人手不足。")
    content = _compose(progress)
    texts = [b.text for b in content.blocks if b.kind is BlockKind.BODY]
    assert [t for t in texts if note in t] == [f"（任务12、14、20）{note}"]
    assert "（任务13 办理意见建议）人手不足。" in texts


def test_task_short_names_on_the_real_plan() -> None:
    from core.report.short_names import short_name
    from core.text_width import text_ems as width

    plan = real_plan()
    names = {t.number: short_name(plan, t) for t in plan.tasks}
    assert all(4 <= width(n) <= 18 for n in names.values()), names
    assert names[4] == "落实信息发布主体责任"
    assert names[14] == "县长信箱留言办理工作"
    assert names[29] == "建立新型监管机制"
    assert names[44] == "开展政府网站域名集中清理"
    assert names[8] == "加强舆情监测、研判、回应"
    # a clause that frames (围绕…, 按照…要求) or names who acts (…单位要) is not the name
    assert not [n for n in names.values() if n.startswith(("围绕", "按照", "各镇", "县各部门"))]


def test_report_level_texts_lead_their_parts() -> None:
    from core.report import BlockKind

    texts = ReportTexts(achievements_intro="全年共发布信息326条。", problems_intro="基层力量薄弱。",
                        next_steps_intro="加强培训。", round_label="2019年1至11月")
    content = _compose({3: Progress(task=3, achievements="已解读。")}, texts)
    seq = [(b.kind, b.text) for b in content.blocks]
    k = seq.index((BlockKind.H1, "二、主要成效做法"))
    assert seq[k + 1] == (BlockKind.BODY, "全年共发布信息326条。")
    assert seq[k + 2][0] is BlockKind.H2
    assert (BlockKind.H1, "三、存在问题") in seq and (BlockKind.BODY, "基层力量薄弱。") in seq
    assert any("现将我镇2019年1至11月落实情况报告如下" in t for _, t in seq)
    assert content.round_label == "2019年1至11月"


def test_no_notes_gives_a_warning_and_no_filler() -> None:
    from core.report import NO_NOTES_WARNING, BlockKind

    content = _compose({})
    assert content.has_notes is False
    assert content.warnings == (NO_NOTES_WARNING,)
    assert [b.text for b in content.blocks if b.kind is BlockKind.H1] == ["一、总体情况"]
    assert not any("暂无" in b.text for b in content.blocks)
    assert len(content.ledger_rows) == 66
    assert _compose({1: Progress(task=1, next_steps="继续推进。")}).warnings == ()


def test_overdue_and_not_started_tasks_are_named() -> None:
    from core.model import Status

    progress = {7: Progress(task=7, status=Status.IN_PROGRESS, due=date(2019, 11, 20)),
                9: Progress(task=9, status=Status.DONE, due=date(2019, 11, 1))}
    body = " ".join(b.text for b in _compose(progress).blocks)
    assert "已超过完成时限仍未完成的1项：任务7（落实舆情回应的主体责任）。" in body
    # The 64 tasks without an entry are 未填写, not 未开始: six named, then 等64项（详见附件）.
    assert "未开始" not in body
    assert ("尚未填写的有任务1（重要政策措施解读工作）、任务2（深入解读重要政策措施）、"
            "任务3（跟进解读政府常务会议的公开议题）、任务4（落实信息发布主体责任）、任务5（参加微访谈、在线访谈工作）、任务6（舆情风险评估研判）等64项"
            "（详见附件）。") in body
    assert "按应完成的66项计，完成率1.5%" in body


def test_signature_and_self_reference_by_office_kind() -> None:
    from core.model import OfficeKind
    from core.offices import full_name, self_reference

    assert (full_name("悦城镇"), self_reference("悦城镇")) == ("悦城镇人民政府", "我镇")
    assert (full_name("德城街道"), self_reference("德城街道")) == ("德城街道办事处", "我街道")
    assert [self_reference(n) for n in ("县财政局", "县直机关工委", "县府办", "县政府督查室")] == [
        "我局", "我委", "我办", "我单位"]
    assert full_name("县财政局") == "县财政局"
    content = _compose({}, office="县财政局", office_kind=OfficeKind.DEPARTMENT)
    assert content.signature.signer == "县财政局"
    assert "涉及我局的有" in " ".join(b.text for b in content.blocks)
    assert _compose({}).signature.signer == "悦城镇人民政府"
    assert _compose({}, ReportTexts(signer="悦城镇党委")).signature.signer == "悦城镇党委"


def test_title_lines_are_shaped() -> None:
    from core.report.titles import title_lines
    from core.text_width import text_ems as width

    two = title_lines("悦城镇关于德庆县2019年政务公开工作要点分工方案落实情况的报告")
    assert two == ("悦城镇关于德庆县2019年", "政务公开工作要点分工方案落实情况的报告")  # 梯形
    three = title_lines("县直机关工委关于德庆县2019年全县政务公开和政务服务标准化规范化便利化"
                        "工作要点分工方案落实情况的报告")
    w = [width(x) for x in three]
    assert len(three) == 3 and w[1] >= w[0] and w[1] >= w[2] and max(w) <= 20  # 菱形
    assert title_lines("短标题") == ("短标题",)


def test_composing_does_not_load_reportlab() -> None:
    import subprocess
    import sys

    code = ("import sys; import core.report as r; from core.model import ReportTexts; "
            "from tests.report_fixtures import *; p = real_plan(); "
            "options = r.ReportOptions(office=OFFICE, report_date=REPORT_DATE); "
            "r.compose_report(p, town_roles(p), {}, ReportTexts(), options); "
            "assert not [m for m in sys.modules if m.startswith('reportlab')], 'reportlab loaded'")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_compressible_pairs_and_dash_breaks() -> None:
    from core.report.linebreak import compressible

    assert compressible("）", "。") and compressible("。", "”") and compressible("（", "《")
    assert not compressible("表", "）") and not compressible("）", "表")
    # a run without any permitted break is cut hard, but never inside ——
    assert find_break(list("ABCDEF——GH"), 0, 7) == 6

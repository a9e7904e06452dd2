"""The submission package: layout, UTF-8 names, manifest hashes, atomic writing, the size warning,
and read_package refusing every kind of tampering."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

import core.package.write as package_mod
from core.package.read import read_package
from core.package.write import PackageError, PackageTooLarge, suggest_package_name, write_package
from db import evidence as ev
from tests.package_fixtures import OFFICE, REPORT_DATE, TASK_NAMES, documents, three_items
from tests.report_fixtures import real_plan

NOW = datetime(2019, 12, 4, 16, 30)
EXPECTED = [
    "悦城镇_落实情况报告.pdf",
    "悦城镇_落实情况报告.docx",
    "悦城镇_落实情况台账.xlsx",
    "悦城镇_进度数据.json",
    "佐证材料/任务12 市长留言办理/12-1 会议照片.jpg",
    "佐证材料/任务13 代表委员意见建议办理/13-1 关于办理人大代表建议的通知（扫描件）.pdf",
    "佐证材料/任务14 县长信箱留言办理/14-1 县长信箱栏目：办理回复.png",
    "佐证材料/任务14 县长信箱留言办理/14-1 县长信箱栏目：办理回复.url",
    "目录.xlsx",
    "manifest.json",
]


@pytest.fixture
def items(store, data_dir, tmp_path):
    three_items(store, data_dir, tmp_path / "src")
    return ev.package_items(store.conn, data_dir, store.current_plan_id(), OFFICE, TASK_NAMES)


def make(out: Path, items, **kwargs):
    plan = real_plan()
    return write_package(out, OFFICE, plan.title, plan.year, REPORT_DATE, evidence=items, now=NOW, **documents(),
                         **kwargs)


def test_name_from_office_plan_and_date():
    assert suggest_package_name(OFFICE, real_plan().title, REPORT_DATE) == "悦城镇_政务公开落实情况_2019-12-04.zip"
    assert suggest_package_name("县财政局", "2020年度财政预决算公开实施方案", "2020-06-30") == \
        "县财政局_财政预决算公开落实情况_2020-06-30.zip"


def test_package_for_yuecheng_reads_back(items, tmp_path):
    out = tmp_path / "U盘"
    out.mkdir()
    ticks: list[tuple[int, int]] = []
    info = make(out, items, progress=lambda done, total: ticks.append((done, total)))
    assert info.path == out / "悦城镇_政务公开落实情况_2019-12-04.zip"
    assert len(ticks) == 7 and [d for d, _ in ticks] == sorted(d for d, _ in ticks)
    assert ticks[-1][0] == sum(f.size for f in info.files if f.kind != "index") <= ticks[-1][1]
    assert os.listdir(out) == [info.path.name]  # no temporary file left
    with zipfile.ZipFile(info.path) as zf:
        assert zf.namelist() == EXPECTED
        for zi in zf.infolist():  # Chinese names carry the UTF-8 flag, so Explorer shows them
            assert bool(zi.flag_bits & 0x800) == (not zi.filename.isascii()), zi.filename
        manifest = json.loads(zf.read("manifest.json"))
        assert {k: manifest[k] for k in ("format", "version", "office", "plan_title", "plan_year", "report_date",
                                         "created_at")} == {
            "format": "taizhang-package", "version": 1, "office": "悦城镇",
            "plan_title": "德庆县2019年政务公开工作要点分工方案", "plan_year": 2019,
            "report_date": "2019-12-04", "created_at": "2019-12-04T16:30:00"}
        assert [f["path"] for f in manifest["files"]] == EXPECTED[:-1]
        for f in manifest["files"]:
            data = zf.read(f["path"])
            assert (len(data), hashlib.sha256(data).hexdigest()) == (f["size"], f["sha256"])
        photo = zf.read(EXPECTED[4])
        assert photo[:3] == b"\xff\xd8\xff" and hashlib.sha256(photo).hexdigest() == items[0].sha256
        assert zf.read(EXPECTED[0]) == documents()["report_pdf"]
        assert zf.read(EXPECTED[7]) == b"[InternetShortcut]\r\nURL=http://www.deqing.gov.cn/xzxx/\r\n"
        link = next(f for f in manifest["files"] if f["kind"] == "evidence_link")
        assert (link["task"], link["number"], link["url"], link["seen_date"]) == (
            14, "14-1", "http://www.deqing.gov.cn/xzxx/", "2019-12-03")
        index = zf.read("目录.xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(index)).active
    listed = [(row[3], row[5]) for row in ws.iter_rows(min_row=4, values_only=True)]
    assert listed == [(None, p) for p in EXPECTED[:4]] + [("12-1", EXPECTED[4]), ("13-1", EXPECTED[5]),
                                                          ("14-1", EXPECTED[6]), ("14-1", EXPECTED[7]),
                                                          (None, "目录.xlsx"), (None, "manifest.json")]
    package = read_package(info.path)
    assert (package.office, package.plan_year, package.report_date) == (OFFICE, 2019, "2019-12-04")
    assert [f.number for f in package.evidence] == ["12-1", "13-1", "14-1", "14-1"]
    assert json.loads(package.read("悦城镇_进度数据.json"))["format"] == "taizhang-progress"


def test_windows_refused_characters_become_full_width(store, data_dir, tmp_path):
    from tests.evidence_fixtures import photo

    plan = store.current_plan_id()
    src = photo(tmp_path / 'a.jpg')
    ev.add_files(store.conn, data_dir, plan, OFFICE, 12, [src], title='通知:第1期*"重要"<附件>|?', today=REPORT_DATE)
    items = ev.package_items(store.conn, data_dir, plan, OFFICE, {12: "市长/留言"})
    info = make(tmp_path / "p.zip", items)
    names = zipfile.ZipFile(info.path).namelist()
    assert "佐证材料/任务12 市长／留言/12-1 通知：第1期＊＂重要＂＜附件＞｜？.jpg" in names
    assert read_package(info.path).evidence[0].title == '通知:第1期*"重要"<附件>|?'


def test_failure_leaves_no_half_zip_and_the_old_file_unchanged(items, tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "悦城镇.zip"
    make(target, items)  # the package sent last week
    sent = target.read_bytes()

    def pulled_out(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(package_mod.os, "replace", pulled_out)
    with pytest.raises(PackageError, match="U盘可能已拔出"):
        make(target, items)
    assert target.read_bytes() == sent
    assert os.listdir(tmp_path / "out") == ["悦城镇.zip"]


def test_missing_or_altered_evidence_is_refused_by_item(items, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    Path(items[1].source).write_bytes(b"changed after adding")
    altered = "佐证材料 13-1 关于办理人大代表建议的通知（扫描件） 的文件已被改动"
    with pytest.raises(PackageError, match=re.escape(altered)):
        make(out / "a.zip", items)
    Path(items[0].source).unlink()
    with pytest.raises(PackageError, match="佐证材料 12-1 会议照片 的文件缺失"):
        make(out / "a.zip", items)
    assert os.listdir(out) == []


def test_over_two_gigabytes_asks_first(items, tmp_path, monkeypatch):
    monkeypatch.setattr(package_mod, "WARN_PACKAGE_BYTES", 100_000)
    with pytest.raises(PackageTooLarge) as info:
        make(tmp_path / "a.zip", items)
    assert info.value.estimate > 100_000 and "仍要生成吗" in info.value.message
    assert not (tmp_path / "a.zip").exists()
    assert make(tmp_path / "a.zip", items, allow_large=True).path.exists()


def test_out_must_be_a_folder_or_a_zip(items, tmp_path):
    with pytest.raises(PackageError, match=r"\.zip"):
        make(tmp_path / "报送材料.rar", items)
    with pytest.raises(PackageError, match="文件夹不存在"):
        make(tmp_path / "没有这个文件夹" / "a.zip", items)


def test_duplicate_item_numbers_are_refused(items, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PackageError, match="重复的文件名"):
        make(out / "a.zip", [items[0], items[0]])
    assert os.listdir(out) == []

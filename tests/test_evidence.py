"""佐证材料 storage: add, dedupe, numbering, bin and undo, links, refusals and the consistency check."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlite_utils

import db.evidence_files as files_mod
from core.evidence_rules import EvidenceError
from db import evidence as ev
from db.evidence_files import blob_path, evidence_dir
from tests.evidence_fixtures import files_in, pdf, photo, scan

OFFICE = "悦城镇"
TODAY = date(2019, 12, 4)


@pytest.fixture
def ctx(store, data_dir):
    return store.conn, data_dir, store.current_plan_id()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_add_dedupe_and_numbers(ctx, tmp_path):
    conn, data, plan = ctx
    meeting = photo(tmp_path / "src" / "会议照片.jpg", seed=1)
    copy = tmp_path / "src" / "IMG_0001.jpg"
    copy.write_bytes(meeting.read_bytes())
    notice = pdf(tmp_path / "src" / "关于开展政务公开的通知.pdf")

    r1 = ev.add_files(conn, data, plan, OFFICE, 12, [meeting], seen_date="2019-11-20", today=TODAY)
    r2 = ev.add_files(conn, data, plan, OFFICE, 12, [copy, notice], today=TODAY)
    r3 = ev.add_files(conn, data, plan, OFFICE, 14, [notice], title="县长信箱办理台账", today=TODAY)

    items = ev.list_items(conn, plan, OFFICE)
    assert [(i.number, i.title, i.file_name) for i in items] == [
        ("12-1", "会议照片", "会议照片.jpg"),
        ("12-2", "IMG_0001", "IMG_0001.jpg"),
        ("12-3", "关于开展政务公开的通知", "关于开展政务公开的通知.pdf"),
        ("14-1", "县长信箱办理台账", "关于开展政务公开的通知.pdf"),
    ]
    assert items[0].seen_date == "2019-11-20" and items[0].size == meeting.stat().st_size
    assert items[0].sha256 == items[1].sha256 == sha(meeting)
    assert r1.warning is None and r2.items[0].id == items[1].id and r3.items[0].task == 14
    # Four items, two distinct contents: stored twice, each byte-identical under its hash.
    stored = files_in(evidence_dir(data))
    assert stored == {f"{sha(meeting)[:2]}/{sha(meeting)}": meeting.read_bytes(),
                      f"{sha(notice)[:2]}/{sha(notice)}": notice.read_bytes()}
    assert [i.number for i in ev.list_items(conn, plan, OFFICE, 12)] == ["12-1", "12-2", "12-3"]
    assert ev.labels_by_task(conn, plan, OFFICE) == {
        12: ["12-1 会议照片", "12-2 IMG_0001", "12-3 关于开展政务公开的通知"], 14: ["14-1 县长信箱办理台账"]}
    assert ev.check_evidence(conn, data) == []
    meeting.unlink()  # the copy in the data folder does not depend on the source (a USB stick pulled out)
    assert ev.check_evidence(conn, data) == []


def test_remove_undo_and_purge_keep_numbers(ctx, tmp_path):
    conn, data, plan = ctx
    a = photo(tmp_path / "a.jpg", seed=1)
    b = photo(tmp_path / "b.jpg", seed=2)
    c = scan(tmp_path / "c.png")
    _, i2 = ev.add_files(conn, data, plan, OFFICE, 12, [a, b], today=TODAY).items
    removed = ev.remove_item(conn, i2.id, now=datetime(2019, 12, 1, 10, 0))
    assert removed.removed_at == "2019-12-01T10:00:00"
    assert [i.number for i in ev.list_items(conn, plan, OFFICE)] == ["12-1"]
    assert [i.number for i in ev.list_bin(conn, plan, OFFICE)] == ["12-2"]
    with pytest.raises(EvidenceError, match="已在回收站中"):
        ev.remove_item(conn, i2.id)
    # A new item gets 12-3, never the number of one in the bin.
    (i3,) = ev.add_files(conn, data, plan, OFFICE, 12, [c], today=TODAY).items
    assert i3.number == "12-3"
    # Undo brings 12-2 back under its old number.
    assert ev.undo_remove(conn, i2.id).removed_at is None
    assert [i.label for i in ev.list_items(conn, plan, OFFICE)] == ["12-1 a", "12-2 b", "12-3 c"]
    with pytest.raises(EvidenceError, match="不在回收站中"):
        ev.undo_remove(conn, i2.id)
    # Purge deletes only what was removed before the cutoff, and the file only when unreferenced.
    ev.remove_item(conn, i3.id, now=datetime(2019, 12, 2, 9, 0))
    ev.remove_item(conn, i2.id, now=datetime(2019, 12, 3, 9, 0))
    result = ev.purge_bin(conn, data, datetime(2019, 12, 2, 12, 0))
    assert (result.items, result.files) == (1, 1)
    assert not blob_path(evidence_dir(data), sha(c)).exists()
    assert blob_path(evidence_dir(data), sha(b)).exists()  # 12-2 is still in the bin: undo stays possible
    # 12-3 is gone for good; the next item is 12-4, not a second 12-3.
    (i4,) = ev.add_files(conn, data, plan, OFFICE, 12, [c], today=TODAY).items
    assert i4.number == "12-4"
    assert ev.check_evidence(conn, data) == []


def test_same_content_shared_by_two_items_survives_purge_of_one(ctx, tmp_path):
    conn, data, plan = ctx
    a = photo(tmp_path / "a.jpg", seed=3)
    i1 = ev.add_files(conn, data, plan, OFFICE, 12, [a], today=TODAY).items[0]
    ev.add_files(conn, data, plan, OFFICE, 13, [a], today=TODAY)
    ev.remove_item(conn, i1.id, now=datetime(2019, 12, 1))
    assert ev.purge_bin(conn, data, datetime(2019, 12, 2)).files == 0
    assert ev.check_evidence(conn, data) == []


def test_links_with_and_without_screenshot(ctx, tmp_path):
    conn, data, plan = ctx
    shot = scan(tmp_path / "网站截图.png")
    (link,) = ev.add_link(conn, data, plan, OFFICE, 12, "http://www.deqing.gov.cn/zwgk/", "县政府网站政务公开专栏",
                          seen_date="2019-12-03", screenshot=shot, today=TODAY).items
    (bare,) = ev.add_link(conn, data, plan, OFFICE, 12, " https://www.zhaoqing.gov.cn/szlyb/ ", "市长留言板",
                          today=TODAY).items
    assert (link.number, link.kind, link.url, link.file_name, link.sha256) == (
        "12-1", "link", "http://www.deqing.gov.cn/zwgk/", "网站截图.png", sha(shot))
    assert (bare.number, bare.url, bare.sha256, bare.file_name) == ("12-2", "https://www.zhaoqing.gov.cn/szlyb/",
                                                                     None, "")
    assert ev.check_evidence(conn, data) == []


def test_an_address_typed_without_http_gets_it():
    from core.evidence_rules import check_url

    assert check_url(" www.deqing.gov.cn ") == "http://www.deqing.gov.cn"
    assert check_url("zwgk.deqing.gov.cn/xxgk/index.html") == "http://zwgk.deqing.gov.cn/xxgk/index.html"
    assert check_url("https://www.zhaoqing.gov.cn/") == "https://www.zhaoqing.gov.cn/"


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://www.deqing.gov.cn/a", "http:// 或 https://"),
    ("javascript:alert(1)", "http:// 或 https://"),
    ("mailto:a@deqing.gov.cn", "http:// 或 https://"),
    ("http://", "域名"),
    ("https://exa mple.com/", "空格"),
    ("http://www.deqing.gov.cn:99999/", "格式不正确"),
    ("", "不能为空"),
])
def test_bad_links_are_refused(ctx, url, message):
    conn, data, plan = ctx
    with pytest.raises(EvidenceError, match=message):
        ev.add_link(conn, data, plan, OFFICE, 12, url, "标题", today=TODAY)
    assert ev.list_items(conn, plan, OFFICE, include_removed=True) == []


def test_bad_fields_are_refused(ctx, tmp_path):
    conn, data, plan = ctx
    a = photo(tmp_path / "a.jpg")
    for kwargs, message in [({"title": "  "}, "标题不能为空"), ({"title": "x" * 201}, "标题过长"),
                            ({"title": "照片\u202egpj.exe"}, "不可见字符"), ({"seen_date": "2019-12-05"}, "晚于今天"),
                            ({"seen_date": "2019/12-01"}, "YYYY-MM-DD"), ({"note": "\ud800"}, "代理字符")]:
        with pytest.raises(EvidenceError, match=message):
            ev.add_files(conn, data, plan, OFFICE, 12, [a], today=TODAY, **kwargs)
    with pytest.raises(EvidenceError, match="没有任务 69"):
        ev.add_files(conn, data, plan, OFFICE, 69, [a], today=TODAY)
    with pytest.raises(EvidenceError, match="未知单位"):
        ev.add_files(conn, data, plan, "不存在镇", 12, [a], today=TODAY)
    assert ev.list_items(conn, plan, OFFICE, include_removed=True) == []
    assert files_in(evidence_dir(data)) == {}


def _assert_nothing_added(conn, data, plan):
    assert conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
    assert files_in(evidence_dir(data)) == {}
    assert not list((evidence_dir(data) / ".tmp").glob("*"))


def test_bad_files_are_refused_by_name_and_nothing_is_added(ctx, tmp_path):
    conn, data, plan = ctx
    good = photo(tmp_path / "会议照片.jpg")
    empty = tmp_path / "空白.jpg"
    empty.write_bytes(b"")
    folder = tmp_path / "照片文件夹"
    folder.mkdir()
    loop = tmp_path / "循环链接.jpg"
    loop.symlink_to(loop)
    huge = tmp_path / "录像.mp4"
    with open(huge, "wb") as fh:
        fh.truncate(250 * 1024 * 1024)  # sparse: refused before a byte is read
    cases = [(tmp_path / "已删除.jpg", "找不到文件“已删除.jpg”"), (empty, "“空白.jpg”是空文件"),
             (folder, "“照片文件夹”是文件夹"), (loop, "“循环链接.jpg”是一个循环的快捷方式"),
             (huge, "“录像.mp4”有 250.0 MB，超过单个文件 200.0 MB 的上限")]
    for bad, message in cases:
        # the good file first: a batch is all or nothing
        with pytest.raises(EvidenceError, match=re.escape(message)):
            ev.add_files(conn, data, plan, OFFICE, 12, [good, bad], today=TODAY)
        _assert_nothing_added(conn, data, plan)


def test_unreadable_and_locked_files_are_refused_by_name(ctx, tmp_path, monkeypatch):
    conn, data, plan = ctx
    locked = photo(tmp_path / "正在编辑.jpg")
    real_open = open

    class SharingViolation(PermissionError):
        winerror = 32  # what Windows raises for a file another program holds open

    def fake_open(path, *args, **kwargs):
        if Path(path) == locked:
            raise (SharingViolation(errno.EACCES, "sharing violation") if mode["locked"]
                   else PermissionError(errno.EACCES, "Permission denied"))
        return real_open(path, *args, **kwargs)

    mode = {"locked": True}
    monkeypatch.setattr(files_mod, "open", fake_open, raising=False)
    with pytest.raises(EvidenceError, match=re.escape("“正在编辑.jpg”正被其他程序占用")):
        ev.add_files(conn, data, plan, OFFICE, 12, [locked], today=TODAY)
    mode["locked"] = False
    with pytest.raises(EvidenceError, match=re.escape("没有权限读取“正在编辑.jpg”")):
        ev.add_files(conn, data, plan, OFFICE, 12, [locked], today=TODAY)
    _assert_nothing_added(conn, data, plan)


def test_file_vanishing_or_failing_while_copied_leaves_nothing(ctx, tmp_path, monkeypatch):
    conn, data, plan = ctx
    src = photo(tmp_path / "U盘照片.jpg", size=(1600, 1200))
    monkeypatch.setattr(files_mod, "CHUNK", 4096)
    real_open = open

    class PulledOut:
        def __init__(self, fh):
            self.fh, self.reads = fh, 0

        def read(self, n):
            self.reads += 1
            if self.reads == 3:
                raise OSError(errno.EIO, "Input/output error")
            return self.fh.read(n)

        def close(self):
            self.fh.close()

    def fake_open(path, mode="r", *args, **kwargs):
        fh = real_open(path, mode, *args, **kwargs)
        return PulledOut(fh) if Path(path) == src else fh

    monkeypatch.setattr(files_mod, "open", fake_open, raising=False)
    with pytest.raises(EvidenceError, match=re.escape("读取“U盘照片.jpg”时出错")):
        ev.add_files(conn, data, plan, OFFICE, 12, [src], today=TODAY)
    _assert_nothing_added(conn, data, plan)


@pytest.mark.parametrize("how", ["grows", "shrinks", "rewritten"])
def test_file_changing_while_copied_is_refused_by_name(ctx, tmp_path, monkeypatch, how):
    """Issue 20, item 6: a file still being written (a download, a scanner saving) was stored partly, with 已添加."""
    conn, data, plan = ctx
    src = photo(tmp_path / "正在保存.jpg", size=(1600, 1200))
    original = src.read_bytes()
    monkeypatch.setattr(files_mod, "CHUNK", 4096)
    changed = []

    def meanwhile(stage: str, done: int) -> None:
        if stage == "copy" and done == 4096 * 2 and not changed:
            changed.append(how)
            if how == "grows":
                with open(src, "ab") as fh:
                    fh.write(b"\0" * 5000)
            elif how == "shrinks":
                os.truncate(src, len(original) - 3000)
            else:  # same size, written again a moment later
                src.write_bytes(original)
                st = src.stat()
                os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))

    with pytest.raises(EvidenceError, match=re.escape("“正在保存.jpg”在复制过程中发生了变化")):
        ev.add_files(conn, data, plan, OFFICE, 12, [src], today=TODAY, progress=meanwhile)
    assert changed == [how]
    _assert_nothing_added(conn, data, plan)


def test_same_file_twice_in_one_add_makes_one_item_and_says_so(ctx, tmp_path):
    conn, data, plan = ctx
    meeting = photo(tmp_path / "src" / "会议照片.jpg", seed=1)
    notice = pdf(tmp_path / "src" / "通知.pdf")
    other_name = tmp_path / "src" / "." / "会议照片.jpg"
    result = ev.add_files(conn, data, plan, OFFICE, 12, [meeting, notice, other_name, meeting], today=TODAY)
    assert [i.number for i in result.items] == ["12-1", "12-2"]
    assert result.duplicates == ("会议照片.jpg",)
    assert result.warning == "“会议照片.jpg”选了不止一次，只添加了一项。"
    assert [i.file_name for i in ev.list_items(conn, plan, OFFICE)] == ["会议照片.jpg", "通知.pdf"]
    two = ev.add_files(conn, data, plan, OFFICE, 12, [meeting], today=TODAY)  # a later add is a new item, as before
    assert [i.number for i in two.items] == ["12-3"] and two.duplicates == ()


def test_disk_full_while_copying_leaves_nothing(ctx, tmp_path, monkeypatch):
    from db.errors import KIND_FULL, StorageError

    conn, data, plan = ctx
    src = photo(tmp_path / "a.jpg")
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files_mod.os, "fsync", full)
    with pytest.raises(StorageError) as info:
        ev.add_files(conn, data, plan, OFFICE, 12, [src], today=TODAY)
    monkeypatch.setattr(files_mod.os, "fsync", real_fsync)
    assert info.value.kind == KIND_FULL
    _assert_nothing_added(conn, data, plan)


def test_windows_refused_characters_stay_in_the_title(ctx, tmp_path):
    conn, data, plan = ctx
    src = photo(tmp_path / 'a:b*c?"d<e>f|.jpg')
    (item,) = ev.add_files(conn, data, plan, OFFICE, 12, [src], today=TODAY).items
    assert (item.title, item.file_name) == ('a:b*c?"d<e>f|', 'a:b*c?"d<e>f|.jpg')
    assert blob_path(evidence_dir(data), item.sha256 or "").name == sha(src)


def test_check_reports_missing_and_altered_files_by_task(ctx, tmp_path):
    conn, data, plan = ctx
    a, b = photo(tmp_path / "会议照片.jpg", seed=1), pdf(tmp_path / "通知.pdf")
    ev.add_files(conn, data, plan, OFFICE, 12, [a], today=TODAY)
    ev.add_files(conn, data, plan, OFFICE, 5, [b], today=TODAY)
    blob_path(evidence_dir(data), sha(a)).write_bytes(b"x" + a.read_bytes()[1:])
    blob_path(evidence_dir(data), sha(b)).unlink()
    problems = ev.check_evidence(conn, data)
    assert [(p.task, p.number, p.problem) for p in problems] == [(5, "5-1", "missing"), (12, "12-1", "altered")]
    assert problems[1].message == ("悦城镇 任务12 的佐证材料 12-1 会议照片：文件已被改动（校验值不符）"
                                   "（原文件名 会议照片.jpg）")


def test_schema_checks_refuse_inconsistent_rows(ctx):
    conn, _, plan = ctx
    good = {"plan_id": plan, "office": OFFICE, "task": 12, "seq": 1, "kind": "link", "title": "网页", "file_name": "",
            "sha256": None, "size": None, "url": "http://x", "added_at": "2019-12-04"}
    file = {**good, "kind": "file", "title": "照片", "file_name": "a.jpg", "url": None}
    bad_rows = [
        file,  # file without hash
        {**file, "sha256": "A" * 64, "size": 5},  # upper-case hash
        {**good, "url": "ftp://x"},  # not http(s)
        {**good, "seq": 0},  # number 0
        {**good, "task": 99},  # no task 99
    ]
    evidence = sqlite_utils.Database(conn)["evidence"]
    for row in bad_rows:
        with pytest.raises(sqlite3.IntegrityError):
            evidence.insert(row)
    assert evidence.count == 0
    evidence.insert(good)  # the same row without the fault is accepted
    assert [r["url"] for r in evidence.rows] == ["http://x"]


def test_folder_warning_past_two_gigabytes(ctx, tmp_path, monkeypatch):
    conn, data, plan = ctx
    monkeypatch.setattr(ev, "WARN_FOLDER_BYTES", 10_000)
    r = ev.add_files(conn, data, plan, OFFICE, 12, [photo(tmp_path / "a.jpg", size=(800, 600))], today=TODAY)
    assert r.warning is not None and "超过" in r.warning


def test_add_stores_again_when_a_purge_removed_the_file_before_the_commit(ctx, tmp_path, monkeypatch):
    conn, data, plan = ctx
    src = photo(tmp_path / "a.jpg")
    real_store = ev.store_file

    def store_then_lose(data_dir, source, progress=None):
        stored = real_store(data_dir, source, progress)
        blob_path(evidence_dir(data_dir), stored.sha256).unlink()  # as if a purge ran in between
        monkeypatch.setattr(ev, "store_file", real_store)
        return stored

    monkeypatch.setattr(ev, "store_file", store_then_lose)
    ev.add_files(conn, data, plan, OFFICE, 12, [src], today=TODAY)
    assert ev.check_evidence(conn, data) == []


def test_view_copy_is_named_like_the_original_and_read_only(ctx, tmp_path):
    conn, data, plan = ctx
    src = photo(tmp_path / "IMG_0001.JPG")
    (item,) = ev.add_files(conn, data, plan, OFFICE, 12, [src], title="会议照片：第1次", today=TODAY).items
    view = ev.view_copy(data, item)
    assert view.name == "12-1 会议照片：第1次.jpg" and view.read_bytes() == src.read_bytes()
    assert not os.access(view, os.W_OK) or os.geteuid() == 0  # root ignores the mode
    assert oct(view.stat().st_mode & 0o777) == "0o444"
    assert ev.view_copy(data, item) == view  # a second open replaces the copy
    assert ev.check_evidence(conn, data) == []


def test_update_keeps_number_and_file(ctx, tmp_path):
    conn, data, plan = ctx
    (item,) = ev.add_files(conn, data, plan, OFFICE, 12, [photo(tmp_path / "IMG_0001.jpg")], today=TODAY).items
    changed = ev.update_item(conn, item.id, title="会议照片", note="11月20日专题会议", seen_date="2019-11-20",
                             today=TODAY)
    assert (changed.number, changed.title, changed.note, changed.seen_date, changed.sha256) == (
        "12-1", "会议照片", "11月20日专题会议", "2019-11-20", item.sha256)
    with pytest.raises(EvidenceError, match="标题不能为空"):
        ev.update_item(conn, item.id, title=" ")
    assert ev.get_item(conn, item.id) == changed
    with pytest.raises(EvidenceError, match="没有编号为 999 的佐证材料"):
        ev.get_item(conn, 999)

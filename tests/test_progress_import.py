"""Progress import semantics (issue 11, item 3): partial entries, conflicts, refusals, strict parsing."""

from __future__ import annotations

import builtins
import io
import json
import os
from datetime import date, datetime
from pathlib import Path

import pytest

import core.progress.file as progress_io
from actions.errors import ActionError
from actions.progress_files import import_progress
from core.assign import roles_for
from core.model import Office, OfficeKind, Progress, Role, Status
from core.progress.file import (
    MAX_FILE_BYTES,
    ProgressFileError,
    build_progress_file,
    parse_progress_file,
    read_progress_file,
)
from core.progress.merge import plan_progress_import
from tests.stores import open_store

YUECHENG = Office("悦城镇", OfficeKind.TOWN)
NOW = datetime(2019, 12, 4, 15, 30)
FULL = Progress(38, Status.IN_PROGRESS, 50, owner="党政办 李堃", due=date(2019, 11, 30), steps="一、摸底",
                achievements="办结留言 12 件", problems="人手不足", next_steps="年底前完成",
                updated_at="2019-11-20T10:00:00")


def doc(entries: list[dict], **over) -> dict:
    d = {"format": "taizhang-progress", "version": 1, "office": "悦城镇",
         "plan": {"title": "德庆县2019年政务公开工作要点分工方案", "year": 2019}, "entries": entries}
    d.update(over)
    return d


def parse(plan, entries: list[dict], **over):
    return parse_progress_file(json.dumps(doc(entries, **over), ensure_ascii=False).encode("utf-8"), plan)


@pytest.fixture(scope="module")
def roles(plan) -> dict[int, Role]:
    return roles_for(plan, YUECHENG, {})


def test_partial_entry_changes_only_the_fields_it_names(plan, roles):
    later = "2019-11-21T09:00:00"  # an entry without a stamp would be older than the stored one: a conflict
    result = plan_progress_import(parse(plan, [{"task": 38, "percent": 90, "updated_at": later}]), {38: FULL}, roles,
                                  current_office="悦城镇", now=NOW)
    assert result.ok and result.conflicts == ()
    [change] = result.changes
    assert [(f.field, f.old, f.new) for f in change.changes] == [("percent", 50, 90)]
    assert change.entry == Progress(**{**FULL.__dict__, "percent": 90})
    assert "  进度：50% → 90%" in result.describe()


def test_partial_import_through_the_store_keeps_the_other_fields(data_dir, plan, roles):
    store = open_store(data_dir, auto_backup=False)
    try:
        pid = store.current_plan_id()
        store.save_progress(pid, "悦城镇", FULL)
        stored = store.progress(pid, "悦城镇")
        now = datetime.now().isoformat(timespec="seconds")  # the store stamped FULL with this computer's time
        result = plan_progress_import(parse(plan, [{"task": 38, "percent": 90, "updated_at": now}]), stored, roles,
                                      current_office="悦城镇")
        store.save_many(pid, "悦城镇", result.entries_to_save())
        after = store.progress(pid, "悦城镇")[38]
        assert (after.percent, after.owner, after.achievements, after.problems, after.next_steps, after.due) == \
            (90, "党政办 李堃", "办结留言 12 件", "人手不足", "年底前完成", date(2019, 11, 30))
    finally:
        store.close()


def test_older_entry_is_a_conflict_and_force_applies_it(plan, roles):
    stored = {38: FULL}
    old_export = parse(plan, [{"task": 38, "status": "in_progress", "percent": 30, "achievements": "旧稿",
                               "updated_at": "2019-11-01T09:00:00"}])
    result = plan_progress_import(old_export, stored, roles, current_office="悦城镇")
    assert result.ok and result.changes == () and result.entries_to_save() == []
    [conflict] = result.conflicts
    assert conflict.task == 38 and conflict.stored_updated_at == "2019-11-20T10:00:00"
    assert any("加 --force 才会覆盖" in line for line in result.describe())
    forced = plan_progress_import(old_export, stored, roles, current_office="悦城镇", force=True)
    assert [e.achievements for e in forced.entries_to_save()] == ["旧稿"]
    newer = parse(plan, [{"task": 38, "achievements": "新稿", "updated_at": "2019-11-21T09:00:00"}])
    assert plan_progress_import(newer, stored, roles, current_office="悦城镇").entries_to_save()[0].achievements \
        == "新稿"


@pytest.mark.parametrize(("stamp", "refused"), [
    ("2999-01-01T00:00:00", True), ("2019-12-05T15:31:00", True),  # a day and a minute ahead
    ("2019-12-05T15:29:00", False), ("2019-12-04T15:30:00", False),  # within a day: time zones, a fast clock
])
def test_stamp_more_than_a_day_ahead_is_refused(plan, roles, stamp, refused):
    """Issue 20, item 5: an entry stamped 2999 overwrote a newer edit with no conflict, and would win for good."""
    result = plan_progress_import(parse(plan, [{"task": 38, "achievements": "未来稿", "updated_at": stamp}]),
                                  {38: FULL}, roles, current_office="悦城镇", now=NOW)
    assert result.ok is not refused
    if refused:
        assert result.entries_to_save() == []
        assert any(f"修改时间 {stamp}" in r and "晚于本机当前时间（2019-12-04 15:30）一天以上" in r
                   for r in result.refusals)
        forced = plan_progress_import(parse(plan, [{"task": 38, "achievements": "未来稿", "updated_at": stamp}]),
                                      {38: FULL}, roles, current_office="悦城镇", now=NOW, force=True)
        assert forced.entries_to_save() == []  # --force does not override a clock that is wrong
    else:
        assert [e.achievements for e in result.entries_to_save()] == ["未来稿"]


def test_unstamped_entry_is_older_than_any_stamped_one(plan, roles):
    unstamped = parse(plan, [{"task": 38, "achievements": "无时间"}])
    result = plan_progress_import(unstamped, {38: FULL}, roles, current_office="悦城镇", now=NOW)
    assert result.ok and result.entries_to_save() == []
    [conflict] = result.conflicts
    assert conflict.file_updated_at is None and conflict.stored_updated_at == "2019-11-20T10:00:00"
    assert any("没有修改时间，视为早于已保存的修改（2019-11-20T10:00:00）" in line for line in result.describe())
    forced = plan_progress_import(unstamped, {38: FULL}, roles, current_office="悦城镇", now=NOW, force=True)
    assert [e.achievements for e in forced.entries_to_save()] == ["无时间"]
    never_saved = plan_progress_import(unstamped, {}, roles, current_office="悦城镇", now=NOW)  # nothing to lose
    assert [e.achievements for e in never_saved.entries_to_save()] == ["无时间"] and never_saved.conflicts == ()


def test_other_office_needs_to_be_named(plan):
    huilong = roles_for(plan, Office("回龙镇", OfficeKind.TOWN), {})
    parsed = parse(plan, [{"task": 1, "achievements": "回龙镇的记录"}], office="回龙镇")
    refused = plan_progress_import(parsed, {}, huilong, current_office="悦城镇")
    assert not refused.ok and "--office 回龙镇" in refused.refusals[0] and refused.entries_to_save() == []
    named = plan_progress_import(parsed, {}, huilong, current_office="悦城镇", explicit_office="回龙镇")
    assert named.ok and [c.task for c in named.changes] == [1]
    wrong = plan_progress_import(parsed, {}, huilong, current_office="悦城镇", explicit_office="悦城镇")
    assert not wrong.ok and "不符" in wrong.refusals[0]


def test_task_without_a_role_is_refused(plan, roles):
    assert roles[65] == Role.NONE and roles[68] == Role.NONE  # 悦城镇 has 66 of the 68 tasks
    result = plan_progress_import(parse(plan, [{"task": 1, "owner": "甲"}, {"task": 65, "owner": "乙"}]), {}, roles)
    assert not result.ok and result.entries_to_save() == []
    assert result.refusals == ("任务 65：“悦城镇”在该任务中没有分工，不能导入它的进度",)


@pytest.mark.parametrize("status, percent, ok", [
    ("not_started", 90, False), ("not_started", 0, True), ("done", 80, False), ("done", 100, True),
    ("in_progress", 0, True), ("in_progress", 100, True), ("ongoing", 40, True),
    ("not_applicable", 0, True), ("not_applicable", 30, True),
])
def test_status_and_percent_must_agree(plan, roles, status, percent, ok):
    result = plan_progress_import(parse(plan, [{"task": 12, "status": status, "percent": percent}]), {}, roles)
    assert result.ok == ok
    if not ok:
        assert result.refusals[0].startswith("任务 12：导入后状态为") and result.entries_to_save() == []


def test_partial_percent_onto_not_started_is_refused_but_unchanged_entries_never_are(plan, roles):
    not_started = Progress(38, Status.NOT_STARTED, 0, owner="甲", updated_at="2019-11-20T10:00:00")
    result = plan_progress_import(parse(plan, [{"task": 38, "percent": 90}]), {38: not_started}, roles)
    assert not result.ok and "未开始的任务进度应为 0%" in result.refusals[0]
    odd = Progress(38, Status.NOT_STARTED, 90, updated_at="2019-11-20T10:00:00")  # the editor allows it
    exported = json.dumps(build_progress_file(plan, "悦城镇", {38: odd}), ensure_ascii=False)
    again = plan_progress_import(parse_progress_file(exported, plan), {38: odd}, roles)
    assert again.ok and again.unchanged == (38,)  # its own export always imports again


@pytest.mark.parametrize("text, words", [
    ('{"format": "taizhang-progress", "version": 1, "version": 1, "office": "悦城镇"}', "两次字段“version”"),
    ('{"format": "taizhang-progress", "version": 1, "office": "悦城镇", "plan": {"title": "x", "title": "y"}}',
     "两次字段“title”"),
], ids=["top-level", "nested"])
def test_duplicate_keys_are_refused(plan, text, words):
    with pytest.raises(ProgressFileError, match=words):
        parse_progress_file(text.encode("utf-8"), plan)


def test_duplicate_key_inside_an_entry(plan):
    text = json.dumps(doc([{"task": 12, "percent": 10}]), ensure_ascii=False).replace(
        '"percent": 10', '"percent": 10, "percent": 90')
    with pytest.raises(ProgressFileError, match="两次字段“percent”"):
        parse_progress_file(text, plan)


@pytest.mark.parametrize("version", [1.0, True, "1", 2, None])
def test_version_must_be_the_integer_1(plan, version):
    with pytest.raises(ProgressFileError, match="不支持的版本"):
        parse(plan, [], version=version)


def test_gbk_file_is_named_as_not_utf8(plan):
    data = json.dumps(doc([{"task": 12, "achievements": "办结留言"}]), ensure_ascii=False).encode("gbk")
    with pytest.raises(ProgressFileError) as err:
        parse_progress_file(data, plan)
    assert "不是 UTF-8 编码" in str(err.value) and "GBK" in str(err.value) and "JSON" not in str(err.value)
    bom = b"\xef\xbb\xbf" + json.dumps(doc([]), ensure_ascii=False).encode("utf-8")
    assert parse_progress_file(bom, plan).office == "悦城镇"
    utf16 = json.dumps(doc([]), ensure_ascii=False).encode("utf-16")
    with pytest.raises(ProgressFileError, match="不是 UTF-8 编码"):
        parse_progress_file(utf16, plan)


def forbid_opening(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Fail any open of ``path`` through builtins.open, io.open (which pathlib's read_bytes/read_text/open
    use) or os.open; returns the list of attempts (each also raises)."""
    attempts: list[str] = []
    target = str(path.resolve())

    def guard(real):
        def opener(file, *args, **kwargs):
            if not isinstance(file, int) and str(Path(os.fsdecode(file)).resolve()) == target:
                attempts.append(real.__name__)
                raise AssertionError(f"the file was opened ({real.__name__})")
            return real(file, *args, **kwargs)
        return opener

    monkeypatch.setattr(builtins, "open", guard(builtins.open))
    monkeypatch.setattr(io, "open", guard(io.open))
    monkeypatch.setattr(os, "open", guard(os.open))
    return attempts


def test_200_mb_file_is_refused_by_its_size_without_reading(tmp_path, monkeypatch, session):
    big = tmp_path / "huge.json"
    with open(big, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: no disk used
    attempts = forbid_opening(monkeypatch, big)
    with pytest.raises(ProgressFileError) as err:
        read_progress_file(big)
    with pytest.raises(ActionError) as through_action:  # the path the CLI and the window take
        import_progress(session, big, office="悦城镇", dry_run=True)
    monkeypatch.undo()
    assert attempts == []
    assert "200 MB" in str(err.value) and f"最大 {MAX_FILE_BYTES // 1024 // 1024} MB" in str(err.value)
    assert "最大 32 MB" in str(through_action.value)
    with pytest.raises(ProgressFileError, match="最大 32 MB"):
        parse_progress_file(b" " * (MAX_FILE_BYTES + 1), None)  # type: ignore[arg-type]


def test_the_open_guard_catches_pathlib_and_os_reads(tmp_path, monkeypatch):
    """The guard above must see every way of reading a file, or the test proves nothing."""
    small = tmp_path / "small.json"
    small.write_bytes(b"{}")
    attempts = forbid_opening(monkeypatch, small)
    for read in (small.read_bytes, small.read_text, lambda: small.open("rb"),
                 lambda: open(small, "rb"),  # noqa: SIM115 - raises before anything is opened
                 lambda: os.open(small, os.O_RDONLY)):
        with pytest.raises(AssertionError, match="the file was opened"):
            read()
    monkeypatch.undo()
    assert len(attempts) == 5


def test_exported_file_round_trips_byte_identical_and_unchanged(data_dir, plan, roles, tmp_path):
    store = open_store(data_dir, auto_backup=False)
    try:
        pid = store.current_plan_id()
        tricky = Progress(12, Status.DONE, 100, owner="党政办 李堃", steps="一、\r\n二、\t三",
                          achievements="办结市长留言 12 件😀\u0000\u202e", problems="人手不足\x07",
                          next_steps="喆赟镕玥𠀀")
        store.save_progress(pid, "悦城镇", tricky)
        stored = store.progress(pid, "悦城镇")
        out = tmp_path / "export.json"
        out.write_text(json.dumps(build_progress_file(plan, "悦城镇", stored), ensure_ascii=False), encoding="utf-8")
        parsed = parse_progress_file(read_progress_file(out), plan)
        result = plan_progress_import(parsed, stored, roles, current_office="悦城镇")
        assert result.ok and result.changes == () and result.conflicts == () and result.unchanged == (12,)
        other = open_store(tmp_path / "other", auto_backup=False)
        try:
            fresh = plan_progress_import(parsed, other.progress(pid, "悦城镇"), roles, current_office="悦城镇")
            other.save_many(pid, "悦城镇", fresh.entries_to_save())
            back = other.progress(pid, "悦城镇")[12]
        finally:
            other.close()
        for key in ("owner", "steps", "achievements", "problems", "next_steps"):
            assert getattr(back, key).encode("utf-8") == getattr(tricky, key).encode("utf-8")
    finally:
        store.close()


def test_progress_io_stays_qt_free():
    source = Path(progress_io.__file__).read_text(encoding="utf-8")
    assert "PySide" not in source and "sqlite3" not in source


def test_slow_flag_travels_in_the_progress_file_as_an_optional_key(session, plan, tmp_path):
    """进展缓慢 is exported as "slow": true beside the entry and imported back as the flag; a file without the
    key (an older one) reads as before; an entry naming its status but not slow clears it."""
    from actions import editing, progress_files
    from db.sheets import load_flags, write_flag

    pid = session.current_plan_id()
    session.store.save_progress(pid, "悦城镇", FULL)
    session.store.save_progress(pid, "悦城镇", Progress(12, Status.DONE, 100))
    assert editing.set_flag(session, pid, "悦城镇", 38, "slow", True)
    with session.store.write() as conn:  # a flag left over on a task since done: not slow, not exported
        write_flag(conn, pid, "悦城镇", 12, "slow", True)
    out = tmp_path / "进度.json"
    progress_files.export_progress(session, "悦城镇", out)
    entries = {e["task"]: e for e in json.loads(out.read_text(encoding="utf-8"))["entries"]}
    assert entries[38]["slow"] is True and "slow" not in entries[12]

    assert editing.set_flag(session, pid, "悦城镇", 38, "slow", False)
    assert editing.set_flag(session, pid, "悦城镇", 12, "slow", False)
    result = progress_files.import_progress(session, out, office="悦城镇", dry_run=True)
    [change] = result.plan.changes
    assert (change.task, [(f.label, f.old, f.new) for f in change.changes]) == (38, [("进展缓慢", False, True)])
    assert "  进展缓慢：否 → 是" in result.describe()
    assert load_flags(session.store.conn, pid, "悦城镇") == {}  # a dry run writes nothing
    result = progress_files.import_progress(session, out, office="悦城镇")
    assert result.saved == 1 and load_flags(session.store.conn, pid, "悦城镇") == {38: frozenset({"slow"})}
    before = session.store.progress(pid, "悦城镇")[38]
    assert session.store.history(pid, "悦城镇", 38)[0].progress == before  # the entry itself: no new version
    assert len(session.store.history(pid, "悦城镇", 38)) == 1

    old = tmp_path / "旧.json"  # no slow key, no status: the flag stays
    old.write_text(json.dumps(doc([{"task": 38, "percent": 50}]), ensure_ascii=False), encoding="utf-8")
    assert progress_files.import_progress(session, old, office="悦城镇").plan.changes == ()
    assert load_flags(session.store.conn, pid, "悦城镇") == {38: frozenset({"slow"})}
    fresh = tmp_path / "新状态.json"  # the status reported afresh without 进展缓慢: not slow any more
    stamp = datetime.now().isoformat(timespec="seconds")  # stamped: an unstamped entry is older than any saved
    fresh.write_text(json.dumps(doc([{"task": 38, "status": "in_progress", "percent": 60, "updated_at": stamp}]),
                                ensure_ascii=False), encoding="utf-8")
    progress_files.import_progress(session, fresh, office="悦城镇")
    assert load_flags(session.store.conn, pid, "悦城镇") == {}
    assert session.store.progress(pid, "悦城镇")[38].percent == 60
    with pytest.raises(ProgressFileError, match="slow 应为 true 或 false"):
        parse(plan, [{"task": 38, "slow": "是"}])
    with pytest.raises(ProgressFileError, match="未知字段"):
        parse(plan, [{"task": 38, "slowly": True}])

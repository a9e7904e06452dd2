"""county import against hostile packages: each package is accepted or refused on its own, with a summary;
dates exactly YYYY-MM-DD and not past tomorrow; encrypted or oddly packed members, zip bombs and oversized
progress members refused from the zip's directory before anything is inflated; county remove."""

from __future__ import annotations

import hashlib
import json
import struct
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from actions import county, county_import
from actions.session import Session
from core.package.read import MAX_RATIO, MAX_TOTAL_RATIO, RATIO_FLOOR, read_package
from core.package.write import PackageError
from core.progress.file import ProgressFileError, parse_progress_file
from db import received
from tests.county_fixtures import DECHENG, EDUCATION, YUECHENG, make_package, three_packages
from tests.report_fixtures import real_plan

TODAY = date(2019, 12, 10)


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> list[Path]:
    return three_packages(tmp_path_factory.mktemp("packages"))


@pytest.fixture(scope="module")
def parts(packages) -> tuple[dict, dict[str, bytes]]:
    """悦城镇's package taken apart: its manifest and its members."""
    with zipfile.ZipFile(packages[0]) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return json.loads(members.pop("manifest.json")), members


@pytest.fixture
def fresh(tmp_path) -> Session:
    s = Session.open(tmp_path / "data", auto_backup=False)
    yield s
    s.close()


def rebuild(out: Path, manifest: dict, members: dict[str, bytes], *, extra: dict[str, bytes] | None = None,
            compress: dict[str, int] | None = None) -> Path:
    """A package from parts; ``extra`` members are listed in the manifest as evidence of task 12."""
    manifest = json.loads(json.dumps(manifest))
    for name, data in (extra or {}).items():
        manifest["files"].append({"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                                  "kind": "evidence", "task": 12, "number": "12-9", "title": name})
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in [*members.items(), *(extra or {}).items()]:
            zf.writestr(name, data, (compress or {}).get(name, zipfile.ZIP_STORED))
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False),
                    (compress or {}).get("manifest.json", zipfile.ZIP_STORED))
    return out


def patch_header(path: Path, member: str, *, method: int | None = None, flags: int | None = None) -> None:
    """Rewrite one member's compression method or flag bits in its local and central headers (as a zip made
    by another tool would have them: AES encryption is method 99, a password sets flag bit 0)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
        start = zf.start_dir  # type: ignore[attr-defined]
    local = info.header_offset
    central = start
    while data[central:central + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack("<HHH", data[central + 28:central + 34])
        if data[central + 46:central + 46 + n].decode("utf-8") == member:
            break
        central += 46 + n + m + k
    for at, flag_at in ((local + 8, local + 6), (central + 10, central + 8)):
        if method is not None:
            data[at:at + 2] = struct.pack("<H", method)
        if flags is not None:  # added to the flags there (the UTF-8 name flag stays)
            data[flag_at:flag_at + 2] = struct.pack("<H", struct.unpack("<H", data[flag_at:flag_at + 2])[0] | flags)
    path.write_bytes(bytes(data))


# --- dates -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["20191204", "2019-W49-3", "2019-12-4", "2019-338"])
def test_a_report_date_not_written_yyyy_mm_dd_is_refused_and_the_batch_goes_on(fresh, packages, parts, tmp_path,
                                                                                  bad):
    manifest, members = parts
    bent = rebuild(tmp_path / "日期不对.zip", {**manifest, "report_date": bad}, members)
    summary = county.import_packages(fresh, [packages[1], bent, packages[2]], today=TODAY)
    assert [o.result for o in summary.outcomes] == ["imported", "refused", "imported"]
    assert "报告日期格式不对" in summary.outcomes[1].message and "日期不对.zip" in summary.outcomes[1].message
    rows = fresh.store.conn.execute("SELECT office, report_date FROM received_packages").fetchall()
    assert sorted(rows) == sorted([(DECHENG, "2019-12-04"), (EDUCATION, "2019-12-04")])


def test_a_created_at_not_iso_is_refused(parts, tmp_path):
    manifest, members = parts
    for bad in ("20191204T163000", "2019-12-04 16:30", "2019-W49-3T16:30:00"):
        with pytest.raises(PackageError, match="生成时间格式不对"):
            read_package(rebuild(tmp_path / "t.zip", {**manifest, "created_at": bad}, members), TODAY)


def test_dates_past_tomorrow_are_refused_tomorrow_is_accepted(parts, tmp_path):
    manifest, members = parts
    with pytest.raises(PackageError, match="报告日期是 2091-12-04，晚于今天（2019-12-10）") as info:
        read_package(rebuild(tmp_path / "a.zip", {**manifest, "report_date": "2091-12-04"}, members), TODAY)
    assert "电脑日期可能设错了" in info.value.message
    with pytest.raises(PackageError, match="生成时间是 2091-01-01T08:00:00"):
        read_package(rebuild(tmp_path / "b.zip", {**manifest, "created_at": "2091-01-01T08:00:00"}, members), TODAY)
    tomorrow = {**manifest, "report_date": "2019-12-11", "created_at": "2019-12-11T08:00:00"}
    assert read_package(rebuild(tmp_path / "c.zip", tomorrow, members), TODAY).report_date == "2019-12-11"


def test_a_package_dated_2091_never_becomes_current(fresh, packages, parts, tmp_path):
    manifest, members = parts
    future = rebuild(tmp_path / "2091.zip", {**manifest, "report_date": "2091-12-04"}, members)
    summary = county.import_packages(fresh, [packages[0], future])  # today: the real clock
    assert [o.result for o in summary.outcomes] == ["imported", "refused"]
    current = received.current_package(fresh.store.conn, fresh.current_plan_id(), YUECHENG)
    assert current is not None and current.report_date == "2019-12-04"


# --- one bad package does not stop the batch -------------------------------------------------------
@pytest.mark.parametrize(("member", "how", "words"), [
    ("manifest.json", {"flags": 0x1}, "已加密"),
    ("manifest.json", {"method": 99}, "不支持的压缩方式（编号 99）"),
    ("manifest.json", {"method": 12}, "不支持的压缩方式（编号 12）"),  # bzip2: Python reads it, our writer never
    ("悦城镇_进度数据.json", {"flags": 0x1}, "已加密"),
    ("悦城镇_进度数据.json", {"method": 14}, "不支持的压缩方式（编号 14）"),
])
def test_an_encrypted_or_oddly_packed_member_refuses_only_that_package(fresh, packages, parts, tmp_path, member,
                                                                        how, words):
    manifest, members = parts
    odd = rebuild(tmp_path / "加密的.zip", manifest, members,
                  compress={"manifest.json": zipfile.ZIP_BZIP2} if how.get("method") == 12 else None)
    if how.get("method") != 12:
        patch_header(odd, member, **how)
    summary = county.import_packages(fresh, [odd, packages[1]], today=TODAY)
    assert [o.result for o in summary.outcomes] == ["refused", "imported"]
    assert words in summary.outcomes[0].message and "加密的.zip" in summary.outcomes[0].message


def test_an_unexpected_failure_on_one_package_is_that_package_refused(fresh, packages, monkeypatch):
    real_open = county_import.open_incoming

    def crash_on_one(path, *args):
        if Path(path) == packages[0]:
            raise RuntimeError("a bug of ours on a hostile file")
        return real_open(path, *args)

    monkeypatch.setattr(county_import, "open_incoming", crash_on_one)
    summary = county.import_packages(fresh, packages, today=TODAY)
    assert [o.result for o in summary.outcomes] == ["refused", "imported", "imported"]
    assert "意外错误" in summary.outcomes[0].message and packages[0].name in summary.outcomes[0].message


def test_cli_prints_each_outcome_and_a_summary_exit_2(data_dir, capsys, packages, parts, tmp_path):
    from main import main

    manifest, members = parts
    bent = rebuild(tmp_path / "W49.zip", {**manifest, "report_date": "2019-W49-3"}, members)
    code = main(["county", "import", str(packages[1]), str(bent), str(packages[2])])
    err = capsys.readouterr().err
    assert code == 2 and "内部错误" not in err
    assert "未导入：报送材料“W49.zip”不能导入：manifest.json 的报告日期格式不对：2019-W49-3" in err
    assert "共 3 个文件：导入 2 个，未变化 0 个，未导入 1 个" in err


# --- zip bombs and sizes, from the zip's directory before inflating --------------------------------
class OpenSpy:
    """Which members were opened for reading."""

    def __init__(self, monkeypatch):
        self.names: list[str] = []
        real = zipfile.ZipFile.open

        def spy(zf, name, *args, **kwargs):
            self.names.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
            return real(zf, name, *args, **kwargs)

        monkeypatch.setattr(zipfile.ZipFile, "open", spy)


def test_many_modest_members_that_inflate_are_refused_before_any_is_read(parts, tmp_path, monkeypatch):
    """The round-2 check looked only at members over 10 MiB: 40 members of exactly 2 MiB each passed."""
    manifest, members = parts
    zeros = b"\x00" * (2 * 1024 * 1024)
    extra = {f"佐证材料/任务12 市长留言办理/12-{i} 视频.bin": zeros for i in range(40)}
    bomb = rebuild(tmp_path / "bomb.zip", manifest, members, extra=extra,
                   compress=dict.fromkeys(extra, zipfile.ZIP_DEFLATED))
    assert bomb.stat().st_size < 1024 * 1024
    spy = OpenSpy(monkeypatch)
    with pytest.raises(PackageError, match="压缩比异常"):
        read_package(bomb, TODAY)
    assert not any(n in extra for n in spy.names)


def test_the_sum_of_declared_sizes_counts_small_members_too(parts, tmp_path, monkeypatch):
    """4,000 members just under the per-member floor: each passes alone, the sum (262 MB from 1.6 MB) is refused."""
    manifest, members = parts
    small = b"\x00" * (RATIO_FLOOR - 1)
    extra = {f"z/{i}": small for i in range(4000)}
    bomb = rebuild(tmp_path / "bomb.zip", manifest, members, extra=extra,
                   compress=dict.fromkeys(extra, zipfile.ZIP_DEFLATED))
    spy = OpenSpy(monkeypatch)
    with pytest.raises(PackageError, match=r"的压缩比异常：.* MB 的文件解压后有 .* MB"):
        read_package(bomb, TODAY)
    assert spy.names == []  # refused from the central directory alone


def test_an_oversized_progress_member_is_refused_before_it_is_read(fresh, parts, tmp_path, monkeypatch):
    """Round 2 read a 500 MB progress member whole (1.07 GB) before refusing it; 40 MB shows the same."""
    manifest, members = parts
    manifest = json.loads(json.dumps(manifest))
    name = "悦城镇_进度数据.json"
    big = members[name] + b" " * (40 * 1024 * 1024)
    entry = next(f for f in manifest["files"] if f["path"] == name)
    entry.update(size=len(big), sha256=hashlib.sha256(big).hexdigest())
    path = rebuild(tmp_path / "大进度.zip", manifest, {**members, name: big})
    spy = OpenSpy(monkeypatch)
    summary = county.import_packages(fresh, [path], today=TODAY)
    (outcome,) = summary.outcomes
    assert outcome.result == "refused" and "是进度数据，却有 40 MB（进度数据最大 32 MB）" in outcome.message
    assert name not in spy.names


def test_a_progress_file_of_many_small_objects_stops_at_the_plan_s_task_count():
    """Round 2: a 31 MB file of small entries took 18 s and 1.16 GB before the duplicate was found."""
    plan = real_plan()
    head = {"format": "taizhang-progress", "version": 1, "office": YUECHENG,
            "plan": {"title": plan.title, "year": plan.year}}
    body = ",".join(['{"task":12,"percent":0}'] * 200_000)  # 4.8 MB
    data = (json.dumps(head, ensure_ascii=False)[:-1] + ',"entries":[' + body + "]}").encode()
    tracemalloc.start()
    try:
        with pytest.raises(ProgressFileError, match="文件中的记录多于方案的任务数（方案共 68 项任务）"):
            parse_progress_file(data, plan, {YUECHENG})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(data)  # the text itself, decoded: not 200,000 dicts (~60 MB)


MEMBER = st.tuples(st.integers(0, 300 * 1024), st.sampled_from(["zeros", "random", "text"]),
                   st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(extra=st.lists(MEMBER, min_size=1, max_size=12))
def test_hostile_member_sizes_are_refused_or_within_the_limits(parts, tmp_path_factory, extra):
    manifest, members = parts
    made: dict[str, bytes] = {}
    compress: dict[str, int] = {}
    for i, (size, fill, method) in enumerate(extra):
        name = f"佐证材料/任务12 市长留言办理/12-{i} x.bin"
        made[name] = {"zeros": b"\x00" * size, "random": hashlib.sha256(str(i).encode()).digest() * (size // 32),
                      "text": ("政务公开" * size)[:size].encode()[:size]}[fill]
        compress[name] = method
    path = rebuild(tmp_path_factory.mktemp("h") / "p.zip", manifest, members, extra=made, compress=compress)
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    try:
        pkg = read_package(path, TODAY)
    except PackageError as exc:
        event("refused")
        assert exc.message.startswith("报送材料“p.zip”不能导入"), exc.message
        return
    event("accepted")
    assert len(pkg.files) == len(manifest["files"]) + len(made)
    for info in infos:  # accepted: no member and not the whole inflates past the ratios
        assert info.file_size <= RATIO_FLOOR or info.file_size <= MAX_RATIO * max(info.compress_size, 1)
    total = sum(i.file_size for i in infos)
    assert total <= RATIO_FLOOR or total <= MAX_TOTAL_RATIO * path.stat().st_size


# --- county remove ---------------------------------------------------------------------------------
def test_remove_the_current_package_brings_back_the_previous(fresh, packages, tmp_path):
    later = make_package(tmp_path / "later", YUECHENG, report_date=date(2019, 12, 6))
    county.import_packages(fresh, [packages[0], later], today=TODAY)
    plan_id = fresh.current_plan_id()
    assert received.current_package(fresh.store.conn, plan_id, YUECHENG).report_date == "2019-12-06"
    done = county.remove_package(fresh, YUECHENG)
    assert done.package.report_date == "2019-12-06" and done.current.report_date == "2019-12-04"
    assert [p.report_date for p in county.package_history(fresh, YUECHENG)] == ["2019-12-04"]
    assert county.matrix(fresh).cell(12, YUECHENG).status is not None
    done = county.remove_package(fresh, YUECHENG)
    assert done.current is None and county.matrix(fresh).cell(12, YUECHENG).status is None
    assert fresh.store.conn.execute("SELECT COUNT(*) FROM received_progress").fetchone()[0] == 0
    with pytest.raises(county.ActionError, match="还没有导入悦城镇的报送材料"):
        county.remove_package(fresh, YUECHENG)


def test_remove_a_package_already_stored_with_a_wrong_date(fresh, packages):
    """A 2091 package from before this check (imported by round 2) is set aside by report date."""
    county.import_packages(fresh, [packages[0]], today=TODAY)
    plan_id = fresh.current_plan_id()
    with fresh.store.write() as conn:
        received.insert_package(conn, plan_id, office=YUECHENG, report_date="2091-12-04",
                                created_at="2091-12-04T08:00:00", app_version="0.2.0", file_name="2091.zip",
                                manifest_sha256="a" * 64, file_sha256="b" * 64, file_size=10,
                                imported_at="2019-12-05T08:00:00", entries=(), evidence=())
    assert received.current_package(fresh.store.conn, plan_id, YUECHENG).report_date == "2091-12-04"
    with pytest.raises(county.ActionError, match="已导入的报告日期：2091-12-04、2019-12-04"):
        county.remove_package(fresh, YUECHENG, "2019-12-05")
    done = county.remove_package(fresh, YUECHENG, "2091-12-04")
    assert done.current is not None and done.current.report_date == "2019-12-04"
    assert fresh.store.check() == []


def test_cli_county_remove(data_dir, capsys, packages):
    from main import main

    assert main(["county", "import", str(packages[0])]) == 0
    capsys.readouterr()
    assert main(["county", "remove", "--office", YUECHENG]) == 0
    err = capsys.readouterr().err
    assert "已移出悦城镇报告日期为 2019-12-04 的报送材料" in err and "悦城镇现为未报送" in err
    assert main(["county", "remove", "--office", YUECHENG]) == 2
    assert "还没有导入悦城镇的报送材料" in capsys.readouterr().err
    assert main(["county", "remove"]) == 2


def test_remove_with_two_packages_pointing_at_it_leaves_exactly_one_current(fresh, packages, tmp_path):
    """12-04 replaced by 12-06, then 12-02 arriving late points at 12-06 too: removing 12-06 makes 12-04
    current and 12-02 history (never two current packages for one office)."""
    later = make_package(tmp_path / "later", YUECHENG, report_date=date(2019, 12, 6))
    earlier = make_package(tmp_path / "earlier", YUECHENG, report_date=date(2019, 12, 2))
    county.import_packages(fresh, [packages[0], later, earlier], today=TODAY)
    done = county.remove_package(fresh, YUECHENG, "2019-12-06")
    assert done.current is not None and done.current.report_date == "2019-12-04"
    rows = fresh.store.conn.execute("SELECT report_date, superseded_by IS NULL FROM received_packages"
                                    " WHERE office=? ORDER BY report_date", (YUECHENG,)).fetchall()
    assert rows == [("2019-12-02", 0), ("2019-12-04", 1)]


def test_a_write_failing_for_one_package_is_reported_and_the_others_are_stored(fresh, packages, monkeypatch):
    import sqlite3

    real = received.insert_package

    def full_for_decheng(conn, plan_id, **kw):
        if kw["office"] == DECHENG:
            raise sqlite3.OperationalError("database or disk is full")
        return real(conn, plan_id, **kw)

    monkeypatch.setattr(received, "insert_package", full_for_decheng)
    summary = county.import_packages(fresh, packages, today=TODAY)
    assert [o.result for o in summary.outcomes] == ["imported", "refused", "imported"]
    assert "没有导入：磁盘已满" in summary.outcomes[1].message
    assert {r[0] for r in fresh.store.conn.execute("SELECT office FROM received_packages")} == {YUECHENG, EDUCATION}


DATES = st.one_of(
    st.dates().map(date.isoformat),
    st.dates().map(lambda d: d.strftime("%Y%m%d")),
    st.dates().map(lambda d: "{}-W{:02d}-{}".format(*d.isocalendar())),
    st.dates().map(lambda d: f"{d.year}-{d.month}-{d.day}"),
    st.dates(min_value=date(2019, 12, 1), max_value=date(2019, 12, 20)).map(date.isoformat),
    st.text(alphabet="0123456789-W:T/.０１２ ", max_size=12),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(day=DATES)
def test_report_dates_accepted_only_as_yyyy_mm_dd_up_to_tomorrow(parts, tmp_path_factory, day):
    import re

    manifest, members = parts
    path = rebuild(tmp_path_factory.mktemp("d") / "p.zip", {**manifest, "report_date": day}, members)
    try:
        pkg = read_package(path, TODAY)
    except PackageError as exc:
        event("refused")
        assert "报告日期" in exc.message or "report_date" in exc.message, exc.message
        ok = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day) is not None
        if ok:
            try:
                ok = date.fromisoformat(day) <= date(2019, 12, 11)
            except ValueError:
                ok = False
        assert not ok, day
        return
    event("accepted")
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", pkg.report_date) and pkg.report_date == day
    assert date.fromisoformat(day) <= date(2019, 12, 11)

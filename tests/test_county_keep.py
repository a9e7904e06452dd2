"""The import keeps a copy of each office's zip in ``<data>/received/<sha256>.zip``: read-only, the verified
bytes, stored once; evidence opens from it when the original is gone; a full disk imports nothing; removing a
package drops a copy nobody refers to; the write guard keeps outputs out; ``check`` re-hashes the copies."""

from __future__ import annotations

import errno
import hashlib
import shutil
import sqlite3
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest

from actions import county, county_import, guard
from actions.errors import ActionError
from db import received_files
from tests.county_fixtures import DECHENG, YUECHENG, make_package
from tests.test_county_evidence import PHOTO, drop_kept_copies, rebuild, run_main

TODAY = date(2019, 12, 10)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kept(data_dir: Path) -> list[str]:
    folder = data_dir / "received"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def rows(session) -> list[tuple[str, str, str]]:
    return session.store.conn.execute(
        "SELECT office, report_date, file_sha256 FROM received_packages ORDER BY office, report_date").fetchall()


def no_space(_fd: int, _data: bytes) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def packages(tmp_path) -> list[Path]:
    folder = tmp_path / "U盘"
    return [make_package(folder, YUECHENG), make_package(folder, DECHENG)]


def test_the_import_keeps_a_read_only_copy_named_by_its_hash(session, packages, data_dir):
    summary = county.import_packages(session, packages, today=TODAY)
    assert len(summary.imported) == 2
    hashes = {office: file_sha for office, _day, file_sha in rows(session)}
    assert hashes == {YUECHENG: sha(packages[0]), DECHENG: sha(packages[1])}
    assert kept(data_dir) == sorted(f"{h}.zip" for h in hashes.values())  # no partial file left either
    for path in packages:
        copy = data_dir / "received" / f"{sha(path)}.zip"
        assert copy.read_bytes() == path.read_bytes()
        assert stat.S_IMODE(copy.stat().st_mode) & 0o222 == 0


def test_the_original_gone_evidence_still_opens_from_the_copy(data_dir, capsys, packages, tmp_path, monkeypatch):
    with zipfile.ZipFile(packages[0]) as zf:
        photo = zf.read(PHOTO)
    assert run_main(capsys, "county", "import", str(packages[0]))[0] == 0
    shutil.rmtree(packages[0].parent)  # the USB stick is gone
    monkeypatch.chdir(tmp_path)
    out_dir = tmp_path / "取出"
    out_dir.mkdir()
    code, _, err = run_main(capsys, "county", "evidence", "--office", YUECHENG, "--task", "12",
                            "--extract", str(out_dir))
    assert code == 0 and "共取出 2 个文件（从数据文件夹中保存的副本，已按导入时的清单核对）" in err
    assert (out_dir / "12-2 包案会议照片.jpg").read_bytes() == photo


def test_the_copy_failing_on_a_full_disk_imports_nothing(session, packages, data_dir, monkeypatch):
    monkeypatch.setattr(received_files, "write_all", no_space)
    summary = county.import_packages(session, packages[:1], today=TODAY)
    assert [o.result for o in summary.outcomes] == [county.REFUSED]
    assert summary.refused[0].message.startswith(f"报送材料“{packages[0].name}”没有导入：磁盘已满，"
                                                 "无法在数据文件夹中保存它的副本")
    assert "没有导入任何内容" in summary.refused[0].message
    assert rows(session) == [] and kept(data_dir) == []
    monkeypatch.undo()
    assert county.import_packages(session, packages[:1], today=TODAY).imported  # space again: it goes in


def test_a_full_disk_in_the_cli_is_exit_2_with_a_plain_message(data_dir, capsys, packages, monkeypatch):
    monkeypatch.setattr(received_files, "write_all", no_space)
    code, _, err = run_main(capsys, "county", "import", str(packages[0]))
    assert code == 2 and "磁盘已满，无法在数据文件夹中保存它的副本" in err and "Traceback" not in err
    assert "导入 0 个" in err and kept(data_dir) == []


def test_rows_failing_after_the_copy_leave_no_copy(session, packages, data_dir, monkeypatch):
    def full(*_args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(county_import, "_insert", full)
    summary = county.import_packages(session, packages[:1], today=TODAY)
    assert "磁盘已满" in summary.refused[0].message
    assert rows(session) == [] and kept(data_dir) == []


def test_another_process_importing_it_meanwhile_is_seen_inside_the_transaction(session, packages, data_dir,
                                                                               monkeypatch):
    from actions.session import Session

    real = received_files.keep_copy

    def copy_while_another_imports(*args):
        placed = real(*args)
        monkeypatch.setattr(received_files, "keep_copy", real)  # the other process copies as usual
        other = Session.open(data_dir, auto_backup=False)
        try:
            county.import_packages(other, [packages[0]], today=TODAY)
        finally:
            other.close()
        return placed

    monkeypatch.setattr(received_files, "keep_copy", copy_while_another_imports)
    summary = county.import_packages(session, packages[:1], today=TODAY)
    assert [o.result for o in summary.outcomes] == [county.UNCHANGED]
    assert len(rows(session)) == 1 and kept(data_dir) == [f"{sha(packages[0])}.zip"]  # its row refers to it


def test_a_zip_changed_after_verification_is_not_copied_nor_imported(session, packages, data_dir):
    batch = county.verify_packages(county.import_target(session), packages[:1], TODAY)
    assert batch.found and not batch.refused
    packages[0].write_bytes(packages[1].read_bytes())  # replaced between the worker's check and its copy
    summary = county.store_packages(session, county.copy_packages(data_dir, batch))
    assert summary.refused[0].message == (f"报送材料“{packages[0].name}”不能导入：它在校验之后被改动了"
                                          "（内容与校验时不同）。没有导入任何内容；请等它保存或下载完毕后重新导入。")
    assert rows(session) == [] and kept(data_dir) == []


def test_a_zip_changed_right_after_its_checks_is_refused(session, packages, data_dir, monkeypatch):
    """Its members changed once read_package passed, the manifest and progress file kept: the hash of the zip
    was taken before the checks, so the stored copy would not be the bytes checked; nothing goes in."""
    from core.county import incoming

    with zipfile.ZipFile(packages[0]) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = members.pop("manifest.json")
    real = incoming.read_package

    def checked_then_changed(path: Path, today: date | None = None):
        pkg = real(path, today)
        rebuild(packages[0], manifest, {**members, PHOTO: members[PHOTO][:-1] + b"\x00"})
        return pkg

    monkeypatch.setattr(incoming, "read_package", checked_then_changed)
    summary = county.import_packages(session, packages[:1], today=TODAY)
    assert "它在校验之后被改动了" in summary.refused[0].message
    assert rows(session) == [] and kept(data_dir) == []


def test_the_two_halves_copy_off_the_database_and_store_only_rows(session, packages, data_dir, monkeypatch):
    """prepare_packages copies (no database); store_packages then reads and copies no file at all."""
    prepared = county.prepare_packages(data_dir, county.import_target(session), packages, TODAY)
    assert kept(data_dir) == sorted(f"{sha(p)}.zip" for p in packages) and rows(session) == []
    assert {p: (k.placed, k.failed, k.adding) for p, k in prepared.kept.items()} == {
        packages[0]: (True, "", False), packages[1]: (True, "", False)}

    def no_file_work(*_args):
        raise AssertionError("a file read or copied while storing the rows")

    monkeypatch.setattr(received_files, "keep_copy", no_file_work)
    monkeypatch.setattr(received_files, "hash_file", no_file_work)
    summary = county.store_packages(session, prepared)
    assert [o.result for o in summary.outcomes] == [county.IMPORTED, county.IMPORTED]
    assert {r[2] for r in rows(session)} == {sha(p) for p in packages}


def test_a_plan_switched_while_copying_drops_the_new_copies(session, packages, data_dir):
    from dataclasses import replace

    from core.offices import builtin_offices

    prepared = county.prepare_packages(data_dir, county.import_target(session), packages[:1], TODAY)
    assert kept(data_dir) == [f"{sha(packages[0])}.zip"]
    plan = replace(session.plan(), title="另一个方案")
    with session.store.write() as conn:
        other = session.store.insert_plan(conn, plan, builtin_offices(plan))
    session.use_plan(other)
    with pytest.raises(ActionError, match="导入期间切换了方案，没有导入任何内容"):
        county.store_packages(session, prepared)
    assert rows(session) == [] and kept(data_dir) == []


def test_a_package_removed_while_copying_is_not_imported_without_its_copy(session, packages, data_dir):
    """Held when the job began (so no copy was made for new rows), gone by the store: refused, asked again."""
    county.import_packages(session, packages[:1], today=TODAY)
    prepared = county.prepare_packages(data_dir, county.import_target(session), packages[:1], TODAY)
    assert prepared.kept[packages[0]] == county.KeptCopy(placed=False, adding=True)
    county.remove_package(session, YUECHENG)  # another window, meanwhile
    summary = county.store_packages(session, prepared)
    assert summary.refused[0].message == (f"报送材料“{packages[0].name}”没有导入：导入期间汇总数据有变化"
                                          "（可能在另一个窗口中移出了报送材料）。请重新导入。")
    assert rows(session) == [] and kept(data_dir) == []
    assert county.import_packages(session, packages[:1], today=TODAY).imported  # again: it goes in


def test_the_same_package_twice_is_stored_once_and_a_missing_copy_is_added_again(session, packages, data_dir,
                                                                                 tmp_path):
    county.import_packages(session, packages[:1], today=TODAY)
    copy = data_dir / "received" / f"{sha(packages[0])}.zip"
    before = copy.stat()
    renamed = tmp_path / "邮件附件" / "悦城镇报送.zip"
    renamed.parent.mkdir()
    shutil.copy(packages[0], renamed)
    summary = county.import_packages(session, [packages[0], renamed], today=TODAY)
    assert [o.result for o in summary.outcomes] == [county.UNCHANGED, county.UNCHANGED]
    assert kept(data_dir) == [copy.name] and len(rows(session)) == 1
    assert (copy.stat().st_ino, copy.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not rewritten
    drop_kept_copies(data_dir)  # as imported before copies were kept
    again = county.import_packages(session, [renamed], today=TODAY)
    assert again.unchanged[0].message.endswith("未重复导入（已在数据文件夹中补存压缩包的副本）")
    assert copy.read_bytes() == packages[0].read_bytes() and len(rows(session)) == 1


def test_remove_drops_the_copy_only_when_no_package_refers_to_it(session, packages, data_dir, tmp_path):
    later = make_package(tmp_path / "第二次", YUECHENG, report_date=date(2019, 12, 9))
    county.import_packages(session, [packages[0], later, packages[1]], today=TODAY)
    assert len(kept(data_dir)) == 3
    done = county.remove_package(session, YUECHENG)  # the 12-09 one; the 12-04 one is current again
    assert done.package.file_sha256 == sha(later) and done.current.file_sha256 == sha(packages[0])
    assert kept(data_dir) == sorted([f"{sha(packages[0])}.zip", f"{sha(packages[1])}.zip"])
    # a row still referring to the same zip keeps it (a second plan could hold the same package)
    assert not received_files.drop_copy_if_unused(session.store.conn, data_dir, sha(packages[1]))
    assert (data_dir / "received" / f"{sha(packages[1])}.zip").is_file()
    drop_kept_copies(data_dir)  # a copy already gone: removing is no error
    county.remove_package(session, DECHENG)
    assert [r[0] for r in rows(session)] == [YUECHENG]


def test_the_write_guard_refuses_the_received_folder(session, packages, data_dir, capsys):
    county.import_packages(session, packages[:1], today=TODAY)
    folder = data_dir / "received"
    with pytest.raises(ActionError, match="不能保存到程序自己的“received”文件夹"):
        guard.check_target(folder / "汇总表.xlsx", data_dir, guard.XLSX)
    with pytest.raises(ActionError, match="不能保存到程序自己的“received”文件夹"):
        guard.check_folder(folder, data_dir)
    session.close()
    code, _, err = run_main(capsys, "county", "matrix", "--out", str(folder / "汇总表.xlsx"))
    assert code == 2 and "“received”文件夹" in err and kept(data_dir) == [f"{sha(packages[0])}.zip"]


def test_check_reports_an_altered_or_missing_copy(data_dir, capsys, packages):
    assert run_main(capsys, "county", "import", str(packages[0]), str(packages[1]))[0] == 0
    assert run_main(capsys, "check")[:2] == (0, "ok\n")
    altered = data_dir / "received" / f"{sha(packages[0])}.zip"
    altered.chmod(0o644)
    data = bytearray(altered.read_bytes())
    data[100] ^= 1  # same size, one bit
    altered.write_bytes(bytes(data))
    (data_dir / "received" / f"{sha(packages[1])}.zip").chmod(0o644)
    (data_dir / "received" / f"{sha(packages[1])}.zip").unlink()
    code, out, _ = run_main(capsys, "check")
    assert code == 1
    assert out.splitlines() == [
        f"{DECHENG}报告日期为 2019-12-04 的报送材料“{packages[1].name}”：数据文件夹中没有它的副本"
        f"（{sha(packages[1])}.zip），打开其佐证材料时需要原压缩包。重新导入该压缩包即可补存（内容不会重复导入）。",
        f"{YUECHENG}报告日期为 2019-12-04 的报送材料“{packages[0].name}”：数据文件夹中的副本已被改动（校验值不符）："
        f"{altered}。重新导入原压缩包即可修复。"]
    code, out, _ = run_main(capsys, "county", "import", str(packages[0]), str(packages[1]))
    assert code == 0 and out.count("已在数据文件夹中补存压缩包的副本") == 0
    assert run_main(capsys, "check")[:2] == (0, "ok\n")  # re-importing repaired and added the copies
    assert sha(altered) == altered.stem


def test_session_check_itself_reports_the_copies_for_every_front_end(session, packages, data_dir):
    """The copy check lives in ``Session.check`` (the window's check runs it too), not in the CLI alone."""
    county.import_packages(session, packages[:1], today=TODAY)
    assert session.check() == []
    copy = data_dir / "received" / f"{sha(packages[0])}.zip"
    copy.chmod(0o644)
    copy.unlink()
    assert session.check() == [
        f"{YUECHENG}报告日期为 2019-12-04 的报送材料“{packages[0].name}”：数据文件夹中没有它的副本"
        f"（{copy.name}），打开其佐证材料时需要原压缩包。重新导入该压缩包即可补存（内容不会重复导入）。"]


# --- the window ---------------------------------------------------------------------------------------
def test_the_window_opens_evidence_from_the_copy_when_the_zip_is_gone(qtbot, session, packages, monkeypatch):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    from gui.county_window import CountyWindow
    from tests.test_gui_county_evidence import click_anchor, show

    with zipfile.ZipFile(packages[0]) as zf:
        photo = zf.read(PHOTO)
    opened: list = []
    asked: list = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: asked.append(a) or ("", ""))
    window = CountyWindow(session, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.imported, timeout=60_000):
        window.import_packages([str(p) for p in packages])
    shutil.rmtree(packages[0].parent)  # the USB stick is gone (the remembered folder with it)
    show(window, 12, YUECHENG)
    click_anchor(qtbot, window.detail, "evidence:1")
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=30_000)
    path = Path(opened[0].toLocalFile())
    assert path.name == "12-2 包案会议照片.jpg" and path.read_bytes() == photo and asked == []
    assert str(session.data_dir / "received") not in window.package_folders()
    window.close()


def test_the_window_copies_the_zips_on_its_worker_not_the_ui_thread(qtbot, session, packages, monkeypatch):
    """Evidence zips of 100 MB × 40: copying them in the UI thread's store step froze the window."""
    import threading

    from gui.county_window import CountyWindow

    real = received_files.keep_copy
    threads: list[threading.Thread] = []

    def recording(*args):
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(received_files, "keep_copy", recording)
    window = CountyWindow(session, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.imported, timeout=60_000) as signal:
        window.import_packages([str(p) for p in packages])
    assert len(signal.args[0].imported) == 2
    assert len(threads) == 2 and threading.main_thread() not in threads
    assert kept(session.data_dir) == sorted(f"{sha(p)}.zip" for p in packages) and len(rows(session)) == 2
    window.close()


def test_the_window_says_a_full_disk_imported_nothing(qtbot, session, packages, monkeypatch):
    from gui.county_window import CountyWindow

    monkeypatch.setattr(received_files, "write_all", no_space)
    window = CountyWindow(session, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.imported, timeout=60_000):
        window.import_packages([str(packages[0])])
    assert window.refused_box.isVisible()
    assert window.refused_box.text() == (
        f"导入 0 个，未变化 0 个，未导入 1 个。\n· 报送材料“{packages[0].name}”没有导入：磁盘已满，"
        f"无法在数据文件夹中保存它的副本（{session.data_dir / 'received'}），没有导入任何内容。"
        "请清理磁盘空间后重新导入。")
    assert rows(session) == [] and kept(session.data_dir) == []
    window.refused_box.close()
    window.close()

"""What the app writes: spreadsheets never hold a live formula from typed text, files follow the umask,
a killed write leaves nothing of ours behind for long, only our own package is replaced, and a bad --out
for package or backup is exit 2 with a message (a full disk exit 1, plainly)."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core.atomic import PARTIAL_SUFFIX, clear_partials, open_partial, write_atomic
from core.package.write import write_package
from tests.package_fixtures import OFFICE, REPORT_DATE, documents
from tests.report_fixtures import real_plan

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_TITLES = ['=HYPERLINK("http://evil.example/","点我")', "=cmd|' /C calc'!A0", "+1+2", "-3", "@SUM(A1)",
                  "\t=1+1", "\r=2"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    from main import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def entered(tmp_path_factory) -> Path:
    """悦城镇 with the town's progress and one evidence item per hostile title."""
    from db import evidence as ev
    from tests.evidence_fixtures import pdf
    from tests.report_fixtures import town_progress, town_roles
    from tests.stores import open_store

    data_dir = tmp_path_factory.mktemp("data")
    src = tmp_path_factory.mktemp("src")
    store = open_store(data_dir)
    try:
        plan_id = store.current_plan_id()
        plan = store.plan(plan_id)
        for entry in town_progress(plan, town_roles(plan)).values():
            store.save_progress(plan_id, OFFICE, entry)
        for i, title in enumerate(HOSTILE_TITLES):
            ev.add_files(store.conn, data_dir, plan_id, OFFICE, 12, [pdf(src / f"{i}.pdf", f"notice {i}")],
                         title=title, today=REPORT_DATE)
    finally:
        store.close()
    return data_dir


@pytest.fixture(scope="module")
def built(entered, tmp_path_factory) -> Path:
    """One package made through the CLI, under umask 022."""
    from main import main

    out = tmp_path_factory.mktemp("usb")
    old = os.umask(0o022)
    try:
        assert main(["--data-dir", str(entered), "package", "--office", OFFICE, "--out", str(out),
                     "--date", "2019-12-04", "--fonts", "bundled"]) == 0
    finally:
        os.umask(old)
    (zip_path,) = out.glob("*.zip")
    return zip_path


# --- spreadsheets ----------------------------------------------------------------------------------
def test_package_index_writes_evidence_titles_as_text(built, tmp_path):
    with zipfile.ZipFile(built) as zf:
        (tmp_path / "目录.xlsx").write_bytes(zf.read("目录.xlsx"))
    ws = load_workbook(tmp_path / "目录.xlsx").active
    titles = {row[4].value: row[4] for row in ws.iter_rows(min_row=4) if row[1].value == "佐证材料"}
    assert len(titles) == len(HOSTILE_TITLES), sorted(titles)
    for title, cell in titles.items():
        assert cell.data_type == "s" and cell.quotePrefix, title
    assert {'=HYPERLINK("http://evil.example/","点我")', "=cmd|' /C calc'!A0", "+1+2", "-3", "@SUM(A1)"} <= set(titles)


def test_report_ledger_keeps_formula_like_notes_text_after_an_edit():
    from core.report.xlsx_writer import _SheetWriter

    wb = Workbook()
    from core.report.xlsx_writer import _add_styles

    _add_styles(wb)
    writer = _SheetWriter(wb.active)
    cell = writer.text(5, 3, "=HYPERLINK(\"http://x\")", "台账正文")
    assert (cell.value, cell.data_type, cell.quotePrefix, cell.style) == ('=HYPERLINK("http://x")', "s", True,
                                                                          "台账正文")
    plain = writer.text(6, 3, "办理留言12件", "台账正文")
    assert not plain.quotePrefix


def test_every_spreadsheet_writer_goes_through_xlsx_safe():
    """No module that builds a workbook writes a cell itself: ws.append and cell.value = live only in
    core/xlsx_safe.py, and each writer imports it."""
    offenders = []
    for path in [*ROOT.glob("core/**/*.py"), *ROOT.glob("actions/*.py"), *ROOT.glob("db/*.py")]:
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if rel == "core/xlsx_safe.py" or "Workbook" not in text or rel.startswith("core/importers/"):
            continue
        tree = ast.parse(text)
        if "xlsx_safe" not in text:
            offenders.append(f"{rel}: builds a workbook without core.xlsx_safe")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in ("ws", "missing", "sheet"):
                offenders.append(f"{rel}:{node.lineno}: {ast.unparse(node)[:60]}")
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "value"
                                                    for t in node.targets):
                offenders.append(f"{rel}:{node.lineno}: {ast.unparse(node)[:60]}")
    assert offenders == []


# --- umask, partial files, replacing -----------------------------------------------------------------
def test_the_package_follows_the_umask(built):
    assert built.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_atomic_writes_follow_the_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        write_atomic(tmp_path / "r.pdf", b"%PDF-1.4")
    finally:
        os.umask(old)
    assert (tmp_path / "r.pdf").stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_package_killed_mid_write_leaves_a_partial_that_the_next_write_clears(tmp_path):
    """kill -9 of a real process writing a package: its hidden partial file stays; the next package written
    to that folder removes it (and nothing else)."""
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / ".其他程序的临时文件.tmp").write_bytes(b"not ours")
    child = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from core.package.write import write_package
        from tests.package_fixtures import OFFICE, REPORT_DATE, documents
        from tests.report_fixtures import real_plan
        plan = real_plan()
        def die(done, estimate):
            if done > 100_000:
                os.kill(os.getpid(), signal.SIGKILL)
        write_package({str(usb)!r}, OFFICE, plan.title, plan.year, REPORT_DATE, progress=die, **documents())
    """)
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode(errors="replace")
    left = sorted(p.name for p in usb.iterdir())
    partial = [n for n in left if n.endswith(PARTIAL_SUFFIX)]
    assert len(partial) == 1 and partial[0].startswith(".悦城镇_") and (usb / partial[0]).stat().st_size > 100_000
    plan = real_plan()
    info = write_package(usb, OFFICE, plan.title, plan.year, REPORT_DATE, **documents())
    assert sorted(p.name for p in usb.iterdir()) == sorted([".其他程序的临时文件.tmp", info.path.name])


def test_a_partial_file_in_use_is_left_alone(tmp_path):
    fd, name = open_partial(tmp_path, "报告")
    try:
        assert clear_partials(tmp_path) == 0 and Path(name).exists()
    finally:
        os.close(fd)
    assert clear_partials(tmp_path) == 1 and not Path(name).exists()


def test_package_out_onto_an_unrelated_zip_is_refused(entered, tmp_path, capsys):
    other = tmp_path / "照片合集.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("IMG_0001.jpg", b"\xff\xd8 holiday")
    before = other.read_bytes()
    code, _, err = run(capsys, "--data-dir", str(entered), "package", "--office", OFFICE, "--out", str(other))
    assert code == 2 and "“照片合集.zip”已存在，但不是落实台账的报送材料，为免误删没有覆盖" in err
    assert other.read_bytes() == before


def test_package_out_onto_our_own_earlier_package_replaces_it(built, entered, tmp_path, capsys):
    again = tmp_path / "again.zip"
    again.write_bytes(built.read_bytes())
    code, _, err = run(capsys, "--data-dir", str(entered), "package", "--office", OFFICE, "--out", str(again),
                       "--date", "2019-12-05", "--fonts", "bundled")
    assert code == 0, err
    with zipfile.ZipFile(again) as zf:
        assert '"report_date": "2019-12-05"' in zf.read("manifest.json").decode()


# --- exit codes ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("out", "words"), [
    ("x.txt", "报送材料应保存为 .zip 文件，或选择一个文件夹"),
    ("没有的文件夹/", "文件夹不存在"),
    ("没有的文件夹/a.zip", "文件夹不存在"),
])
def test_package_bad_out_is_exit_2(entered, tmp_path, capsys, out, words):
    code, _, err = run(capsys, "--data-dir", str(entered), "package", "--office", OFFICE, "--out",
                       str(tmp_path / out))
    assert code == 2 and words in err and "内部错误" not in err


def test_backup_out_a_new_folder_is_made(entered, tmp_path, capsys):
    target = tmp_path / "新备份"
    code, _, err = run(capsys, "--data-dir", str(entered), "backup", "--out", str(target))
    assert code == 0, err
    (made,) = target.iterdir()
    assert made.name.startswith("taizhang-backup-") and (made / "taizhang.sqlite3").is_file()
    assert sorted(p.name for p in (made / "evidence").rglob("*") if p.is_file()) != []


def test_backup_out_a_file_with_evidence_says_one_clear_thing(entered, tmp_path, capsys):
    code, _, err = run(capsys, "--data-dir", str(entered), "backup", "--out", str(tmp_path / "a.sqlite3"))
    assert code == 2 and "不能保存为单个文件“a.sqlite3”" in err and "文件夹不存在时会新建" in err
    code, _, err = run(capsys, "--data-dir", str(entered), "backup", "--out", str(tmp_path / "无" / "新"))
    assert code == 2 and "文件夹不存在" in err


def test_backup_to_a_nearly_full_stick_is_a_plain_message(entered, tmp_path, capsys):
    from tests.fault_helpers import mounted_tmpfs

    with mounted_tmpfs(tmp_path / "usb", "size=400k") as usb:
        code, _, err = run(capsys, "--data-dir", str(entered), "backup", "--out", str(usb))
        assert code == 1 and "磁盘空间不足，备份没有写入" in err, err
        assert "内部错误" not in err and "缺失" not in err
        assert list(usb.iterdir()) == []


def test_backup_running_out_of_space_midway_is_a_plain_message(entered, tmp_path, capsys, monkeypatch):
    """The space check passed, then writing the backup's manifest hit ENOSPC: exit 1, said plainly."""
    import errno
    import json
    import types

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("db.evidence_backup.json", types.SimpleNamespace(dump=full, loads=json.loads))
    code, _, err = run(capsys, "--data-dir", str(entered), "backup", "--out", str(tmp_path))
    assert code == 1 and "磁盘空间不足，备份没有写入" in err and "内部错误" not in err, err
    assert list(tmp_path.iterdir()) == []


def test_a_stick_refusing_modes_and_locks_still_gets_the_file(tmp_path, monkeypatch):
    """FAT on a USB stick refuses chmod (EPERM); a network share may refuse flock (ENOLCK): written anyway."""
    import errno

    import core.atomic as atomic

    def refuse(code):
        def call(*args, **kwargs):
            raise OSError(code, os.strerror(code))
        return call

    monkeypatch.setattr(atomic.os, "fchmod", refuse(errno.EPERM))
    monkeypatch.setattr(atomic.fcntl, "flock", refuse(errno.ENOLCK))
    write_atomic(tmp_path / "r.pdf", b"%PDF-1.4 report")
    plan = real_plan()
    info = write_package(tmp_path, OFFICE, plan.title, plan.year, REPORT_DATE, **documents())
    assert (tmp_path / "r.pdf").read_bytes() == b"%PDF-1.4 report" and info.path.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["r.pdf", info.path.name])

"""佐证材料 through the CLI (the same actions the window calls): add, list, remove and undo, check, backup and
restore carrying the files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from db.evidence_files import evidence_dir

OFFICE = "悦城镇"


def run(capsys, data_dir: Path, *args: str) -> tuple[int, str, str]:
    from main import main

    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    src = tmp_path / "U盘"
    src.mkdir()
    made = {"photo": src / "会议照片.jpg", "scan": src / "通知扫描件.pdf", "shot": src / "网页截图.png"}
    made["photo"].write_bytes(b"\xff\xd8\xff\xe0" + "悦城镇政务公开专题会议".encode() * 200)
    made["scan"].write_bytes(b"%PDF-1.4 " + "关于办理人大代表建议的通知".encode() * 100)
    made["shot"].write_bytes(b"\x89PNG\r\n\x1a\n" + b"screen" * 300)
    return made


def listed(capsys, data_dir: Path) -> list[dict]:
    code, out, _ = run(capsys, data_dir, "evidence", "list", "--office", OFFICE, "--json")
    assert code == 0
    return json.loads(out)


def test_add_dedupe_list_remove_undo(capsys, tmp_path, files):
    data = tmp_path / "data"
    assert run(capsys, data, "evidence", "add", "--office", OFFICE, "--task", "12", str(files["photo"]))[0] == 0
    code, _, err = run(capsys, data, "evidence", "add", "--office", OFFICE, "--task", "12", str(files["photo"]),
                       "--title", "同一张照片")
    assert code == 0 and "12-2 同一张照片" in err
    assert run(capsys, data, "evidence", "link", "--office", OFFICE, "--task", "14", "http://www.deqing.gov.cn/xzxx/",
               "--title", "县长信箱栏目", "--screenshot", str(files["shot"]))[0] == 0
    items = listed(capsys, data)
    assert [(i["task"], i["number"], i["title"], i["kind"]) for i in items] == [
        (12, "12-1", "会议照片", "file"), (12, "12-2", "同一张照片", "file"), (14, "14-1", "县长信箱栏目", "link")]
    assert set(items[0]) >= {"task", "title", "kind", "file_name", "sha256", "size", "added_at"}
    photo_sha = hashlib.sha256(files["photo"].read_bytes()).hexdigest()
    assert items[0]["sha256"] == items[1]["sha256"] == photo_sha
    stored = [p for p in evidence_dir(data).rglob("*") if p.is_file() and ".tmp" not in p.parts]
    assert sorted(p.name for p in stored) == sorted({photo_sha, items[2]["sha256"]})  # the same photo once

    second = items[1]["id"]
    assert run(capsys, data, "evidence", "remove", str(second))[0] == 0
    assert [i["number"] for i in listed(capsys, data)] == ["12-1", "14-1"]
    code, _, err = run(capsys, data, "evidence", "remove", str(second), "--undo")  # a new command: a new backup
    assert code == 0 and "已恢复 12-2" in err
    assert [i["number"] for i in listed(capsys, data)] == ["12-1", "12-2", "14-1"]


def test_bad_files_are_named_and_nothing_is_half_added(capsys, tmp_path, files):
    data = tmp_path / "data"
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    code, _, err = run(capsys, data, "evidence", "add", "--office", OFFICE, "--task", "12", str(files["scan"]),
                       str(empty))
    assert code == 2 and "空.txt" in err and "没有添加任何文件" in err
    code, _, err = run(capsys, data, "evidence", "add", "--office", OFFICE, "--task", "12",
                       str(tmp_path / "不存在.jpg"))
    assert code == 2 and "不存在.jpg" in err
    code, _, err = run(capsys, data, "evidence", "add", "--office", OFFICE, "--task", "999", str(files["scan"]))
    assert code == 2 and "999" in err
    assert listed(capsys, data) == []


def test_backup_folder_restores_into_an_empty_data_folder_byte_identical(capsys, tmp_path, files):
    data, usb = tmp_path / "data", tmp_path / "usb"
    usb.mkdir()
    for task, key in ((12, "photo"), (13, "scan")):
        assert run(capsys, data, "evidence", "add", "--office", OFFICE, "--task", str(task), str(files[key]))[0] == 0
    code, _, err = run(capsys, data, "backup", "--out", str(usb))
    assert code == 0 and "含 2 个佐证材料文件" in err
    [folder] = list(usb.iterdir())
    fresh = tmp_path / "另一台电脑"
    code, _, err = run(capsys, fresh, "restore", str(folder))
    assert code == 0, err
    restored = {i["number"]: i["sha256"] for i in listed(capsys, fresh)}
    assert restored == {"12-1": hashlib.sha256(files["photo"].read_bytes()).hexdigest(),
                        "13-1": hashlib.sha256(files["scan"].read_bytes()).hexdigest()}
    for sha in restored.values():
        assert hashlib.sha256((evidence_dir(fresh) / sha[:2] / sha).read_bytes()).hexdigest() == sha
    assert run(capsys, fresh, "check")[:2] == (0, "ok\n")


def test_check_names_a_missing_or_altered_file_by_task(capsys, tmp_path, files):
    data = tmp_path / "data"
    assert run(capsys, data, "evidence", "add", "--office", OFFICE, "--task", "12", str(files["photo"]))[0] == 0
    [item] = listed(capsys, data)
    blob = evidence_dir(data) / item["sha256"][:2] / item["sha256"]
    blob.write_bytes(b"changed")
    code, out, _ = run(capsys, data, "check")
    assert code == 1 and "任务12" in out and "12-1 会议照片" in out and "已被改动" in out
    blob.unlink()
    code, out, _ = run(capsys, data, "check")
    assert code == 1 and "文件缺失" in out


def test_a_single_file_backup_is_refused_once_there_is_evidence(capsys, tmp_path, files):
    data = tmp_path / "data"
    assert run(capsys, data, "backup", "--out", str(tmp_path / "b.sqlite3"))[0] == 0  # no evidence yet: one file
    assert run(capsys, data, "evidence", "add", "--office", OFFICE, "--task", "12", str(files["photo"]))[0] == 0
    code, _, err = run(capsys, data, "backup", "--out", str(tmp_path / "c.sqlite3"))
    assert code == 2 and "文件夹" in err and not (tmp_path / "c.sqlite3").exists()

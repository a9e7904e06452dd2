"""What the command line prints: nothing from a file name, title or package acts on the terminal, a name with
a tab or line break keeps evidence list's columns, and messages use the clerk's words."""

from __future__ import annotations

import json
import unicodedata
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.context import field, shown
from core.text_safety import needs_escape
from tests.county_fixtures import YUECHENG, make_package

OFFICE = "悦城镇"
HOSTILE_NAME = "照片\x1b]0;pwned\x07\u202egpj.exe\n第二行\t列\u200b.jpg"


def run(capsys, *args: str) -> tuple[int, str, str]:
    from main import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def acts_on_terminal(text: str, *, lines: bool = True) -> list[str]:
    """The characters of ``text`` a terminal would act on (line breaks allowed when ``lines``)."""
    return [ch for ch in text if (ch != "\n" or not lines) and
            (unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") or ch in "\x7f")]


def test_evidence_add_and_list_show_a_hostile_file_name_escaped(tmp_path, capsys):
    data = tmp_path / "data"
    source = tmp_path / HOSTILE_NAME
    source.write_bytes(b"\xff\xd8\xff\xe0 photo")
    code, out, err = run(capsys, "--data-dir", str(data), "evidence", "add", "--office", OFFICE, "--task", "12",
                         str(source))
    assert code == 0, err
    assert acts_on_terminal(err) == [] and err.count("\n") == 1  # one line: "已添加 …"
    assert "\\u001b]0;pwned\\u0007\\u202egpj.exe\\u000a第二行\\u0009列\\u200b.jpg" in err
    code, out, err = run(capsys, "--data-dir", str(data), "evidence", "list", "--office", OFFICE)
    assert code == 0 and acts_on_terminal(out.replace("\t", "")) == []
    (line,) = out.splitlines()
    columns = line.split("\t")
    assert len(columns) == 3 and columns[2].startswith("照片\\u001b]0;pwned\\u0007")
    code, out, _ = run(capsys, "--data-dir", str(data), "evidence", "list", "--office", OFFICE, "--json")
    assert json.loads(out)[0]["file_name"] == HOSTILE_NAME  # the data itself is kept exactly


def test_an_error_quoting_a_hostile_name_is_escaped(tmp_path, capsys):
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "evidence", "add", "--office", OFFICE,
                       "--task", "12", str(tmp_path / "没有\x1b[2J\u202e.jpg"))
    assert code == 2 and acts_on_terminal(err) == [] and "\\u001b[2J\\u202e" in err


def test_county_import_shows_a_hostile_manifest_and_file_name_escaped(data_dir, capsys, tmp_path):
    good = make_package(tmp_path / "src", YUECHENG)
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    manifest["office"] = "某\u202e镇\u2066"
    bad = tmp_path / "坏\x1b[31m\x07\n.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    code, _, err = run(capsys, "county", "import", str(bad))
    assert code == 2 and acts_on_terminal(err) == []
    first = err.splitlines()[0]
    assert first.startswith("未导入：报送材料“坏\\u001b[31m\\u0007\\u000a.zip”不能导入：报送单位“某\\u202e镇\\u2066”")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_shown_and_field_leave_nothing_that_acts_on_a_terminal(text):
    assert acts_on_terminal(shown(text)) == []
    assert acts_on_terminal(field(text), lines=False) == [] and "\t" not in field(text)
    plain = "".join(ch for ch in text if not needs_escape(ch))
    assert shown(plain) == plain  # ordinary text, Windows paths included, reads as typed


# --- the clerk's words -----------------------------------------------------------------------------
def test_a_manifest_missing_a_document_names_it_in_words(tmp_path):
    from core.package.read import read_package
    from core.package.write import PackageError

    good = make_package(tmp_path / "src", YUECHENG)
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    pdf = next(f for f in manifest["files"] if f["kind"] == "report_pdf")
    manifest["files"].remove(pdf)
    del members[pdf["path"]]
    bad = tmp_path / "缺报告.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    with pytest.raises(PackageError) as info:
        read_package(bad)
    assert "中应有且只有一个“落实情况报告（PDF）”文件（实际 0 个）" in info.value.message
    assert "report_pdf" not in info.value.message


def test_backup_reasons_of_the_county_side_read_as_words():
    from actions.backups import kind_label

    assert kind_label("before-county-import") == "汇总导入前"
    assert kind_label("before-county-remove") == "移出报送材料前"


def test_a_file_just_over_the_limit_does_not_read_200_mb_over_200_mb(tmp_path):
    from core.evidence_rules import MAX_FILE_BYTES, EvidenceError
    from db.evidence_files import check_source

    big = tmp_path / "录像.mp4"
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no 200 MB written
    with pytest.raises(EvidenceError) as info:
        check_source(big)
    assert "有 209,715,201 字节，超过单个文件 209,715,200 字节（200.0 MB） 的上限" in info.value.message


def test_limits_far_apart_stay_in_megabytes():
    from core.sizes import over_limit

    assert over_limit(300 * 1024 * 1024, 200 * 1024 * 1024) == ("300.0 MB", "200.0 MB")
    assert over_limit(2 * 1024 ** 3 + 1, 2 * 1024 ** 3) == ("2,147,483,649 字节", "2,147,483,648 字节（2.00 GB）")


def test_a_full_disk_on_the_command_line_has_no_window_words(tmp_path, capsys, monkeypatch):
    import contextlib
    import sqlite3

    import db.store

    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "offices")[0] == 0

    @contextlib.contextmanager
    def full(conn):
        raise sqlite3.OperationalError("database or disk is full")
        yield conn

    monkeypatch.setattr(db.store, "transaction", full)
    code, _, err = run(capsys, "--data-dir", str(data), "progress", "set", "--office", OFFICE, "--task", "12",
                       "--field", "achievements", "--value", "办理留言12件")
    assert code == 1 and "磁盘已满" in err and "窗口" not in err, err


@pytest.mark.parametrize(("key", "value", "words"), [
    ("office", 12, "报送单位应为文字"), ("plan_title", "", "方案名称为空或过长"), ("plan_year", "2019", "方案年度应为"),
    ("report_date", None, "报告日期应为文字"), ("created_at", "x" * 50, "生成时间为空或过长"),
    ("app_version", "\x07", "程序版本含有控制字符"), ("files", {}, "文件列表格式不对"),
])
def test_manifest_problems_are_named_in_words_not_keys(tmp_path, key, value, words):
    from core.package.read import read_package
    from core.package.write import PackageError

    good = make_package(tmp_path / "src", YUECHENG)
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = {**json.loads(members.pop("manifest.json")), key: value}
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    with pytest.raises(PackageError) as info:
        read_package(bad)
    assert words in info.value.message and key not in info.value.message.replace("manifest.json", "")
